package flow_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// deptHarness is a session whose center has the pension query and the
// household certificate connected, with an A4 printer.
type deptHarness struct {
	*harness
	dept *kiosktest.Departments
	a4   *kiosktest.A4
	conn kiosk.Connected
}

func newDeptHarness(t *testing.T, change func(*flow.Deps)) *deptHarness {
	t.Helper()
	d := &deptHarness{
		dept: &kiosktest.Departments{
			Results:   map[kiosk.ItemCode]kiosk.QueryResult{kiosktest.PensionItem.Code: kiosktest.PensionResult()},
			Documents: map[kiosk.ItemCode]kiosk.Document{kiosktest.RegisterItem.Code: kiosktest.RegisterDocument()},
		},
		a4:   &kiosktest.A4{},
		conn: kiosk.Connected{Queries: []kiosk.ItemCode{kiosktest.PensionItem.Code}, Documents: []kiosk.ItemCode{kiosktest.RegisterItem.Code}},
	}
	d.harness = newHarnessWith(t, func(deps *flow.Deps) {
		deps.Catalog = catalog{kiosktest.PensionItem.Code: kiosktest.PensionItem, kiosktest.RegisterItem.Code: kiosktest.RegisterItem, allowance.Code: allowance}
		deps.Departments, deps.A4 = d.dept, d.a4
		deps.Connected = func() kiosk.Connected { return d.conn }
		if change != nil {
			change(deps)
		}
	})
	return d
}

// until waits for a view that satisfies ok.
func (h *harness) until(t *testing.T, what string, ok func(flow.View) bool) flow.View {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		if v := h.s.View(); ok(v) {
			return v
		}
		select {
		case <-h.views:
		case <-deadline:
			v := h.s.View()
			t.Fatalf("never %s; now %v, phase %v, notice %q", what, v.State, v.Phase, v.Notice.ZH)
		}
	}
}

// A query shows the department's answer with its private values masked;
// 打印 prints the same masked result on the receipt printer; 结束办理
// leaves nothing of it.
func TestQueryResultMaskedPrintedAndWiped(t *testing.T) {
	h := newDeptHarness(t, nil)
	h.identify(t, kiosktest.Elder())
	h.s.SelectItem(kiosktest.PensionItem.Code)
	if !h.s.CanQuery() {
		t.Fatalf("the connected query cannot run: %q", h.s.View().Notice.ZH)
	}
	h.s.RunQuery()
	v := h.until(t, "the result shown", func(v flow.View) bool { return v.State == flow.Result && v.Phase == flow.PhaseShown })
	if v.Result == nil || len(v.Result.Fields) != 6 {
		t.Fatalf("result on the view: %+v", v.Result)
	}
	for _, f := range v.Result.Fields {
		if strings.Contains(f.Value, "195001010013") || strings.Contains(f.Value, "0000001234567") {
			t.Errorf("%s shown unmasked: %q", f.Label.ZH, f.Value)
		}
	}
	if got := v.Result.Fields[2].Value; got != "4,321.00元" {
		t.Errorf("a public value shown as %q", got)
	}
	if who := h.dept.Who; len(who) != 1 || who[0].Number != kiosktest.Elder().Number {
		t.Errorf("the department was asked for %+v", who)
	}
	h.s.PrintResult()
	v = h.waitNotice(t, kiosk.Msg("dept.take_result"))
	if !v.NoticeOK || v.Phase != flow.PhaseShown {
		t.Errorf("after printing: phase %v, good news %v", v.Phase, v.NoticeOK)
	}
	slips := h.printer.PrintedResults()
	if len(slips) != 1 {
		t.Fatalf("%d result slips printed", len(slips))
	}
	if s := slips[0]; s.Result.Fields[1].Value != "310104********0013" || s.Result.Title.ZH == "" || s.CenterName == "" || s.PrintedAt.IsZero() {
		t.Errorf("printed slip: %+v", s)
	}
	h.s.End()
	h.wait(t, flow.Attract)
	if held := flow.VisitData(h.s); len(held) > 0 {
		t.Errorf("after 结束办理 the session holds %v", held)
	}
}

// An item whose query is not connected at this center is greyed with the
// reason; so is a document without an A4 printer; and nothing is asked.
func TestUnconnectedGreyedWithReason(t *testing.T) {
	h := newDeptHarness(t, func(d *flow.Deps) { d.A4 = nil })
	h.conn = kiosk.Connected{Documents: []kiosk.ItemCode{kiosktest.RegisterItem.Code}}
	h.identify(t, kiosktest.Elder())
	h.s.SelectItem(kiosktest.PensionItem.Code)
	v := h.s.View()
	if h.s.CanQuery() || v.Notice != kiosk.Msg("dept.query_not_connected") {
		t.Errorf("unconnected query: can %v, notice %q", h.s.CanQuery(), v.Notice.ID)
	}
	h.s.RunQuery()
	if st := h.s.View().State; st != flow.ItemDetail {
		t.Errorf("a greyed query ran: %v", st)
	}
	h.s.Back()
	h.s.SelectItem(kiosktest.RegisterItem.Code)
	if h.s.CanIssue() || h.s.View().Notice != kiosk.Msg("dept.no_a4") {
		t.Errorf("document without A4: can %v, notice %q", h.s.CanIssue(), h.s.View().Notice.ID)
	}
	if h.dept.Calls != 0 {
		t.Errorf("%d calls to the departments for greyed items", h.dept.Calls)
	}
}

// The devices' gate speaks for the back office and the A4 printer: its
// words grey the query and the document, and a device that comes back
// lifts them while the item is on screen.
func TestDeptGatedByDevices(t *testing.T) {
	down := kiosk.Text{ZH: "A4打印机缺纸，暂不能打印证明，请到人工窗口"}
	a4ok := false
	h := newDeptHarness(t, func(d *flow.Deps) {
		d.Gate = func(it kiosk.Item) (bool, kiosk.Text) {
			for _, n := range it.Needs {
				if n == kiosk.NeedA4Printer && !a4ok {
					return false, down
				}
			}
			return true, kiosk.Text{}
		}
	})
	h.identify(t, kiosktest.Elder())
	h.s.SelectItem(kiosktest.RegisterItem.Code)
	if h.s.CanIssue() || h.s.View().Notice != down {
		t.Fatalf("A4 out of paper: can %v, notice %q", h.s.CanIssue(), h.s.View().Notice.ZH)
	}
	a4ok = true
	h.s.DevicesChanged(kiosk.TerminalState{Available: true}, kiosk.Text{})
	if !h.s.CanIssue() || !h.s.View().Notice.IsZero() {
		t.Errorf("A4 back: can %v, notice %q", h.s.CanIssue(), h.s.View().Notice.ZH)
	}
}

// A passing failure may be tried again; failing again sends the resident
// to the counter with no 重试; a retry that works shows the result.
func TestDeptTransientRetryThenCounter(t *testing.T) {
	h := newDeptHarness(t, nil)
	h.dept.Errs = []error{kiosktest.ErrDepartmentBusy}
	h.identify(t, kiosktest.Elder())
	h.s.SelectItem(kiosktest.PensionItem.Code)
	h.s.RunQuery()
	v := h.until(t, "failed", func(v flow.View) bool { return v.Phase == flow.PhaseFailed })
	if !v.Retry || v.Notice != kiosk.Msg("dept.busy") || v.Result != nil {
		t.Fatalf("first failure: retry %v, notice %q, result %v", v.Retry, v.Notice.ID, v.Result)
	}
	h.s.Retry()
	v = h.until(t, "the result shown", func(v flow.View) bool { return v.Phase == flow.PhaseShown })
	if v.Result == nil || v.Notice != (kiosk.Text{}) {
		t.Fatalf("after the retry: %+v", v)
	}

	// Twice in a row: the counter.
	h.s.Back()
	h.dept.Errs = []error{kiosktest.ErrDepartmentBusy, kiosktest.ErrDepartmentBusy}
	h.s.RunQuery()
	h.until(t, "failed", func(v flow.View) bool { return v.Phase == flow.PhaseFailed })
	h.s.Retry()
	v = h.waitNotice(t, kiosk.Msg("dept.failed_counter"))
	if v.Retry {
		t.Error("重试 offered after the second failure")
	}
	h.s.Retry()
	if calls := h.dept.Calls; calls != 4 {
		t.Errorf("%d calls to the department, want 4", calls)
	}
	// A refusal that is not passing: its words, no retry.
	h.s.Back()
	h.dept.Errs = []error{&kiosk.Error{Kind: kiosk.KindInvalid, Message: kiosk.Msg("identify.suishenma_unavailable")}}
	h.s.RunQuery()
	v = h.waitNotice(t, kiosk.Msg("identify.suishenma_unavailable"))
	if v.Retry {
		t.Error("重试 offered for a refusal")
	}
}

// A document is issued, printed on A4 and followed: 正在打印, then take
// the pages; its PDF is wiped once the printer has it.
func TestDocumentPrintsAndIsWiped(t *testing.T) {
	h := newDeptHarness(t, nil)
	h.a4.Hold = make(chan struct{})
	h.identify(t, kiosktest.Elder())
	h.s.SelectItem(kiosktest.RegisterItem.Code)
	if !h.s.CanIssue() {
		t.Fatalf("cannot issue: %q", h.s.View().Notice.ZH)
	}
	h.s.IssueDocument()
	v := h.until(t, "printing", func(v flow.View) bool { return v.State == flow.Document && v.Phase == flow.PhasePrinting })
	if v.DocTitle != kiosktest.RegisterItem.Name {
		t.Errorf("document title %q", v.DocTitle.ZH)
	}
	if h.dept.Leftover() {
		t.Error("the PDF is still in memory after it was sent")
	}
	if jobs := h.a4.Printed(); len(jobs) != 1 || !strings.HasPrefix(string(jobs[0]), "%PDF") {
		t.Errorf("A4 jobs: %q", jobs)
	}
	h.s.Back() // not while printing
	if st := h.s.View().State; st != flow.Document {
		t.Errorf("back while printing left for %v", st)
	}
	close(h.a4.Hold)
	v = h.waitNotice(t, kiosk.Msg("dept.take_pages"))
	if v.Phase != flow.PhasePrinted || !v.NoticeOK {
		t.Errorf("printed: phase %v, good %v", v.Phase, v.NoticeOK)
	}
}

// Paper runs out during the job: the printer's words, no retry, and
// nothing of the document left; then 结束办理.
func TestDocumentPaperOut(t *testing.T) {
	h := newDeptHarness(t, nil)
	noPaper := &kiosk.Error{Kind: kiosk.KindNoPaper, Message: kiosk.Msg("a4.no_paper")}
	h.a4.WaitErr = noPaper
	h.identify(t, kiosktest.Elder())
	h.s.SelectItem(kiosktest.RegisterItem.Code)
	h.s.IssueDocument()
	v := h.waitNotice(t, kiosk.Msg("a4.no_paper"))
	if v.Phase != flow.PhaseFailed || v.Retry || v.NoticeOK {
		t.Errorf("paper out: phase %v, retry %v, good %v", v.Phase, v.Retry, v.NoticeOK)
	}
	if h.dept.Leftover() {
		t.Error("the PDF is still in memory")
	}
	h.s.End()
	h.wait(t, flow.Attract)
	if held := flow.VisitData(h.s); len(held) > 0 {
		t.Errorf("after 结束办理 the session holds %v", held)
	}
}

// Ending the visit while the job prints cancels it: no pages come out for
// nobody.
func TestDocumentCancelledWithTheVisit(t *testing.T) {
	h := newDeptHarness(t, nil)
	h.a4.Hold = make(chan struct{})
	h.identify(t, kiosktest.Elder())
	h.s.SelectItem(kiosktest.RegisterItem.Code)
	h.s.IssueDocument()
	h.until(t, "printing", func(v flow.View) bool { return v.Phase == flow.PhasePrinting })
	h.s.End()
	h.wait(t, flow.Attract)
	deadline := time.Now().Add(5 * time.Second)
	for h.a4.Cancels() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if h.a4.Cancels() != 1 {
		t.Errorf("%d jobs cancelled when the visit ended, want 1", h.a4.Cancels())
	}
}

// Lifting the card wipes the result on screen; the timeout does too.
func TestResultWipedOnCardLiftAndTimeout(t *testing.T) {
	h := newDeptHarness(t, nil)
	h.identify(t, kiosktest.Elder())
	h.s.CardPresence(true)
	h.s.SelectItem(kiosktest.PensionItem.Code)
	h.s.RunQuery()
	h.until(t, "the result shown", func(v flow.View) bool { return v.Phase == flow.PhaseShown })
	h.s.CardPresence(false)
	v := h.s.View()
	if v.State != flow.ItemDetail || v.Result != nil || v.Notice != kiosk.Msg("dept.result_cleared") {
		t.Errorf("card lifted: %v, result %v, notice %q", v.State, v.Result, v.Notice.ID)
	}
	if held := flow.VisitData(h.s); strings.Contains(strings.Join(held, ","), "result") {
		t.Errorf("the session still holds the result: %v", held)
	}
	h.s.RunQuery()
	h.until(t, "the result shown", func(v flow.View) bool { return v.Phase == flow.PhaseShown })
	h.clock.Advance(flow.NormalTiming().Idle)
	h.clock.Advance(flow.NormalTiming().Countdown)
	h.wait(t, flow.Attract)
	if held := flow.VisitData(h.s); len(held) > 0 {
		t.Errorf("after the timeout the session holds %v", held)
	}
}
