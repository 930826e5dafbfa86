package hardware

import (
	"context"
	"errors"
	"io"
	"os"
	"sync"
	"time"

	"github.com/tongban/tongban/kiosk"
)

var errNoAnswer = errors.New("hardware: the printer did not answer a status request")

// leasedPort is an io.ReadWriter that forwards to whatever port the device
// manager lent for the current job. Outside a job it fails.
//
// It offers SetReadDeadline, so drivers read it with deadlines: a port whose
// reads time out in short slices (as serial ports opened by the manager do)
// is read again until the deadline passes, instead of failing at the first
// quiet slice.
type leasedPort struct {
	mu       sync.Mutex
	rw       io.ReadWriter
	deadline time.Time
}

// SetReadDeadline bounds the following reads; the zero time means none.
func (l *leasedPort) SetReadDeadline(t time.Time) error {
	l.mu.Lock()
	l.deadline = t
	l.mu.Unlock()
	return nil
}

func (l *leasedPort) current() (io.ReadWriter, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rw == nil {
		return nil, io.ErrClosedPipe
	}
	return l.rw, nil
}

func (l *leasedPort) Read(p []byte) (int, error) {
	for {
		rw, err := l.current()
		if err != nil {
			return 0, err
		}
		n, err := rw.Read(p)
		if n > 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
			return n, err
		}
		l.mu.Lock()
		deadline := l.deadline
		l.mu.Unlock()
		if !deadline.IsZero() && !time.Now().Before(deadline) {
			return 0, err
		}
	}
}

func (l *leasedPort) Write(p []byte) (int, error) {
	rw, err := l.current()
	if err != nil {
		return 0, err
	}
	return rw.Write(p)
}

func (l *leasedPort) set(rw io.ReadWriter) {
	l.mu.Lock()
	l.rw = rw
	l.mu.Unlock()
}

// withDeadlines lets drivers read rw with deadlines (see leasedPort), so
// they read in their caller's goroutine and leave no reader behind on a
// port that the manager hands to someone else next.
func withDeadlines(rw io.ReadWriter) io.ReadWriter {
	l := &leasedPort{}
	l.set(rw)
	return l
}

// ManagedPrinter prints through the device manager: each job borrows the
// printer's port for its duration, so a replugged printer is used again
// without a restart, and the printer's job history (for reprints) lives on.
type ManagedPrinter struct {
	m       *Manager
	port    *leasedPort
	printer *Printer
}

// NewManagedPrinter returns a printer adapter whose port comes from m.
func NewManagedPrinter(m *Manager, cfg PrinterConfig) *ManagedPrinter {
	port := &leasedPort{}
	return &ManagedPrinter{m: m, port: port, printer: NewPrinter(port, cfg)}
}

func (p *ManagedPrinter) lend(ctx context.Context, job func() error) error {
	return p.m.Use(ctx, kiosk.DevicePrinter, func(rw io.ReadWriter) error {
		p.port.set(rw)
		defer p.port.set(nil)
		return job()
	})
}

// PrintReceipt prints the acceptance receipt.
func (p *ManagedPrinter) PrintReceipt(ctx context.Context, r kiosk.Receipt) error {
	return p.lend(ctx, func() error { return p.printer.PrintReceipt(ctx, r) })
}

// PrintTicket prints a counter queue ticket.
func (p *ManagedPrinter) PrintTicket(ctx context.Context, t kiosk.Ticket) error {
	return p.lend(ctx, func() error { return p.printer.PrintTicket(ctx, t) })
}

// PrintSelfTest prints the technician's self-test page.
func (p *ManagedPrinter) PrintSelfTest(ctx context.Context, s kiosk.SelfTest) error {
	return p.lend(ctx, func() error { return p.printer.PrintSelfTest(ctx, s) })
}

// Reprint sends a kept job again (staff mode).
func (p *ManagedPrinter) Reprint(ctx context.Context, id string) error {
	return p.lend(ctx, func() error { return p.printer.Reprint(ctx, id) })
}

// Failed lists the jobs that did not print.
func (p *ManagedPrinter) Failed() []PrintJob { return p.printer.Failed() }

// PrinterStatus is a StatusProbe for the device manager: it asks the
// printer for its real-time status over rw.
func PrinterStatus(cfg PrinterConfig) StatusProbe {
	return func(rw io.ReadWriter) (kiosk.DeviceStatus, error) {
		p := NewPrinter(withDeadlines(rw), cfg)
		st, answer := p.query(context.Background())
		if answer == nil {
			return st, errNoAnswer
		}
		return st, nil
	}
}
