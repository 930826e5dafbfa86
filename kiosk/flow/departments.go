package flow

import (
	"context"

	"github.com/tongban/tongban/kiosk"
)

// Queries and documents (issue 18): an item's query asks the department
// service connected at this center (through the back office) about the
// identified resident and shows the answer on the result screen, masked
// where the public hall should not see it, with 打印 (on the receipt
// printer) and 结束办理. An item's document is issued by the back office
// and printed on the A4 printer; the screen follows the job until the
// resident can take the pages. Neither is ever stored: the result lives
// in the visit and is wiped with it (or when the card is lifted), the
// PDF lives only in the work that prints it and is wiped once sent.

// A4Printer prints PDFs on A4 and follows the job (hardware.A4Printer).
type A4Printer interface {
	// PrintPDF sends a PDF and returns the job's number; a printer that
	// cannot print now refuses with plain words for the resident.
	PrintPDF(ctx context.Context, title string, pdf []byte) (int, error)
	// Wait follows the job until it has printed (nil) or cannot; the job
	// is cancelled when ctx ends first.
	Wait(ctx context.Context, job int) error
}

// ResultPrinter prints a query result on the receipt printer. The receipt
// printer has it; a printer without it prints no result (the screen says
// so).
type ResultPrinter interface {
	PrintResult(ctx context.Context, s kiosk.ResultSlip) error
}

// Phase is where a query or a document stands on its screen.
type Phase int

const (
	PhaseAsking   Phase = iota // asking the department: 正在查询 / 正在开具
	PhaseShown                 // the result on screen
	PhasePrinting              // the result or the document is printing
	PhasePrinted               // the document has printed: take the pages
	PhaseFailed                // it did not work: the notice says why and where to go
)

// maxDeptTries is how many times a resident may try a query or a document
// that failed for a passing reason before the screen sends them to the
// counter.
const maxDeptTries = 2

// deptState is the query or document of the screen: the department's
// answer (raw; the view masks it), the phase, and the failures so far.
type deptState struct {
	phase    Phase
	result   *kiosk.QueryResult
	docTitle kiosk.Text
	tries    int  // failures in a row
	retry    bool // the last failure may be tried again
}

func (d *deptState) wipe() {
	if d.result != nil {
		d.result.Wipe()
	}
	*d = deptState{}
}

// CanQuery reports whether the item on screen's query can be run now.
func (s *Session) CanQuery() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m.canQuery()
}

// CanIssue reports whether the item on screen's document can be issued
// and printed now.
func (s *Session) CanIssue() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m.canIssue()
}

// RunQuery asks the department for the item on screen's answer about the
// resident and shows it.
func (s *Session) RunQuery() { s.dispatch(evRunQuery{}) }

// IssueDocument has the back office issue the item on screen's document
// and prints it on A4.
func (s *Session) IssueDocument() { s.dispatch(evIssue{}) }

// Retry tries a failed query or document again, when the failure allows.
func (s *Session) Retry() { s.dispatch(evRetry{}) }

// PrintResult prints the result on screen on the receipt printer, masked.
func (s *Session) PrintResult() { s.dispatch(evPrintResult{}) }

// deptGate checks the item's query and document against what this center
// has connected, the A4 printer and the devices' gate (the back office,
// and for a document the A4 printer, as needs of their own).
func (m *machine) deptGate(e env) {
	m.v.queryWhy, m.v.docWhy = kiosk.Text{}, kiosk.Text{}
	it := m.v.item
	if it == nil {
		return
	}
	var conn kiosk.Connected
	if e.connected != nil && e.departments {
		conn = e.connected()
	}
	gate := func(needs ...kiosk.Need) kiosk.Text {
		if e.gate == nil {
			return kiosk.Text{}
		}
		probe := *it
		probe.Needs = needs
		if ok, why := e.gate(probe); !ok {
			return nonEmpty(why, cannotServeNotice)
		}
		return kiosk.Text{}
	}
	who := identityWhy(m.v.who) // a 随申码 the back office never verified: it would refuse
	if who.IsZero() {
		who = m.cardWhy() // a card it has not vouched for (yet): it would refuse too
	}
	if it.Can(kiosk.ActionQuery) && it.Code != progressItem {
		switch {
		case !who.IsZero():
			m.v.queryWhy = who
		case !conn.Query(it.Code):
			m.v.queryWhy = kiosk.Msg("dept.query_not_connected")
		default:
			m.v.queryWhy = gate(kiosk.NeedBackOffice)
		}
	}
	if it.Can(kiosk.ActionPrint) {
		switch {
		case !who.IsZero():
			m.v.docWhy = who
		case !conn.Document(it.Code):
			m.v.docWhy = kiosk.Msg("dept.document_not_connected")
		case !e.a4:
			m.v.docWhy = kiosk.Msg("dept.no_a4")
		default:
			m.v.docWhy = gate(kiosk.NeedA4Printer, kiosk.NeedBackOffice)
		}
	}
}

// progressItem is the item whose query is the progress of a receipt
// (scan its QR code), not a department's answer.
const progressItem kiosk.ItemCode = "case-progress"

// IsProgressQuery reports whether item's query is the receipt-progress
// query (scan the receipt's QR code) rather than a department's answer.
func IsProgressQuery(it kiosk.Item) bool { return it.Code == progressItem }

// itemNotice is what the item screen says: why it cannot be applied for,
// else why its query or its document cannot be had here.
func (m *machine) itemNotice() kiosk.Text {
	if why := m.itemWhy(); !why.IsZero() {
		return why
	}
	if !m.v.queryWhy.IsZero() {
		return m.v.queryWhy
	}
	return m.v.docWhy
}

func (m *machine) canQuery() bool {
	it := m.v.item
	return m.state == ItemDetail && it != nil && it.Can(kiosk.ActionQuery) && it.Code != progressItem &&
		m.v.queryWhy.IsZero() && m.v.who.Present()
}

func (m *machine) canIssue() bool {
	it := m.v.item
	return m.state == ItemDetail && it != nil && it.Can(kiosk.ActionPrint) && m.v.docWhy.IsZero() && m.v.who.Present()
}

func (m *machine) runQuery(e env) {
	if !m.canQuery() {
		return
	}
	m.v.dept.wipe()
	m.goTo(Result)
	m.askQuery()
}

// askQuery asks the department, from the result screen.
func (m *machine) askQuery() {
	m.v.dept.phase, m.v.dept.retry = PhaseAsking, false
	if m.v.dept.result != nil {
		m.v.dept.result.Wipe()
		m.v.dept.result = nil
	}
	t, code, who, lang := m.tag(), m.v.item.Code, m.v.who, m.lang
	m.spawn(work{kind: EffectDepartment, run: func(ctx context.Context, p ports) event {
		r, err := p.departments.Query(ctx, code, who, lang)
		if ctx.Err() != nil {
			r.Wipe()
			return nil // the visit or the screen is gone: nobody to show it to
		}
		if err != nil {
			r.Wipe()
			return evDeptFailed{t, err}
		}
		return evQueryAnswered{t, r}
	}})
}

func (m *machine) queryAnswered(t tag, r kiosk.QueryResult) {
	if !m.current(t) || m.state != Result {
		r.Wipe()
		return
	}
	m.v.dept.phase, m.v.dept.result, m.v.dept.tries = PhaseShown, &r, 0
	m.emit(logLine{msg: "query answered", args: []any{"item", string(r.Item), "fields", len(r.Fields)}})
	m.arm()
}

// deptFailed shows a failed query or document in the department's plain
// words; a passing failure may be tried again once, then the counter.
func (m *machine) deptFailed(t tag, err error) {
	if !m.current(t) {
		return
	}
	d := &m.v.dept
	d.tries++
	d.phase = PhaseFailed
	kind := kiosk.KindOf(err)
	d.retry = kind == kiosk.KindTransient && d.tries < maxDeptTries
	m.emit(logLine{warn: true, msg: "department service failed", args: []any{"state", m.state.String(), "kind", int(kind), "tries", d.tries}})
	switch {
	case d.retry:
		m.notice = kiosk.MessageOf(err)
	case kind == kiosk.KindTransient:
		m.notice = kiosk.Msg("dept.failed_counter") // tried again and failed again: the counter
	default:
		m.notice = kiosk.MessageOf(err)
	}
	m.arm()
}

func (m *machine) retryDept() {
	if (m.state != Result && m.state != Document) || m.v.dept.phase != PhaseFailed || !m.v.dept.retry {
		return
	}
	m.notice = kiosk.Text{}
	if m.state == Result {
		m.askQuery()
	} else {
		m.issue()
	}
	m.arm()
}

func (m *machine) printResult(e env) {
	if m.state != Result || m.v.dept.phase != PhaseShown || m.v.dept.result == nil {
		return
	}
	m.v.dept.phase = PhasePrinting
	m.notice, m.noticeOK = kiosk.Text{}, false
	slip := kiosk.ResultSlip{CenterName: e.terminal.CenterName, Result: m.v.dept.result.Masked(), PrintedAt: e.now, Lang: m.lang}
	t := m.tag()
	m.spawn(work{kind: EffectPrintResult, run: func(ctx context.Context, p ports) event {
		rp, ok := p.printer.(ResultPrinter)
		if !ok {
			return evResultPrinted{t, errNoResultPrinter}
		}
		err := rp.PrintResult(ctx, slip)
		slip.Result.Wipe()
		return evResultPrinted{t, err}
	}})
}

var errNoResultPrinter = &kiosk.Error{Op: "flow.PrintResult", Kind: kiosk.KindDevice, Message: kiosk.Msg("dept.result_not_printed")}

func (m *machine) resultPrinted(t tag, err error) {
	if !m.current(t) || m.state != Result || m.v.dept.phase != PhasePrinting {
		return
	}
	m.v.dept.phase = PhaseShown
	if err != nil {
		m.emit(logLine{warn: true, msg: "query result not printed", args: []any{"kind", int(kiosk.KindOf(err))}})
		m.notice, m.noticeOK = kiosk.MessageOf(err), false
		return
	}
	m.notice, m.noticeOK = kiosk.Msg("dept.take_result"), true
	m.arm()
}

func (m *machine) issueDocument(e env) {
	if !m.canIssue() {
		return
	}
	m.v.dept.wipe()
	m.v.dept.docTitle = m.v.item.Name
	m.goTo(Document)
	m.issue()
}

// issue has the back office issue the document and sends it to the A4
// printer; the PDF is wiped as soon as the printer has it (or cannot take
// it), and never reaches the machine.
func (m *machine) issue() {
	m.v.dept.phase, m.v.dept.retry = PhaseAsking, false
	t, code, who, lang := m.tag(), m.v.item.Code, m.v.who, m.lang
	m.spawn(work{kind: EffectDocument, run: func(ctx context.Context, p ports) event {
		d, err := p.departments.Document(ctx, code, who, lang)
		if err != nil || ctx.Err() != nil {
			d.Wipe()
			if ctx.Err() != nil {
				return nil
			}
			return evDeptFailed{t, err}
		}
		title, number := d.Title, d.Number
		job, perr := p.a4.PrintPDF(ctx, title.ZH, d.PDF)
		d.Wipe()
		if perr != nil {
			return evDocPrinted{t, perr}
		}
		p.log.Info("document sent to the A4 printer", "item", string(code), "job", job)
		p.audit("document.sent", number, string(code))
		return evDocSent{t, job}
	}})
}

func (m *machine) docSent(t tag, job int) {
	if !m.current(t) || m.state != Document {
		return
	}
	m.v.dept.phase, m.v.dept.tries = PhasePrinting, 0
	m.arm()
	m.spawn(work{kind: EffectA4, run: func(ctx context.Context, p ports) event {
		return evDocPrinted{t, p.a4.Wait(ctx, job)}
	}})
}

func (m *machine) docPrinted(t tag, err error) {
	if !m.current(t) || m.state != Document {
		return
	}
	if err != nil {
		// The printer's own words (paper out, jam, stopped) say the
		// document did not print and to go to the counter.
		m.v.dept.phase, m.v.dept.retry = PhaseFailed, false
		m.notice, m.noticeOK = kiosk.MessageOf(err), false
		m.emit(logLine{warn: true, msg: "document not printed", args: []any{"kind", int(kiosk.KindOf(err))}})
		m.arm()
		return
	}
	m.v.dept.phase = PhasePrinted
	m.notice, m.noticeOK = kiosk.Msg("dept.take_pages"), true
	m.arm()
}

// deptBack leaves the result or document screen for the item, wiping the
// result; never while a document is printing (its pages would come out
// for nobody who knows).
func (m *machine) deptBack(e env) {
	if m.state == Document && (m.v.dept.phase == PhaseAsking || m.v.dept.phase == PhasePrinting) {
		return
	}
	m.v.dept.wipe()
	m.toItem(e)
}

// cardLifted wipes a query result on screen when the card it was asked
// with is lifted: the resident may be leaving.
func (m *machine) cardLiftedFromResult(e env) {
	if m.state != Result || m.v.who.Card == kiosk.CardSuishenma {
		return
	}
	m.v.dept.wipe()
	m.toItem(e)
	m.notice = kiosk.Msg("dept.result_cleared")
}

// deptView puts the query or document on the view, masked.
func (m *machine) deptView(v *View) {
	if m.state != Result && m.state != Document {
		return
	}
	d := m.v.dept
	v.Phase, v.Retry, v.DocTitle = d.phase, d.retry && d.phase == PhaseFailed, d.docTitle
	if m.state == Result && d.result != nil {
		r := d.result.Masked()
		v.Result = &r
	}
}

// The events of queries and documents.
type (
	evRunQuery      struct{}
	evIssue         struct{}
	evRetry         struct{}
	evPrintResult   struct{}
	evQueryAnswered struct {
		t tag
		r kiosk.QueryResult
	}
	evDeptFailed struct {
		t   tag
		err error
	}
	evResultPrinted struct {
		t   tag
		err error
	}
	evDocSent struct {
		t   tag
		job int
	}
	evDocPrinted struct {
		t   tag
		err error
	}
)

func (evRunQuery) isEvent()      {}
func (evIssue) isEvent()         {}
func (evRetry) isEvent()         {}
func (evPrintResult) isEvent()   {}
func (evQueryAnswered) isEvent() {}
func (evDeptFailed) isEvent()    {}
func (evResultPrinted) isEvent() {}
func (evDocSent) isEvent()       {}
func (evDocPrinted) isEvent()    {}
