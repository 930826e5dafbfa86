package flow_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

var today = time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC)

var allowance = kiosk.Item{
	Code: "MZ0109_02", Name: kiosk.Text{ZH: "老年综合津贴申请", EN: "Senior citizens' allowance"},
	Actions: []kiosk.Action{kiosk.ActionApply}, Promise: kiosk.TimeLimit{Days: 30},
	Materials: []kiosk.Material{
		{Name: kiosk.Text{ZH: "居民身份证"}, Required: true, FromLicenceLibrary: true},
		{Name: kiosk.Text{ZH: "银行卡"}, Required: true},
	},
	Form: []kiosk.Field{
		{ID: "name", Type: kiosk.FieldText, Label: kiosk.Text{ZH: "姓名"}, Prefill: kiosk.PrefillName, Required: true},
		{ID: "phone", Type: kiosk.FieldPhone, Label: kiosk.Text{ZH: "手机号码"}, Required: true},
	},
}

// catalog is a one-item fake catalog.
type catalog map[kiosk.ItemCode]kiosk.Item

func (c catalog) Item(code kiosk.ItemCode) (kiosk.Item, bool) { it, ok := c[code]; return it, ok }

// forms puts every field on one page and requires 11 digits for phones.
type forms struct{}

func (forms) Pages(it kiosk.Item, _ kiosk.Identity, _ kiosk.Answers) [][]kiosk.Field {
	return [][]kiosk.Field{it.Form}
}

func (forms) Validate(_ kiosk.Item, fs []kiosk.Field, _ kiosk.Identity, a kiosk.Answers) map[string]kiosk.Text {
	errs := map[string]kiosk.Text{}
	for _, f := range fs {
		if f.Type == kiosk.FieldPhone && len(a[f.ID]) != 11 {
			errs[f.ID] = kiosk.Text{ZH: "手机号码应为11位数字"}
		}
	}
	return errs
}

func (forms) Prefill(it kiosk.Item, who kiosk.Identity) kiosk.Answers {
	return kiosk.Answers{"name": who.Name}
}

type harness struct {
	s       *flow.Session
	clock   *kiosktest.Clock
	reader  *kiosktest.Reader
	queue   *kiosktest.Queue
	printer *kiosktest.Printer
	views   chan flow.View
}

func newHarness(t *testing.T) *harness { return newHarnessWith(t, nil) }

// newHarnessWith lets a test change the session's collaborators first.
func newHarnessWith(t *testing.T, change func(*flow.Deps)) *harness {
	t.Helper()
	h := &harness{
		clock: kiosktest.NewClock(today), reader: kiosktest.NewReader(),
		queue: &kiosktest.Queue{}, printer: &kiosktest.Printer{},
		views: make(chan flow.View, 256),
	}
	n := 0
	deps := flow.Deps{
		Terminal: flow.Terminal{CenterName: "徐汇区测试街道社区事务受理服务中心", Center: "XH01", Code: "XH0123"},
		Clock:    h.clock, Reader: h.reader, Queue: h.queue, Printer: h.printer,
		Catalog: catalog{allowance.Code: allowance}, Forms: forms{},
		Numbers: func(now time.Time) (string, string, error) {
			n++
			return "id-" + string(rune('0'+n)), "XH0123-20261128-000" + string(rune('0'+n)), nil
		},
		ProgressURL: func(r, _ string) string { return "TB1:" + r },
	}
	if change != nil {
		change(&deps)
	}
	h.s = flow.New(deps)
	h.s.Observe(func(v flow.View) { h.views <- v })
	return h
}

// wait returns the first published view in state st (bounded, for the
// goroutines that read cards and submit).
func (h *harness) wait(t *testing.T, st flow.State) flow.View {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case v := <-h.views:
			if v.State == st {
				return v
			}
		case <-deadline:
			t.Fatalf("session never reached %v; now %v", st, h.s.View().State)
		}
	}
}

func (h *harness) identify(t *testing.T, id kiosk.Identity) {
	t.Helper()
	h.s.Start()
	h.wait(t, flow.Identify)
	h.reader.Cards <- kiosktest.CardResult{ID: id}
	h.wait(t, flow.Browse)
}

func TestHappyPathApply(t *testing.T) {
	h := newHarness(t)
	h.identify(t, kiosktest.Elder())
	if g := h.s.View().Greeting; g != "张*试" {
		t.Errorf("greeting = %q, want the masked name 张*试", g)
	}
	h.s.SelectItem(allowance.Code)
	if !h.s.CanApply() {
		t.Fatalf("cannot apply: %v", h.s.View().Notice)
	}
	h.s.Apply()
	v := h.wait(t, flow.FormPage)
	if !v.Prefilled["name"] || v.Answers["name"] != "张测试" {
		t.Fatalf("name not prefilled from the card: %+v", v.Answers)
	}
	h.s.SetAnswer("name", "别人") // prefilled fields are read-only
	h.s.SetAnswer("phone", "1380013")
	h.s.Next()
	if v := h.s.View(); v.State != flow.FormPage || v.FieldErrors["phone"].ZH == "" {
		t.Fatalf("short phone accepted: state %v errors %v", v.State, v.FieldErrors)
	}
	h.s.SetAnswer("phone", "13800138000")
	h.s.Next()
	h.wait(t, flow.Review)
	h.s.Confirm()
	if h.s.View().State != flow.Review {
		t.Fatal("went on to sign without consent")
	}
	h.s.SetConsent(true)
	h.s.Confirm()
	h.wait(t, flow.Sign)
	h.s.Signed(nil)
	if h.s.View().Notice.IsZero() {
		t.Fatal("an empty signature was accepted")
	}
	h.s.Signed([]byte("png"))
	done := h.wait(t, flow.Done)

	subs := h.queue.Submissions()
	if len(subs) != 1 {
		t.Fatalf("queued %d submissions, want 1", len(subs))
	}
	if subs[0].Answers["name"] != "张测试" || subs[0].Answers["phone"] != "13800138000" || string(subs[0].Signature) != "png" {
		t.Errorf("submission = %+v", subs[0].Answers)
	}
	printed := h.printer.Printed()
	if len(printed) != 1 || printed[0].LocalReceipt != subs[0].LocalReceipt {
		t.Fatalf("printed %+v", printed)
	}
	r := printed[0]
	if r.Applicant != "张*试" || r.IDNumber != "310104********1233" || !r.Queued || r.ProgressURL != "TB1:"+r.LocalReceipt {
		t.Errorf("receipt = %+v", r)
	}
	if len(r.StillToBring) != 1 || r.StillToBring[0].ZH != "银行卡" {
		t.Errorf("still to bring = %v, want only 银行卡 (the ID card comes from the licence library)", r.StillToBring)
	}
	if done.Receipt == nil || done.Receipt.LocalReceipt != r.LocalReceipt {
		t.Errorf("done screen shows %+v", done.Receipt)
	}
	// the card was taken away; the done screen times out to attract, wiped.
	h.s.CardPresence(false)
	h.clock.Advance(flow.NormalTiming().Done)
	v = h.wait(t, flow.Attract)
	assertWiped(t, v)
}

func assertWiped(t *testing.T, v flow.View) {
	t.Helper()
	if v.Greeting != "" || len(v.Answers) != 0 || v.Item != nil || v.Receipt != nil || v.Lang != kiosk.LangZH || v.Elderly || v.HighContrast {
		t.Errorf("session not wiped: %+v", v)
	}
	for _, s := range []string{"张测试", "13800138000", "310104195503081233"} {
		if strings.Contains(strings.Join([]string{v.Greeting, v.Notice.ZH}, " "), s) {
			t.Errorf("view still holds %q", s)
		}
	}
}

func TestTimeoutEveryState(t *testing.T) {
	for _, st := range []flow.State{flow.Identify, flow.Browse, flow.ItemDetail, flow.FormPage, flow.Review, flow.Sign} {
		t.Run(st.String(), func(t *testing.T) {
			h := newHarness(t)
			h.s.SetElderly(true)
			h.s.SetHighContrast(true)
			h.s.SetLanguage(kiosk.LangEN)
			h.s.Start()
			h.wait(t, flow.Identify)
			if st != flow.Identify {
				h.reader.Cards <- kiosktest.CardResult{ID: kiosktest.Adult()}
				h.wait(t, flow.Browse)
				h.s.CardPresence(false) // card taken back: timers run
			}
			steps := map[flow.State]func(){
				flow.ItemDetail: func() { h.s.SelectItem(allowance.Code) },
				flow.FormPage:   func() { h.s.Apply() },
				flow.Review:     func() { h.s.SetAnswer("phone", "13800138000"); h.s.Next() },
				flow.Sign:       func() { h.s.SetConsent(true); h.s.Confirm() },
			}
			for _, next := range []flow.State{flow.ItemDetail, flow.FormPage, flow.Review, flow.Sign} {
				if h.s.View().State == st {
					break
				}
				steps[next]()
			}
			if got := h.s.View().State; got != st {
				t.Fatalf("setup reached %v, want %v", got, st)
			}
			timing := flow.ElderlyTiming()
			h.clock.Advance(timing.Idle)
			if c := h.s.View().Countdown; c != int(timing.Countdown/time.Second) {
				t.Fatalf("countdown = %d after idle, want %d", c, int(timing.Countdown/time.Second))
			}
			h.clock.Advance(timing.Countdown)
			assertWiped(t, h.wait(t, flow.Attract))
		})
	}
}

func TestContinueKeepsSession(t *testing.T) {
	h := newHarness(t)
	h.identify(t, kiosktest.Adult())
	h.s.CardPresence(false)
	h.clock.Advance(flow.NormalTiming().Idle + 5*time.Second)
	if h.s.View().Countdown != 15 {
		t.Fatalf("countdown = %d, want 15", h.s.View().Countdown)
	}
	h.s.Continue()
	h.clock.Advance(flow.NormalTiming().Countdown)
	if v := h.s.View(); v.State != flow.Browse || v.Countdown != 0 || v.Greeting == "" {
		t.Fatalf("after 继续办理: %+v", v)
	}
}

func TestTimerPausedWhileCardOnReader(t *testing.T) {
	h := newHarness(t)
	h.identify(t, kiosktest.Adult()) // the card stays on the reader
	h.clock.Advance(10 * time.Minute)
	if v := h.s.View(); v.State != flow.Browse || v.Countdown != 0 {
		t.Fatalf("timed out while the card lay on the reader: %+v", v)
	}
	h.s.CardPresence(false)
	h.clock.Advance(flow.NormalTiming().Idle)
	if h.s.View().Countdown == 0 {
		t.Fatal("no countdown once the card was taken")
	}
}

func TestExpiredCardRefused(t *testing.T) {
	h := newHarness(t)
	h.s.Start()
	h.wait(t, flow.Identify)
	id := kiosktest.Adult()
	id.ValidUntil = today.AddDate(0, 0, -1)
	h.reader.Cards <- kiosktest.CardResult{ID: id}
	deadline := time.After(5 * time.Second)
	for {
		v := h.s.View()
		if strings.Contains(zh(t, v.Notice), "过期") {
			if v.State != flow.Identify || v.Greeting != "" {
				t.Fatalf("expired card let in: %+v", v)
			}
			return
		}
		select {
		case <-h.views:
		case <-deadline:
			t.Fatalf("no expiry message: %+v", v)
		}
	}
}

func TestCardErrorThenRetry(t *testing.T) {
	h := newHarness(t)
	h.s.Start()
	h.wait(t, flow.Identify)
	msg := kiosk.Text{ZH: "读卡时身份证被移动了，请放稳后重试。", EN: "The card moved."}
	h.reader.Cards <- kiosktest.CardResult{Err: &kiosk.Error{Op: "read", Kind: kiosk.KindCardMoved, Message: msg}}
	deadline := time.After(5 * time.Second)
	for h.s.View().Notice != msg {
		select {
		case <-h.views:
		case <-deadline:
			t.Fatalf("notice = %v", h.s.View().Notice)
		}
	}
	h.reader.Cards <- kiosktest.CardResult{ID: kiosktest.Adult()}
	h.wait(t, flow.Browse)
}

func TestQueueFullKeepsAnswers(t *testing.T) {
	h := newHarness(t)
	h.queue.Err = &kiosk.Error{Kind: kiosk.KindQueueFull, Message: kiosk.Text{ZH: "本机暂时不能受理新的申请，请到人工窗口办理。"}}
	h.identify(t, kiosktest.Adult())
	h.s.SelectItem(allowance.Code)
	h.s.Apply()
	h.s.SetAnswer("phone", "13800138000")
	h.s.Next()
	h.s.SetConsent(true)
	h.s.Confirm()
	h.s.Signed([]byte("png"))
	deadline := time.After(5 * time.Second)
	for !strings.Contains(zh(t, h.s.View().Notice), "人工窗口") {
		select {
		case <-h.views:
		case <-deadline:
			t.Fatalf("view = %+v", h.s.View())
		}
	}
	v := h.s.View()
	if v.State != flow.Review || v.Answers["phone"] != "13800138000" {
		t.Fatalf("answers lost after a refused submit: %+v", v)
	}
	if len(h.printer.Printed()) != 0 {
		t.Fatal("printed a receipt for a submission that was not queued")
	}
}

func TestPrinterFailureStillAccepted(t *testing.T) {
	h := newHarness(t)
	h.printer.Err = &kiosk.Error{Kind: kiosk.KindNoPaper, Message: kiosk.Text{ZH: "打印机缺纸。", EN: "The printer is out of paper."}}
	h.identify(t, kiosktest.Adult())
	h.s.SelectItem(allowance.Code)
	h.s.Apply()
	h.s.SetAnswer("phone", "13800138000")
	h.s.Next()
	h.s.SetConsent(true)
	h.s.Confirm()
	h.s.Signed([]byte("png"))
	v := h.wait(t, flow.Done)
	if len(h.queue.Submissions()) != 1 {
		t.Fatal("submission lost when the printer failed")
	}
	if !strings.Contains(zh(t, v.Notice), "缺纸") || v.Receipt == nil {
		t.Fatalf("done view = %+v", v)
	}
	// The printer's words are said once, not wrapped in a second sentence
	// saying the same, and the receipt is known not to have come out.
	if v.Notice != h.printer.Err.(*kiosk.Error).Message || !v.Receipt.Unprinted {
		t.Errorf("notice %q, unprinted %v", zh(t, v.Notice), v.Receipt.Unprinted)
	}
}

func TestEndWhileCardOnReaderPrompts(t *testing.T) {
	h := newHarness(t)
	h.identify(t, kiosktest.Adult())
	h.s.End()
	v := h.s.View()
	if v.State != flow.Attract || !strings.Contains(zh(t, v.Notice), "取走") {
		t.Fatalf("view = %+v", v)
	}
	assertWiped(t, v)
}

func TestScanRoutes(t *testing.T) {
	h := newHarness(t)
	bad := &kiosk.Error{Kind: kiosk.KindInvalid, Message: kiosk.Text{ZH: "没能识别这个二维码。"}}
	h.s.ScanFailed(bad)
	if h.s.View().Notice != bad.Message {
		t.Errorf("unreadable code: notice %v", h.s.View().Notice)
	}
	h.s.Scanned(kiosk.ScannedCode{Kind: kiosk.ScanWebLink, URL: "https://example.com"})
	if v := h.s.View(); !strings.Contains(zh(t, v.Notice), "网址") || v.State != flow.Attract {
		t.Errorf("web link: %+v", v)
	}
	h.s.Scanned(kiosk.ScannedCode{Kind: kiosk.ScanSuishenma, Token: "opaque"})
	if v := h.s.View(); v.State != flow.Attract || v.Greeting != "" {
		t.Errorf("a 随申码 outside the identify screen let someone in: %+v", v)
	}
	h.s.Scanned(kiosk.ScannedCode{Kind: kiosk.ScanProgress, Receipt: "XH0123-20261128-0001"})
	if h.s.View().State != flow.Query {
		t.Errorf("progress code led to %v", h.s.View().State)
	}
	h.s.End()
	h.s.Start()
	h.wait(t, flow.Identify)
	h.s.Scanned(kiosk.ScannedCode{Kind: kiosk.ScanSuishenma, Token: "opaque"})
	if v := h.s.View(); v.State != flow.Identify {
		t.Errorf("随申码 taken on the terminal's word, without the back office: %+v", v)
	}
}

// keyedStatus records how it was asked.
type keyedStatus struct {
	mu   sync.Mutex
	asks []string
}

func (k *keyedStatus) Status(ctx context.Context, receipt string) (kiosk.SubmissionStatus, error) {
	return k.StatusWithKey(ctx, receipt, "")
}

func (k *keyedStatus) StatusWithKey(_ context.Context, receipt, key string) (kiosk.SubmissionStatus, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.asks = append(k.asks, receipt+"|"+key)
	return kiosk.SubmissionStatus{LocalReceipt: receipt}, nil
}

func (k *keyedStatus) asked() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]string(nil), k.asks...)
}

// TestScannedProgressKeyReachesTheQuery: the key read from a receipt's QR
// code is what the progress query presents; a code without one asks
// without.
func TestScannedProgressKeyReachesTheQuery(t *testing.T) {
	st := &keyedStatus{}
	h := newHarnessWith(t, func(d *flow.Deps) { d.Status = st })
	h.s.Scanned(kiosk.ScannedCode{Kind: kiosk.ScanProgress, Receipt: "XH0123-20261128-0001", ProgressKey: "8f3a0c1d2e4b5a69"})
	deadline := time.After(5 * time.Second)
	for len(st.asked()) < 1 {
		select {
		case <-deadline:
			t.Fatal("no query")
		case <-time.After(5 * time.Millisecond):
		}
	}
	h.s.End()
	h.s.Scanned(kiosk.ScannedCode{Kind: kiosk.ScanProgress, Receipt: "XH0123-20261128-0002"})
	for len(st.asked()) < 2 {
		select {
		case <-deadline:
			t.Fatal("no second query")
		case <-time.After(5 * time.Millisecond):
		}
	}
	if got := st.asked(); got[0] != "XH0123-20261128-0001|8f3a0c1d2e4b5a69" || got[1] != "XH0123-20261128-0002|" {
		t.Errorf("asked %q", got)
	}
}

// fakeIdentifier answers as the back office would: who, or why not.
type fakeIdentifier struct {
	who   kiosk.Identity
	err   error
	calls *[]string
}

func (f fakeIdentifier) Identify(_ context.Context, code string) (kiosk.Identity, error) {
	if f.calls != nil {
		*f.calls = append(*f.calls, code)
	}
	return f.who, f.err
}

var verifiedSSM = kiosk.Identity{Card: kiosk.CardSuishenma, Name: "测试甲", Number: "11010519491231002X", Verification: "ev1"}

// TestSuishenmaVerifiedByBackOffice: a 随申码 is an identity only when the
// back office verified it. An outage that lasts, then a refusal in the
// back office's words, then an answer without an event, are each refused
// on the identify screen; then a verified answer identifies.
func TestSuishenmaVerifiedByBackOffice(t *testing.T) {
	expired := &kiosk.Error{Kind: kiosk.KindInvalid, Message: kiosk.Msg("scan.not_here")}
	var id fakeIdentifier
	var calls []string
	id.calls = &calls
	idp := &id
	h := newHarnessWith(t, func(d *flow.Deps) {
		d.Identifier = identifierFunc(func(ctx context.Context, c string) (kiosk.Identity, error) { return idp.Identify(ctx, c) })
	})
	h.s.Start()
	h.wait(t, flow.Identify)
	steps := []struct {
		name   string
		who    kiosk.Identity
		err    error
		notice string
	}{
		{"back office unreachable", kiosk.Identity{}, errors.New("dial tcp: connection refused"), "identify.suishenma_unavailable"},
		{"refused in its words", kiosk.Identity{}, expired, "scan.not_here"},
		{"unreachable again", kiosk.Identity{}, errors.New("timeout"), "identify.suishenma_unavailable"},
		{"refused again", kiosk.Identity{}, expired, "scan.not_here"},
		{"an answer without an event", kiosk.Identity{Card: kiosk.CardSuishenma, Name: "测试甲", Number: "11010519491231002X"}, nil, "identify.suishenma_unavailable"},
	}
	for i, s := range steps {
		id.who, id.err = s.who, s.err
		h.s.Scanned(kiosk.ScannedCode{Kind: kiosk.ScanSuishenma, Token: "SSM:x"})
		deadline := time.Now().Add(5 * time.Second)
		for (len(calls) != i+1 || h.s.View().Notice.ID != s.notice) && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if v := h.s.View(); v.State != flow.Identify || v.Notice.ID != s.notice {
			t.Fatalf("%s: state %v notice %q, want identify %q", s.name, v.State, v.Notice.ID, s.notice)
		}
		if len(calls) != i+1 {
			t.Fatalf("%s: %d calls to the back office", s.name, len(calls))
		}
		h.s.Touch()
	}
	id.who, id.err = verifiedSSM, nil
	h.s.Scanned(kiosk.ScannedCode{Kind: kiosk.ScanSuishenma, Token: "SSM:x"})
	h.wait(t, flow.Browse)
}

type identifierFunc func(ctx context.Context, code string) (kiosk.Identity, error)

func (f identifierFunc) Identify(ctx context.Context, code string) (kiosk.Identity, error) {
	return f(ctx, code)
}
