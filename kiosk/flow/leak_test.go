package flow_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// hanging answers nothing until its context ends, like a back office that
// never answers.
type hanging struct{}

func (hanging) Status(ctx context.Context, _ string) (kiosk.SubmissionStatus, error) {
	<-ctx.Done()
	return kiosk.SubmissionStatus{}, ctx.Err()
}

func (hanging) Query(ctx context.Context, _ kiosk.ItemCode, _ kiosk.Identity, _ kiosk.Lang) (kiosk.QueryResult, error) {
	<-ctx.Done()
	return kiosk.QueryResult{}, ctx.Err()
}

func (hanging) Document(ctx context.Context, _ kiosk.ItemCode, _ kiosk.Identity, _ kiosk.Lang) (kiosk.Document, error) {
	<-ctx.Done()
	return kiosk.Document{}, ctx.Err()
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

// Ending a visit ends its department work too: a query the department
// never answers, and an A4 job that never finishes (it is cancelled).
func TestEndingAVisitStopsDepartmentWork(t *testing.T) {
	a4 := &kiosktest.A4{Hold: make(chan struct{})} // a job that never finishes
	docs := &kiosktest.Departments{Documents: map[kiosk.ItemCode]kiosk.Document{kiosktest.RegisterItem.Code: kiosktest.RegisterDocument()}}
	h := newHarnessWith(t, func(d *flow.Deps) {
		d.Departments, d.A4 = hangingQueries{docs}, a4
		d.Connected = func() kiosk.Connected {
			return kiosk.Connected{Queries: []kiosk.ItemCode{kiosktest.PensionItem.Code}, Documents: []kiosk.ItemCode{kiosktest.RegisterItem.Code}}
		}
		d.Catalog = catalog{kiosktest.PensionItem.Code: kiosktest.PensionItem, kiosktest.RegisterItem.Code: kiosktest.RegisterItem}
	})
	runtime.GC()
	base := runtime.NumGoroutine()
	for i := range 3 {
		h.identify(t, kiosktest.Elder())
		h.s.SelectItem(kiosktest.PensionItem.Code)
		h.s.RunQuery() // never answered
		h.s.End()
		h.wait(t, flow.Attract)
		h.identify(t, kiosktest.Elder())
		h.s.SelectItem(kiosktest.RegisterItem.Code)
		h.s.IssueDocument()
		h.until(t, "printing", func(v flow.View) bool { return v.Phase == flow.PhasePrinting })
		h.s.End()
		h.wait(t, flow.Attract)
		if n := a4.Cancels(); n != i+1 {
			deadline := time.Now().Add(2 * time.Second)
			for a4.Cancels() != i+1 && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
		}
	}
	if n := a4.Cancels(); n != 3 {
		t.Errorf("%d A4 jobs cancelled with their visits, want 3", n)
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

// hangingQueries never answers a query and issues documents.
type hangingQueries struct{ *kiosktest.Departments }

func (hangingQueries) Query(ctx context.Context, item kiosk.ItemCode, who kiosk.Identity, lang kiosk.Lang) (kiosk.QueryResult, error) {
	return hanging{}.Query(ctx, item, who, lang)
}
