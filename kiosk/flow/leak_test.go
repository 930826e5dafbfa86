package flow_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
)

// hanging answers nothing until its context ends, like a back office that
// never answers.
type hanging struct{}

func (hanging) Status(ctx context.Context, _ string) (kiosk.SubmissionStatus, error) {
	<-ctx.Done()
	return kiosk.SubmissionStatus{}, ctx.Err()
}

func (hanging) Take(ctx context.Context, _ kiosk.Text) (kiosk.Ticket, error) {
	<-ctx.Done()
	return kiosk.Ticket{}, ctx.Err()
}

// Ending a visit ends every goroutine of it, with the session's own
// driver: the card read, a progress query and a ticket that the back
// office never answers. On main the query and the ticket lived on for
// their own timeouts (5 and 10 seconds) after the resident had gone.
func TestEndingAVisitStopsItsGoroutines(t *testing.T) {
	h := newHarnessWith(t, func(d *flow.Deps) { d.Status, d.Tickets, d.Hours = hanging{}, hanging{}, modelHours })
	go func() { // drain the published views
		for range h.views {
		}
	}()
	runtime.GC()
	base := runtime.NumGoroutine()
	for range 5 {
		h.s.Start() // a card read waits
		h.s.End()
		h.s.Scanned(kiosk.ScannedCode{Kind: kiosk.ScanProgress, Receipt: "XH0123-20261128-0001"})
		h.s.End()
		h.s.Start()
		h.s.OpenTickets()
		h.s.TakeTicket(kiosk.Msg("ticket.general_counter"))
		h.s.End()
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines after the visits ended, %d before:\n%s", runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond)
	}
}
