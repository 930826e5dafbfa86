package flow_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// Regression tests for defects of the session, each found on main.

// waitNotice waits until the session shows want.
func (h *harness) waitNotice(t *testing.T, want kiosk.Text) flow.View {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		if v := h.s.View(); v.Notice == want {
			return v
		}
		select {
		case <-h.views:
		case <-deadline:
			t.Fatalf("notice %q never shown; now %q on %v", want.ZH, h.s.View().Notice.ZH, h.s.View().State)
		}
	}
}

func cardErr(kind kiosk.ErrorKind, zh string) error {
	return &kiosk.Error{Op: "read", Kind: kind, Message: kiosk.Text{ZH: zh, EN: zh}}
}

// One failed read used to start the next read and then bump the screen's
// generation: the idle countdown never started, and after a second
// failure no read ran at all, so a good card was ignored.
func TestCardFailsTwiceThenGoodCardRead(t *testing.T) {
	h := newHarness(t)
	h.s.Start()
	h.wait(t, flow.Identify)

	moved := cardErr(kiosk.KindCardMoved, "读卡时身份证被移动了，请放稳后重试。")
	h.reader.Cards <- kiosktest.CardResult{Err: moved}
	h.waitNotice(t, kiosk.MessageOf(moved))
	h.clock.Advance(flow.NormalTiming().Idle)
	if c := h.s.View().Countdown; c == 0 {
		t.Fatal("no idle countdown after a failed card read: the screen would stay forever")
	}
	h.s.Continue()

	unread := cardErr(kiosk.KindCardUnreadable, "没能读出身份证，请把身份证平放在读卡区。")
	h.reader.Cards <- kiosktest.CardResult{Err: unread}
	h.waitNotice(t, kiosk.MessageOf(unread))

	h.reader.Cards <- kiosktest.CardResult{ID: kiosktest.Adult()}
	if v := h.wait(t, flow.Browse); v.Greeting == "" {
		t.Fatalf("card read after two failures but no greeting: %+v", v)
	}
}

// A card left on the reader by one visit is never found again until it is
// lifted: the next visit asked for a card and never read it, without a hint.
func TestCardLeftOnReaderNextVisitSaysLiftIt(t *testing.T) {
	h := newHarness(t)
	h.identify(t, kiosktest.Adult()) // the card stays on the reader
	h.s.End()
	h.s.Start()
	v := h.s.View()
	if v.State != flow.Identify || !strings.Contains(zh(t, v.Notice), "拿起来") || !strings.Contains(en(t, v.Notice), "lift") {
		t.Fatalf("identify with a card left on the reader: state %v, notice %q / %q", v.State, v.Notice.ZH, v.Notice.EN)
	}
	h.s.CardPresence(false) // lifted
	if v := h.s.View(); !v.Notice.IsZero() {
		t.Fatalf("the hint stayed after the card was lifted: %q", v.Notice.ZH)
	}
	h.reader.Cards <- kiosktest.CardResult{ID: kiosktest.Elder()} // placed again
	h.wait(t, flow.Browse)
}

var tooYoung = kiosk.Text{ZH: "老年综合津贴只受理年满65周岁的老人申请。", EN: "Only for residents aged 65 or over."}

// refuseAdults refuses allowance to anyone born after 1960.
func refuseAdults(it kiosk.Item, who kiosk.Identity, _ kiosk.Answers, _ time.Time) (bool, kiosk.Text) {
	if it.Code == allowance.Code && who.BirthDate.Year() > 1960 {
		return false, tooYoung
	}
	return true, kiosk.Text{}
}

// Issue 20 item 5: a printer unplugged and plugged back cleared the
// refusal on the item screen and offered 开始申请 to an ineligible resident.
func TestDeviceChangeKeepsEligibilityRefusal(t *testing.T) {
	paperOut := false
	noPaper := kiosk.Text{ZH: "打印机缺纸，暂不能办理此事项，请到人工窗口。"}
	h := newHarnessWith(t, func(d *flow.Deps) {
		d.Eligible = refuseAdults
		d.Gate = func(kiosk.Item) (bool, kiosk.Text) {
			if paperOut {
				return false, noPaper
			}
			return true, kiosk.Text{}
		}
		d.Appointments = &noSlots{}
	})
	h.identify(t, kiosktest.Adult())
	h.s.SelectItem(allowance.Code)
	if h.s.CanApply() || h.s.View().Notice != tooYoung {
		t.Fatalf("a 38-year-old may apply: %q", h.s.View().Notice.ZH)
	}
	paperOut = true
	h.s.DevicesChanged(kiosk.TerminalState{Available: true}, kiosk.Text{})
	if v := h.s.View(); v.Notice != noPaper {
		t.Fatalf("paper out not shown: %q", v.Notice.ZH)
	}
	paperOut = false
	h.s.DevicesChanged(kiosk.TerminalState{Available: true}, kiosk.Text{})
	if v := h.s.View(); h.s.CanApply() || v.Notice != tooYoung {
		t.Fatalf("after the printer came back: can apply %v, notice %q; want the refusal", h.s.CanApply(), v.Notice.ZH)
	}
	h.s.Apply()
	if st := h.s.View().State; st != flow.ItemDetail {
		t.Fatalf("apply opened %v for an ineligible resident", st)
	}

	// The way back from another screen keeps the refusal too.
	h.s.OpenAppointment()
	if st := h.s.View().State; st != flow.Appointment {
		t.Fatalf("appointment screen not opened: %v", st)
	}
	h.s.Back()
	if v := h.s.View(); v.State != flow.ItemDetail || h.s.CanApply() || v.Notice != tooYoung {
		t.Fatalf("back from the appointment: state %v, can apply %v, notice %q", v.State, h.s.CanApply(), v.Notice.ZH)
	}
}

// noSlots is an appointment service with no free time.
type noSlots struct{}

func (*noSlots) Slots(ctx context.Context, _ kiosk.ItemCode, _ time.Time, _ int) ([]kiosk.Slot, error) {
	return nil, nil
}

func (*noSlots) Book(ctx context.Context, _ string, _ kiosk.Item, _ kiosk.Identity) (kiosk.Appointment, error) {
	return kiosk.Appointment{}, &kiosk.Error{Kind: kiosk.KindInvalid, Message: kiosk.Text{ZH: "没有这个时间。"}}
}

var incomeTooHigh = kiosk.Text{ZH: "您填写的家庭月人均收入不低于本市低保标准。", EN: "Income not below the standard."}

// Rules that read the form's answers were only ever asked with none, so
// they never refused. At the review they are asked with every answer.
func TestReviewRechecksEligibilityWithAnswers(t *testing.T) {
	income := allowance
	income.Code = "dibao-like"
	income.Form = append(append([]kiosk.Field(nil), allowance.Form...),
		kiosk.Field{ID: "income", Type: kiosk.FieldNumber, Label: kiosk.Text{ZH: "家庭月人均收入"}, Required: true})
	var asked []kiosk.Answers
	h := newHarnessWith(t, func(d *flow.Deps) {
		d.Catalog = catalog{income.Code: income}
		d.Eligible = func(it kiosk.Item, _ kiosk.Identity, a kiosk.Answers, _ time.Time) (bool, kiosk.Text) {
			asked = append(asked, a)
			if n, err := strconv.Atoi(a["income"]); err == nil && n >= 1650 {
				return false, incomeTooHigh
			}
			return true, kiosk.Text{}
		}
	})
	h.identify(t, kiosktest.Elder())
	h.s.SelectItem(income.Code)
	h.s.Apply()
	h.s.SetAnswer("phone", "13800138000")
	h.s.SetAnswer("income", "5000")
	h.s.Next()
	v := h.s.View()
	if v.State != flow.Review || v.Notice != incomeTooHigh {
		t.Fatalf("review with an income above the standard: state %v, notice %q (asked with %v)", v.State, v.Notice.ZH, asked)
	}
	h.s.SetConsent(true)
	h.s.Confirm()
	if v := h.s.View(); v.State != flow.Review || v.Notice != incomeTooHigh {
		t.Fatalf("went on from a refused review: %v %q", v.State, v.Notice.ZH)
	}
	// The resident corrects the answer: the refusal goes.
	h.s.Edit("income")
	h.s.SetAnswer("income", "900")
	h.s.Next()
	if v := h.s.View(); v.State != flow.Review || !v.Notice.IsZero() {
		t.Fatalf("after correcting the income: %v %q", v.State, v.Notice.ZH)
	}
	h.s.Confirm()
	if st := h.s.View().State; st != flow.Sign {
		t.Fatalf("a corrected review does not go on to sign: %v", st)
	}
	if len(h.queue.Submissions()) != 0 {
		t.Fatal("queued before signing")
	}
}

// Found by the model-based test (seed 70): a device change on the item
// screen kept whatever notice was there (a scan that did not belong), so
// the item went grey with no reason said.
func TestDeviceChangeShowsNewReasonOverOtherNotice(t *testing.T) {
	paperOut := false
	noPaper := kiosk.Text{ZH: "打印机缺纸，暂不能办理此事项，请到人工窗口。"}
	h := newHarnessWith(t, func(d *flow.Deps) {
		d.Gate = func(kiosk.Item) (bool, kiosk.Text) {
			if paperOut {
				return false, noPaper
			}
			return true, kiosk.Text{}
		}
	})
	h.identify(t, kiosktest.Elder())
	h.s.SelectItem(allowance.Code)
	h.s.Scanned(kiosk.ScannedCode{Kind: kiosk.ScanOther})
	if h.s.View().Notice.IsZero() {
		t.Fatal("a stray scan said nothing")
	}
	paperOut = true
	h.s.DevicesChanged(kiosk.TerminalState{Available: true}, kiosk.Text{})
	if v := h.s.View(); v.Notice != noPaper || h.s.CanApply() {
		t.Fatalf("paper out on the item screen: notice %q, can apply %v", v.Notice.ZH, h.s.CanApply())
	}
}

// Found by the model-based test (seed 35): a 随申码 scanned while a card
// was being read went on to the next screen still saying 正在读取.
func TestSuishenmaWhileReadingClearsReading(t *testing.T) {
	h := newHarnessWith(t, func(d *flow.Deps) { d.Identifier = fakeIdentifier{who: verifiedSSM} })
	h.s.Start()
	h.s.CardReading()
	if !h.s.View().Reading {
		t.Fatal("no 正在读取 while a card is read")
	}
	h.s.Scanned(kiosk.ScannedCode{Kind: kiosk.ScanSuishenma, Token: "opaque"})
	if v := h.wait(t, flow.Browse); v.State != flow.Browse || v.Reading {
		t.Fatalf("after the 随申码: state %v, reading %v", v.State, v.Reading)
	}
}
