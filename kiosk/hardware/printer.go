package hardware

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/i18n"
	"github.com/tongban/tongban/kiosk/receipt"
)

// PrinterConfig configures a receipt printer adapter.
type PrinterConfig struct {
	Profile       escpos.Profile   // paper width and abilities; zero means escpos.Paper58()
	Logger        *slog.Logger     // nil discards
	Now           func() time.Time // job times; nil means time.Now
	StatusTimeout time.Duration    // how long to wait for a status answer; zero means 2 s
	KeepJobs      int              // print jobs remembered for reprinting; zero means 50
	// Words gives the printed words (an *i18n.Catalog); nil loads the
	// embedded i18n catalog at the first print.
	Words receipt.Words
	// OnPrinted runs after each job that printed whole (a first print or
	// a reprint), with the printer held: it records the fact durably
	// (kiosk/outbox MarkPrinted), since the jobs live in memory only and
	// a killed kiosk forgets them. It must not call the printer. Nil:
	// nothing.
	OnPrinted func(job PrintJob)
}

// JobKind is what a print job prints.
type JobKind string

// Print job kinds.
const (
	JobReceipt  JobKind = "receipt"
	JobTicket   JobKind = "ticket"
	JobSelfTest JobKind = "selftest"
	// JobResult is a query result: printed once, never kept for a
	// reprint (it is the resident's, and the visit's only).
	JobResult JobKind = "result"
)

// PrintJob is one document sent (or to be sent again) to the printer. A job
// that failed keeps its bytes so staff can reprint it. Receipts hold the
// masked name and ID number only.
type PrintJob struct {
	ID       string
	Kind     JobKind
	Label    string // the receipt or ticket number, for staff
	Created  time.Time
	Attempts int
	Printed  bool
	Err      error // why the last attempt failed; nil once printed
	data     []byte
	// again lays the job out anew as a reprint made at the given time
	// (a receipt says 补打); nil: reprinted as it was.
	again func(at time.Time) ([]byte, error)
}

// Printer is the kiosk's receipt printer: it lays documents out, checks the
// printer before and after each job, and keeps the jobs so a failed one can
// be reprinted. It implements kiosk.ReceiptPrinter.
type Printer struct {
	conn    *escpos.Conn
	profile escpos.Profile
	log     *slog.Logger
	now     func() time.Time
	timeout time.Duration
	keep    int
	printed func(job PrintJob)

	wordsOnce sync.Once
	words     receipt.Words

	mu     sync.Mutex // one job at a time; guards the fields below
	jobs   []*PrintJob
	seq    int
	status kiosk.DeviceStatus
}

var _ kiosk.ReceiptPrinter = (*Printer)(nil)

// NewPrinter returns the adapter for the ESC/POS printer on rw.
func NewPrinter(rw escpos.Port, cfg PrinterConfig) *Printer {
	if cfg.Profile.Dots == 0 {
		cfg.Profile = escpos.Paper58()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.StatusTimeout <= 0 {
		cfg.StatusTimeout = 2 * time.Second
	}
	if cfg.KeepJobs <= 0 {
		cfg.KeepJobs = 50
	}
	return &Printer{
		conn:    escpos.NewConn(rw),
		profile: cfg.Profile,
		log:     cfg.Logger,
		now:     cfg.Now,
		timeout: cfg.StatusTimeout,
		keep:    cfg.KeepJobs,
		words:   cfg.Words,
		printed: cfg.OnPrinted,
		status:  kiosk.DeviceStatus{Kind: kiosk.DevicePrinter, State: kiosk.DeviceOffline},
	}
}

// printedWords returns the words documents are printed in, loading the
// i18n catalog the first time when none was configured. A catalog that
// does not load (it is embedded: a broken build) prints message IDs.
func (p *Printer) printedWords() receipt.Words {
	p.wordsOnce.Do(func() {
		if p.words != nil {
			return
		}
		c, err := i18n.Load()
		if err != nil {
			p.log.Error("printer: the printed words do not load; printing message IDs", "err", err)
			p.words = messageIDs{}
			return
		}
		p.words = c
	})
	return p.words
}

// messageIDs prints data as it is and a message as its ID.
type messageIDs struct{}

func (messageIDs) Text(lang kiosk.Lang, t kiosk.Text) string { return t.In(lang) }

// PrintReceipt prints the acceptance receipt. Call it only once the
// submission is safe in the queue: if printing fails, the returned
// kiosk.Error says so in plain words and the job can be reprinted.
func (p *Printer) PrintReceipt(ctx context.Context, r kiosk.Receipt) error {
	data, err := receipt.Acceptance(r, p.profile, p.printedWords())
	if err != nil {
		return &kiosk.Error{Op: "hardware.PrintReceipt", Kind: kiosk.KindInternal, Err: err}
	}
	j := p.newJob(JobReceipt, r.LocalReceipt, data)
	j.again = func(at time.Time) ([]byte, error) {
		copy := r
		copy.Reprinted = at
		return receipt.Acceptance(copy, p.profile, p.printedWords())
	}
	return p.run(ctx, j)
}

// PrintTicket prints a counter queue ticket.
func (p *Printer) PrintTicket(ctx context.Context, t kiosk.Ticket) error {
	data, err := receipt.Ticket(t, p.profile, p.printedWords())
	if err != nil {
		return &kiosk.Error{Op: "hardware.PrintTicket", Kind: kiosk.KindInternal, Err: err}
	}
	return p.run(ctx, p.newJob(JobTicket, t.Number, data))
}

// PrintAppointment prints an appointment slip (预约凭证).
func (p *Printer) PrintAppointment(ctx context.Context, a kiosk.Appointment) error {
	data, err := receipt.Appointment(a, p.profile, p.printedWords())
	if err != nil {
		return &kiosk.Error{Op: "hardware.PrintAppointment", Kind: kiosk.KindInternal, Err: err}
	}
	return p.run(ctx, p.newJob(JobTicket, a.ID, data)) // a slip fails and reprints as a ticket does
}

// PrintResult prints a query result, masked. Unlike the other documents it
// is not kept among the jobs for a reprint, and its bytes are cleared once
// sent: nothing of the resident's result stays in the printer adapter.
func (p *Printer) PrintResult(ctx context.Context, s kiosk.ResultSlip) error {
	data, err := receipt.Result(s, p.profile, p.printedWords())
	if err != nil {
		return &kiosk.Error{Op: "hardware.PrintResult", Kind: kiosk.KindInternal, Err: err}
	}
	defer clear(data)
	p.mu.Lock()
	defer p.mu.Unlock()
	job := &PrintJob{ID: "result", Kind: JobResult, Created: p.now(), Attempts: 1, data: data}
	if err := p.send(ctx, job); err != nil {
		p.log.Warn("query result not printed", "status", p.status.Detail, "err", err)
		return err
	}
	p.log.Info("query result printed", "bytes", len(data))
	return nil
}

// PrintSelfTest prints the technician's self-test page.
func (p *Printer) PrintSelfTest(ctx context.Context, s kiosk.SelfTest) error {
	data, err := receipt.SelfTest(s, p.profile, p.printedWords())
	if err != nil {
		return &kiosk.Error{Op: "hardware.PrintSelfTest", Kind: kiosk.KindInternal, Err: err}
	}
	return p.run(ctx, p.newJob(JobSelfTest, s.Terminal, data))
}

// Reprint sends job id again, e.g. from staff mode after paper was loaded.
func (p *Printer) Reprint(ctx context.Context, id string) error {
	p.mu.Lock()
	var job *PrintJob
	for _, j := range p.jobs {
		if j.ID == id {
			job = j
		}
	}
	p.mu.Unlock()
	if job == nil {
		return &kiosk.Error{Op: "hardware.Reprint", Kind: kiosk.KindInvalid, Err: fmt.Errorf("no print job %q", id),
			Message: kiosk.Msg("printer.job_gone")}
	}
	if job.again != nil {
		data, err := job.again(p.now())
		if err != nil {
			return &kiosk.Error{Op: "hardware.Reprint", Kind: kiosk.KindInternal, Err: err}
		}
		p.mu.Lock()
		job.data = data
		p.mu.Unlock()
	}
	return p.run(ctx, job)
}

// Jobs returns the remembered jobs, oldest first (copies, without their bytes).
func (p *Printer) Jobs() []PrintJob {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]PrintJob, len(p.jobs))
	for i, j := range p.jobs {
		out[i] = *j
		out[i].data = nil
	}
	return out
}

// Failed returns the jobs whose last attempt failed, oldest first.
func (p *Printer) Failed() []PrintJob {
	var out []PrintJob
	for _, j := range p.Jobs() {
		if !j.Printed {
			out = append(out, j)
		}
	}
	return out
}

// Status asks the printer how it is and returns that as the kiosk's device
// status, with the paper supply set. A printer that does not answer within
// the status timeout is offline.
func (p *Printer) Status(ctx context.Context) kiosk.DeviceStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	st, _ := p.query(ctx)
	return st
}

// LastStatus returns the status seen by the last query or job, without
// asking the printer.
func (p *Printer) LastStatus() kiosk.DeviceStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.status
}

// query asks for status and records it; p.mu is held.
func (p *Printer) query(ctx context.Context) (kiosk.DeviceStatus, *escpos.Status) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	st, err := p.conn.Status(ctx)
	if err != nil {
		p.status = kiosk.DeviceStatus{Kind: kiosk.DevicePrinter, State: kiosk.DeviceOffline, Paper: kiosk.PaperUnknown,
			Detail: "打印机没有应答 (no status answer)"}
		return p.status, nil
	}
	p.status = DeviceStatusOf(st)
	return p.status, &st
}

// DeviceStatusOf maps an ESC/POS real-time status to the kiosk's device
// status (CEN/XFS style): faults staff can clear are user errors, broken
// parts are hardware errors, and the paper supply is reported separately.
func DeviceStatusOf(st escpos.Status) kiosk.DeviceStatus {
	ds := kiosk.DeviceStatus{Kind: kiosk.DevicePrinter, State: kiosk.DeviceOnline, Paper: kiosk.PaperFull}
	switch {
	case st.PaperOut:
		ds.Paper = kiosk.PaperOut
	case st.MechanicalError:
		ds.Paper = kiosk.PaperJammed
	case st.PaperNearEnd:
		ds.Paper = kiosk.PaperLow
	}
	switch {
	case st.CutterError || st.Unrecoverable:
		ds.State, ds.Detail = kiosk.DeviceHardwareError, "切刀或打印机故障 (cutter or printer fault)"
	case st.CoverOpen:
		ds.State, ds.Detail = kiosk.DeviceUserError, "打印机盖打开 (cover open)"
	case st.PaperOut:
		ds.State, ds.Detail = kiosk.DeviceUserError, "缺纸 (paper out)"
	case st.MechanicalError:
		ds.State, ds.Detail = kiosk.DeviceUserError, "卡纸 (paper jam)"
	case !st.Online:
		ds.State, ds.Detail = kiosk.DeviceOffline, "打印机离线 (offline)"
	}
	return ds
}

func (p *Printer) newJob(kind JobKind, label string, data []byte) *PrintJob {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seq++
	j := &PrintJob{ID: fmt.Sprintf("P%04d", p.seq), Kind: kind, Label: label, Created: p.now(), data: data}
	p.jobs = append(p.jobs, j)
	p.trim()
	return j
}

// trim forgets the oldest printed jobs, then the oldest failed ones, beyond
// the limit; p.mu is held.
func (p *Printer) trim() {
	for len(p.jobs) > p.keep {
		drop := 0
		for i, j := range p.jobs {
			if j.Printed {
				drop = i
				break
			}
		}
		p.jobs = append(p.jobs[:drop], p.jobs[drop+1:]...)
	}
}

// run sends a job: status first, then the bytes, then status again.
func (p *Printer) run(ctx context.Context, job *PrintJob) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	job.Attempts++
	err := p.send(ctx, job)
	job.Printed, job.Err = err == nil, err
	if err != nil {
		p.log.Warn("print job failed", "job", job.ID, "kind", job.Kind, "attempt", job.Attempts, "status", p.status.Detail, "err", err)
	} else {
		p.log.Info("print job printed", "job", job.ID, "kind", job.Kind, "attempt", job.Attempts, "bytes", len(job.data))
		if p.printed != nil {
			done := *job
			done.data = nil
			p.printed(done)
		}
	}
	return err
}

func (p *Printer) send(ctx context.Context, job *PrintJob) error {
	const op = "hardware.Print"
	if _, st := p.query(ctx); st == nil {
		return &kiosk.Error{Op: op, Kind: kiosk.KindDevice, Message: faultWords(faultNoAnswer, job.Kind, false), Err: escpos.ErrNoAnswer}
	} else if f := faultOf(*st); f != faultNone {
		return &kiosk.Error{Op: op, Kind: f.kind(), Message: faultWords(f, job.Kind, false), Err: fmt.Errorf("printer %s before job %s", st, job.ID)}
	}
	if _, err := p.conn.Write(job.data); err != nil {
		p.status = kiosk.DeviceStatus{Kind: kiosk.DevicePrinter, State: kiosk.DeviceNoDevice, Detail: "写入失败 (write failed)"}
		return &kiosk.Error{Op: op, Kind: kiosk.KindDevice, Message: faultWords(faultNoAnswer, job.Kind, true), Err: err}
	}
	_, st := p.query(ctx)
	if st == nil {
		return &kiosk.Error{Op: op, Kind: kiosk.KindDevice, Message: faultWords(faultNoAnswer, job.Kind, true), Err: escpos.ErrNoAnswer}
	}
	if f := faultOf(*st); f != faultNone {
		return &kiosk.Error{Op: op, Kind: f.kind(), Message: faultWords(f, job.Kind, true), Err: fmt.Errorf("printer %s after job %s", st, job.ID)}
	}
	return nil
}

// fault is why a printer cannot print, in the terms of the message shown.
type fault int

const (
	faultNone fault = iota
	faultNoPaper
	faultCover
	faultJam
	faultBroken
	faultNoAnswer
)

func faultOf(st escpos.Status) fault {
	switch {
	case st.PaperOut:
		return faultNoPaper
	case st.CoverOpen:
		return faultCover
	case st.MechanicalError:
		return faultJam
	case st.CutterError || st.Unrecoverable || !st.Online:
		return faultBroken
	}
	return faultNone
}

func (f fault) kind() kiosk.ErrorKind {
	if f == faultNoPaper {
		return kiosk.KindNoPaper
	}
	return kiosk.KindDevice
}

// faultWords says what went wrong and what to do now, for the resident.
func faultWords(f fault, kind JobKind, started bool) kiosk.Text {
	what := map[fault]kiosk.Text{
		faultNoPaper:  kiosk.Msg("printer.fault_no_paper"),
		faultCover:    kiosk.Msg("printer.fault_cover"),
		faultJam:      kiosk.Msg("printer.fault_jam"),
		faultBroken:   kiosk.Msg("printer.fault_broken"),
		faultNoAnswer: kiosk.Msg("printer.fault_no_answer"),
	}[f]
	if what.IsZero() {
		what = kiosk.Msg("printer.fault_broken")
	}
	switch {
	case kind == JobTicket && started:
		return kiosk.Msg("printer.ticket_not_finished", "Fault", what)
	case kind == JobTicket:
		return kiosk.Msg("printer.ticket_not_printed", "Fault", what)
	case kind == JobResult && started:
		return kiosk.Msg("printer.result_not_finished", "Fault", what)
	case kind == JobResult:
		return kiosk.Msg("printer.result_not_printed", "Fault", what)
	case kind == JobSelfTest && started:
		return kiosk.Msg("printer.selftest_not_finished", "Fault", what)
	case kind == JobSelfTest:
		return kiosk.Msg("printer.selftest_not_printed", "Fault", what)
	case started:
		return kiosk.Msg("printer.receipt_not_finished", "Fault", what)
	}
	return kiosk.Msg("printer.receipt_not_printed", "Fault", what)
}
