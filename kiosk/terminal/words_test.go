package terminal

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/i18n"
)

// Hand-written fakes that answer with messages, as the real adapters do.
type msgReader struct{ err error }

func (r msgReader) ReadCard(context.Context) (kiosk.Identity, error) { return kiosk.Identity{}, r.err }

type msgPrinter struct{ err error }

func (p msgPrinter) PrintReceipt(context.Context, kiosk.Receipt) error { return p.err }
func (p msgPrinter) PrintTicket(context.Context, kiosk.Ticket) error   { return p.err }

type msgStatus struct{}

func (msgStatus) Status(context.Context, string) (kiosk.SubmissionStatus, error) {
	return kiosk.SubmissionStatus{Progress: kiosk.Msg("query.progress_waiting")},
		&kiosk.Error{Kind: kiosk.KindTransient, Message: kiosk.Msg("query.backoffice_offline")}
}

// TestWordsBridge: until kiosk/flow and kiosk/ui read messages by ID, what
// reaches the session is words in both languages, the errors keep their
// kind and cause, and data passes unchanged.
func TestWordsBridge(t *testing.T) {
	words, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	cause := errors.New("EIO")
	cardErr := &kiosk.Error{Op: "read", Kind: kiosk.KindCardMoved, Message: kiosk.Msg("identify.card_moved"), Err: cause}
	paperErr := &kiosk.Error{Op: "print", Kind: kiosk.KindNoPaper,
		Message: kiosk.Msg("printer.receipt_not_printed", "Fault", kiosk.Msg("printer.fault_no_paper"))}
	data := kiosk.Text{ZH: "您不符合申请条件", EN: "You cannot apply"}
	d := wordsDeps(flow.Deps{
		Reader:  msgReader{cardErr},
		Printer: msgPrinter{paperErr},
		Status:  msgStatus{},
		Gate:    func(kiosk.Item) (bool, kiosk.Text) { return false, kiosk.Msg("browse.unavailable_printer") },
		Eligible: func(kiosk.Item, kiosk.Identity, kiosk.Answers, time.Time) (bool, kiosk.Text) {
			return false, data
		},
	}, words)

	_, err = d.Reader.ReadCard(context.Background())
	if m := kiosk.MessageOf(err); m.ZH != words.Text(kiosk.LangZH, cardErr.Message) || m.EN == "" || m.IsMessage() {
		t.Errorf("card error words %+v", m)
	}
	if kiosk.KindOf(err) != kiosk.KindCardMoved || !errors.Is(err, cause) {
		t.Errorf("card error lost its kind or cause: %v", err)
	}
	if m := kiosk.MessageOf(d.Printer.PrintReceipt(context.Background(), kiosk.Receipt{})); m.ZH != "打印机没有纸了，回执没有打印出来。您的申请已经受理，回执编号不变，请到人工窗口补打回执。" {
		t.Errorf("printer error words %q", m.ZH)
	}
	if _, why := d.Gate(kiosk.Item{}); why.ZH != "打印机缺纸，暂不能办理此事项，请到人工窗口" || why.EN == "" {
		t.Errorf("gate reason %+v", why)
	}
	if _, why := d.Eligible(kiosk.Item{}, kiosk.Identity{}, nil, time.Time{}); why != data {
		t.Errorf("data reason changed: %+v", why)
	}
	st, err := d.Status.Status(context.Background(), "X")
	if st.Progress.ZH != "已受理，正在等待上传到受理中心。" || kiosk.MessageOf(err).ZH == "" || kiosk.KindOf(err) != kiosk.KindTransient {
		t.Errorf("status %+v, %v", st.Progress, err)
	}
	if wordsErr(nil, words) != nil || wordsErr(cause, words) != cause {
		t.Error("errors without a message must pass unchanged")
	}
	if none := wordsDeps(flow.Deps{Reader: msgReader{cardErr}}, nil); none.Reader != (msgReader{cardErr}) {
		t.Error("without a catalog the deps must stay as they are")
	}
}
