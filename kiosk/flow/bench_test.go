package flow_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// growthBudgetMB is the budget for memory growth over 10,000 sessions
// (issue 7, DESIGN.md §7).
const growthBudgetMB = 10.0

// discardQueue and discardPrinter accept everything and keep nothing, so a
// soak measures the session, not the fakes' records.
type discardQueue struct{ n atomic.Int64 }

func (q *discardQueue) Enqueue(context.Context, kiosk.Submission) error { q.n.Add(1); return nil }

type discardPrinter struct{ n atomic.Int64 }

func (p *discardPrinter) PrintReceipt(context.Context, kiosk.Receipt) error { p.n.Add(1); return nil }
func (p *discardPrinter) PrintTicket(context.Context, kiosk.Ticket) error   { return nil }

// soak is a session with fakes, driven through whole visits.
type soak struct {
	s       *flow.Session
	clock   *kiosktest.Clock
	reader  *kiosktest.Reader
	queue   *discardQueue
	printer *discardPrinter
	states  chan flow.State
	n       int
}

func newSoak() *soak {
	k := &soak{
		clock: kiosktest.NewClock(today), reader: kiosktest.NewReader(),
		queue: &discardQueue{}, printer: &discardPrinter{},
		states: make(chan flow.State, 64),
	}
	k.s = flow.New(flow.Deps{
		Terminal: flow.Terminal{CenterName: "徐汇区测试街道社区事务受理服务中心", Center: "XH01", Code: "XH0123"},
		Clock:    k.clock, Reader: k.reader, Queue: k.queue, Printer: k.printer,
		Catalog: catalog{allowance.Code: allowance}, Forms: forms{},
		Numbers: func(now time.Time) (string, string, error) {
			k.n++
			return fmt.Sprintf("id-%d", k.n), fmt.Sprintf("XH0123-20261128-%04d", k.n%10000), nil
		},
		ProgressURL: func(r, _ string) string { return "TB1:" + r },
	})
	k.s.Observe(func(v flow.View) {
		select {
		case k.states <- v.State:
		default: // only the waits below read; never block the session
		}
	})
	return k
}

// await waits for the session to publish state st, bounded.
func (k *soak) await(tb testing.TB, st flow.State) {
	deadline := time.After(5 * time.Second)
	for {
		select {
		case got := <-k.states:
			if got == st {
				return
			}
		case <-deadline:
			tb.Fatalf("session never reached %v; on %v", st, k.s.View().State)
		}
	}
}

// visit is one resident's whole application: start, card, item, form,
// review, signature, submission, done, card taken, end.
func (k *soak) visit(tb testing.TB) {
	s := k.s
	s.Start()
	k.reader.Cards <- kiosktest.CardResult{ID: kiosktest.Elder()}
	k.await(tb, flow.Browse)
	s.SelectItem(allowance.Code)
	s.Apply()
	s.SetAnswer("phone", "13800138000")
	s.Next()
	s.SetConsent(true)
	s.Confirm()
	s.Signed([]byte("png"))
	k.await(tb, flow.Done)
	s.CardPresence(false)
	s.End()
	if v := s.View(); v.State != flow.Attract || v.Greeting != "" || len(v.Answers) != 0 {
		tb.Fatalf("session not wiped after a visit: %+v", v)
	}
	k.clock.Advance(0) // forget the stopped timers, as a real clock does
}

func heapAlloc() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkSessionSoak drives whole visits through one session and reports
// the time per session and the heap growth extrapolated to 10,000 sessions
// (budget 10 MB; it should be about zero). Run it as the soak it is meant
// to be with -benchtime=10000x.
func BenchmarkSessionSoak(b *testing.B) {
	k := newSoak()
	for range 100 { // warm up: first-use allocations are not growth
		k.visit(b)
	}
	goroutines := runtime.NumGoroutine()
	before := heapAlloc()
	b.ReportAllocs()
	for b.Loop() {
		k.visit(b)
	}
	b.StopTimer()
	after := heapAlloc()
	growth := (float64(after) - float64(before)) / float64(b.N) * 10000 / (1 << 20)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/session")
	b.ReportMetric(growth, "MB-growth/10k-sessions")
	b.ReportMetric(growth/growthBudgetMB, "growth-budget-ratio")
	b.ReportMetric(float64(runtime.NumGoroutine()-goroutines), "goroutines-left")
	if got := k.printer.n.Load(); got != int64(b.N+100) || k.queue.n.Load() != got {
		b.Fatalf("%d sessions printed %d receipts and queued %d", b.N+100, got, k.queue.n.Load())
	}
	if p := k.clock.Pending(); p != 0 {
		b.Errorf("%d timers left running on the attract screen", p)
	}
}
