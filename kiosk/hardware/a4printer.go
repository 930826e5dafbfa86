package hardware

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/tongban/tongban/devices/ipp"
	"github.com/tongban/tongban/kiosk"
)

// A4Queue is what the A4 printer needs of its CUPS queue: an *ipp.Client.
type A4Queue interface {
	Print(ctx context.Context, title, format string, doc []byte) (int, error)
	Job(ctx context.Context, id int) (ipp.Job, error)
	Printer(ctx context.Context) (ipp.Printer, error)
	Cancel(ctx context.Context, id int) error
}

// A4Config configures an A4Printer.
type A4Config struct {
	Queue A4Queue
	Name  string        // the queue's name, for staff's details
	Poll  time.Duration // how often a job and the printer are asked; 0 means 200 ms
	// Grace is how long a printer problem (paper out, door open, queue
	// stopped, no answer) may last during a job before the job is given
	// up and cancelled, so it does not print later for nobody; 0 means 3 s.
	Grace  time.Duration
	Clock  kiosk.Clock  // nil means kiosk.SystemClock
	Logger *slog.Logger // nil discards
}

// A4Printer prints PDFs on the A4 printer through CUPS, follows each job
// to its end, and reports the printer's status to the device manager
// (Watch).
type A4Printer struct {
	cfg   A4Config
	clock kiosk.Clock
	log   *slog.Logger
}

// NewA4Printer returns an A4 printer on cfg.Queue.
func NewA4Printer(cfg A4Config) *A4Printer {
	if cfg.Poll <= 0 {
		cfg.Poll = 200 * time.Millisecond
	}
	if cfg.Grace <= 0 {
		cfg.Grace = 3 * time.Second
	}
	p := &A4Printer{cfg: cfg, clock: cfg.Clock, log: cfg.Logger}
	if p.clock == nil {
		p.clock = kiosk.SystemClock{}
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	return p
}

// PrintPDF sends a PDF to the queue and returns the job's number. A
// printer that cannot print now is refused before the document is sent,
// with plain words for the resident.
func (p *A4Printer) PrintPDF(ctx context.Context, title string, pdf []byte) (int, error) {
	const op = "hardware.A4Printer.PrintPDF"
	pr, err := p.cfg.Queue.Printer(ctx)
	if err != nil {
		return 0, a4Error(op, kiosk.KindDevice, kiosk.Msg("a4.no_answer"), err)
	}
	if st := A4Status(pr); !st.Usable() {
		return 0, a4Error(op, kindOf(st), a4Words(st, pr), errors.New(st.Detail))
	}
	id, err := p.cfg.Queue.Print(ctx, title, "application/pdf", pdf)
	if err != nil {
		var se *ipp.StatusError
		if errors.As(err, &se) && se.Status == ipp.StatusNotAcceptingJobs {
			return 0, a4Error(op, kiosk.KindDevice, kiosk.Msg("a4.stopped"), err)
		}
		return 0, a4Error(op, kiosk.KindDevice, kiosk.Msg("a4.no_answer"), err)
	}
	p.log.Info("A4 job sent", "job", id, "bytes", len(pdf))
	return id, nil
}

// Wait follows a job until it has printed (nil) or cannot: cancelled,
// aborted, or held by a printer problem longer than the grace, in which
// case the job is cancelled. The error carries plain words for the
// resident (kiosk.MessageOf). When ctx ends first the job is cancelled
// too: nobody will be there to take the pages.
func (p *A4Printer) Wait(ctx context.Context, job int) error {
	const op = "hardware.A4Printer.Wait"
	var troubleSince time.Time
	var trouble error
	for {
		j, jerr := p.cfg.Queue.Job(ctx, job)
		if jerr == nil {
			switch j.State {
			case ipp.JobCompleted:
				p.log.Info("A4 job printed", "job", job)
				return nil
			case ipp.JobCanceled:
				return a4Error(op, kiosk.KindDevice, kiosk.Msg("a4.cancelled"), errors.New("the job was cancelled"))
			case ipp.JobAborted:
				return a4Error(op, kiosk.KindDevice, kiosk.Msg("a4.failed"), errors.New("the job was aborted: "+j.Message))
			}
			trouble = p.problem(ctx, op)
		} else if errors.Is(jerr, ipp.ErrNotFound) {
			return a4Error(op, kiosk.KindDevice, kiosk.Msg("a4.cancelled"), jerr)
		} else if ctx.Err() == nil {
			trouble = a4Error(op, kiosk.KindDevice, kiosk.Msg("a4.no_answer"), jerr)
		}
		switch {
		case trouble == nil:
			troubleSince = time.Time{}
		case troubleSince.IsZero():
			troubleSince = p.clock.Now()
		case p.clock.Now().Sub(troubleSince) >= p.cfg.Grace:
			p.giveUp(job, trouble)
			return trouble
		}
		if err := p.sleep(ctx, p.cfg.Poll); err != nil {
			p.giveUp(job, err)
			return a4Error(op, kiosk.KindDevice, kiosk.Msg("a4.no_answer"), err)
		}
	}
}

// problem returns an error when the printer cannot go on with a job now.
func (p *A4Printer) problem(ctx context.Context, op string) error {
	pr, err := p.cfg.Queue.Printer(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil // the caller notices the context
		}
		return a4Error(op, kiosk.KindDevice, kiosk.Msg("a4.no_answer"), err)
	}
	st := A4Status(pr)
	if st.Usable() {
		return nil
	}
	return a4Error(op, kindOf(st), a4Words(st, pr), errors.New(st.Detail))
}

// giveUp cancels a job that will not print while someone waits for it.
func (p *A4Printer) giveUp(job int, why error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.cfg.Queue.Cancel(ctx, job); err != nil {
		p.log.Warn("an A4 job that will not print was not cancelled; it may still print", "job", job, "err", err)
		return
	}
	p.log.Warn("A4 job cancelled: it could not print", "job", job, "why", why)
}

// Watch asks the queue for its state every interval and reports it as
// the A4 printer's device status, until ctx ends. Give it to the device
// manager as DeviceSpec.Watch.
func (p *A4Printer) Watch(interval time.Duration) func(ctx context.Context, report func(kiosk.DeviceStatus)) {
	if interval <= 0 {
		interval = DefaultPollInterval
	}
	return func(ctx context.Context, report func(kiosk.DeviceStatus)) {
		for ctx.Err() == nil {
			pr, err := p.cfg.Queue.Printer(ctx)
			switch {
			case ctx.Err() != nil:
				return
			case errors.Is(err, ipp.ErrNotFound):
				report(kiosk.DeviceStatus{Kind: kiosk.DeviceA4Printer, State: kiosk.DeviceNoDevice, Detail: "找不到打印队列 (no such CUPS queue): " + p.cfg.Name})
			case err != nil:
				report(kiosk.DeviceStatus{Kind: kiosk.DeviceA4Printer, State: kiosk.DeviceOffline, Detail: "CUPS 没有应答 (the scheduler did not answer)"})
			default:
				report(A4Status(pr))
			}
			if p.sleep(ctx, interval) != nil {
				return
			}
		}
	}
}

func (p *A4Printer) sleep(ctx context.Context, d time.Duration) error {
	fired := make(chan struct{})
	t := p.clock.AfterFunc(d, func() { close(fired) })
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-fired:
		return nil
	}
}

// A4Status maps what CUPS says of a queue and its printer to the A4
// printer's device status (RFC 8011 §5.4.12 printer-state-reasons, with
// their -error, -warning and -report suffixes). The worst problem wins:
// a jam, then paper out, an open door, no toner, a stopped or refusing
// queue, then an offline printer; low paper and low toner leave it usable.
//
// CUPS learns of paper, doors, jams and toner only from a backend while it
// prints a job, and keeps what it last heard after the job ends: an idle
// queue's media-empty may be long fixed, and nothing will clear it until a
// job runs. So unless a job is printing (printer-state processing), those
// reasons are reported to staff as what the last job met but do not make
// the printer unusable (a terminal that greyed its A4 items on them would
// never print again): the queue's own state decides. A job that meets the
// problem for real is given up by Wait within its grace.
func A4Status(pr ipp.Printer) kiosk.DeviceStatus {
	st := kiosk.DeviceStatus{Kind: kiosk.DeviceA4Printer, State: kiosk.DeviceOnline, Paper: kiosk.PaperFull}
	has := map[string]bool{}
	warn := map[string]bool{}
	for _, r := range pr.Reasons {
		key, severe := reasonKey(r)
		if severe {
			has[key] = true
		} else {
			warn[key] = true
		}
	}
	if pr.State == ipp.PrinterProcessing {
		st.State = kiosk.DeviceBusy
	}
	if pr.State != ipp.PrinterProcessing {
		for _, k := range []string{"media-jam", "media-empty", "media-needed", "door-open", "cover-open", "interlock-open", "toner-empty", "marker-supply-empty"} {
			if has[k] {
				delete(has, k)
				st.Paper, st.Detail = kiosk.PaperUnknown, "上次打印时："+k+" (met by the last job)"
			}
		}
	}
	last := st.Detail
	switch {
	case has["media-jam"]:
		st.State, st.Paper, st.Detail = kiosk.DeviceUserError, kiosk.PaperJammed, "卡纸 (paper jam)"
	case has["media-empty"] || has["media-needed"]:
		st.State, st.Paper, st.Detail = kiosk.DeviceUserError, kiosk.PaperOut, "缺纸 (paper out)"
	case has["door-open"] || has["cover-open"] || has["interlock-open"]:
		st.State, st.Detail = kiosk.DeviceUserError, "打印机门打开 (door open)"
	case has["toner-empty"] || has["marker-supply-empty"]:
		st.State, st.Detail = kiosk.DeviceUserError, "墨粉用完 (toner empty)"
	case pr.State == ipp.PrinterStopped || has["paused"]:
		st.State, st.Detail = kiosk.DeviceHardwareError, "打印队列已停止 (queue stopped)"
		if pr.Message != "" {
			st.Detail += ": " + clipDetail(pr.Message)
		}
		if last != "" {
			st.Detail += "; " + last
		}
	case !pr.Accepting:
		st.State, st.Detail = kiosk.DeviceHardwareError, "打印队列拒收任务 (queue rejecting jobs)"
	case has["offline"] || warn["offline"] || has["shutdown"]:
		st.State, st.Detail = kiosk.DeviceOffline, "打印机离线 (offline)"
	case has["media-low"] || warn["media-low"] || warn["media-empty"]:
		st.Paper, st.Detail = kiosk.PaperLow, "纸张不多 (paper low)"
	case has["toner-low"] || warn["toner-low"] || has["marker-supply-low"] || warn["marker-supply-low"]:
		st.Detail = "墨粉不足 (toner low)"
	}
	return st
}

// reasonKey strips a state reason's suffix; severe is false for -warning
// and -report, which do not stop the printer.
func reasonKey(r string) (key string, severe bool) {
	for _, suffix := range []string{"-warning", "-report"} {
		if k, ok := strings.CutSuffix(r, suffix); ok {
			return k, false
		}
	}
	return strings.TrimSuffix(r, "-error"), true
}

// a4Words says what went wrong with a document that did not print.
func a4Words(st kiosk.DeviceStatus, pr ipp.Printer) kiosk.Text {
	switch {
	case st.Paper == kiosk.PaperJammed:
		return kiosk.Msg("a4.jam")
	case st.Paper == kiosk.PaperOut:
		return kiosk.Msg("a4.no_paper")
	case strings.Contains(st.Detail, "door open"):
		return kiosk.Msg("a4.door_open")
	case strings.Contains(st.Detail, "toner empty"):
		return kiosk.Msg("a4.no_toner")
	case pr.State == ipp.PrinterStopped || !pr.Accepting:
		return kiosk.Msg("a4.stopped")
	case st.State == kiosk.DeviceOffline:
		return kiosk.Msg("a4.no_answer")
	}
	return kiosk.Msg("a4.failed")
}

func kindOf(st kiosk.DeviceStatus) kiosk.ErrorKind {
	if st.Paper == kiosk.PaperOut {
		return kiosk.KindNoPaper
	}
	return kiosk.KindDevice
}

func a4Error(op string, kind kiosk.ErrorKind, msg kiosk.Text, err error) error {
	return &kiosk.Error{Op: op, Kind: kind, Message: msg, Err: err}
}

// clipDetail keeps a scheduler's message short for the status detail.
func clipDetail(s string) string {
	const n = 120
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i]
}
