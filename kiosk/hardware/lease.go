package hardware

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
)

var errNoAnswer = errors.New("hardware: the printer did not answer a status request")

// leasedPort is a line that forwards to whatever port the device manager
// lent for the current job. Outside a job it fails. Read deadlines are the
// lent port's own, so drivers read it in their caller's goroutine and leave
// no reader behind on a port that the manager hands to someone else next.
type leasedPort struct {
	mu sync.Mutex
	rw serialport.Line
}

func (l *leasedPort) current() (serialport.Line, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rw == nil {
		return nil, io.ErrClosedPipe
	}
	return l.rw, nil
}

// SetReadDeadline sets the lent port's read deadline.
func (l *leasedPort) SetReadDeadline(t time.Time) error {
	rw, err := l.current()
	if err != nil {
		return err
	}
	return rw.SetReadDeadline(t)
}

func (l *leasedPort) Read(p []byte) (int, error) {
	rw, err := l.current()
	if err != nil {
		return 0, err
	}
	return rw.Read(p)
}

func (l *leasedPort) Write(p []byte) (int, error) {
	rw, err := l.current()
	if err != nil {
		return 0, err
	}
	return rw.Write(p)
}

func (l *leasedPort) set(rw serialport.Line) {
	l.mu.Lock()
	l.rw = rw
	l.mu.Unlock()
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
	return p.m.Use(ctx, kiosk.DevicePrinter, func(rw serialport.Line) error {
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

// PrintAppointment prints an appointment slip.
func (p *ManagedPrinter) PrintAppointment(ctx context.Context, a kiosk.Appointment) error {
	return p.lend(ctx, func() error { return p.printer.PrintAppointment(ctx, a) })
}

// PrintResult prints a query result (never kept for a reprint).
func (p *ManagedPrinter) PrintResult(ctx context.Context, r kiosk.ResultSlip) error {
	return p.lend(ctx, func() error { return p.printer.PrintResult(ctx, r) })
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

// Jobs returns the remembered jobs, oldest first (see Printer.Jobs).
func (p *ManagedPrinter) Jobs() []PrintJob { return p.printer.Jobs() }

// PrinterStatus is a StatusProbe for the device manager: it asks the
// printer for its real-time status over rw.
func PrinterStatus(cfg PrinterConfig) StatusProbe {
	return func(rw serialport.Line) (kiosk.DeviceStatus, error) {
		p := NewPrinter(rw, cfg)
		st, answer := p.query(context.Background())
		if answer == nil {
			return st, errNoAnswer
		}
		return st, nil
	}
}
