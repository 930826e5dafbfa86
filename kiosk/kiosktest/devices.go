package kiosktest

import (
	"context"
	"sync"

	"github.com/tongban/tongban/kiosk"
)

// Reader is a fake kiosk.CardReader: each ReadCard waits for the next card
// (or error) sent on Cards, or for ctx to end.
type Reader struct {
	Cards chan CardResult
}

// CardResult is what one read returns.
type CardResult struct {
	ID  kiosk.Identity
	Err error
}

// NewReader returns a fake reader with a buffered card slot.
func NewReader() *Reader { return &Reader{Cards: make(chan CardResult, 4)} }

// ReadCard returns the next card sent on Cards.
func (r *Reader) ReadCard(ctx context.Context) (kiosk.Identity, error) {
	select {
	case c := <-r.Cards:
		return c.ID, c.Err
	case <-ctx.Done():
		return kiosk.Identity{}, ctx.Err()
	}
}

// Queue is a fake kiosk.Queue that keeps what it was given.
type Queue struct {
	mu   sync.Mutex
	Subs []kiosk.Submission
	Err  error // returned by Enqueue when set
}

// Enqueue records s unless Err is set.
func (q *Queue) Enqueue(ctx context.Context, s kiosk.Submission) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.Err != nil {
		return q.Err
	}
	q.Subs = append(q.Subs, s)
	return nil
}

// Submissions returns a copy of what was enqueued.
func (q *Queue) Submissions() []kiosk.Submission {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]kiosk.Submission(nil), q.Subs...)
}

// Printer is a fake kiosk.ReceiptPrinter that keeps what it printed.
type Printer struct {
	mu       sync.Mutex
	Receipts []kiosk.Receipt
	Tickets  []kiosk.Ticket
	Slips    []kiosk.Appointment
	Results  []kiosk.ResultSlip
	Err      error // returned by every print when set
}

// PrintResult records a query result slip unless Err is set.
func (p *Printer) PrintResult(ctx context.Context, s kiosk.ResultSlip) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.Err != nil {
		return p.Err
	}
	s.Result.Fields = append([]kiosk.ResultField(nil), s.Result.Fields...) // the session wipes its copy
	p.Results = append(p.Results, s)
	return nil
}

// PrintedResults returns a copy of the printed result slips.
func (p *Printer) PrintedResults() []kiosk.ResultSlip {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]kiosk.ResultSlip(nil), p.Results...)
}

// PrintAppointment records an appointment slip unless Err is set.
func (p *Printer) PrintAppointment(ctx context.Context, a kiosk.Appointment) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.Err != nil {
		return p.Err
	}
	p.Slips = append(p.Slips, a)
	return nil
}

// PrintReceipt records r unless Err is set.
func (p *Printer) PrintReceipt(ctx context.Context, r kiosk.Receipt) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.Err != nil {
		return p.Err
	}
	p.Receipts = append(p.Receipts, r)
	return nil
}

// PrintTicket records t unless Err is set.
func (p *Printer) PrintTicket(ctx context.Context, t kiosk.Ticket) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.Err != nil {
		return p.Err
	}
	p.Tickets = append(p.Tickets, t)
	return nil
}

// Printed returns a copy of the printed receipts.
func (p *Printer) Printed() []kiosk.Receipt {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]kiosk.Receipt(nil), p.Receipts...)
}
