package cityload

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/uplink"
)

// Plan is a city's load: how many terminals, how often each does what (in
// real time, as a terminal's day has it), how much faster than real time
// the run goes, and its bounds.
type Plan struct {
	Duration    time.Duration // the run stops after this long
	MaxRequests int64         // or once this many requests were started
	Speedup     float64       // 10: a 30 s heartbeat comes every 3 s

	HeartbeatEvery time.Duration // the uplink's heartbeat (30 s)
	SyncEvery      time.Duration // the uplink's retry of what is unsent (30 s)
	VisitEvery     time.Duration // a resident submits, on average; then a batch goes at once
	TicketEvery    time.Duration // a counter ticket, on average
	StatusEvery    time.Duration // a status request, on average

	Seed uint64
}

// DefaultPlan is a busy hour in a city of 2,000 terminals, 10 times as
// fast as real time, for about a minute.
func DefaultPlan() Plan {
	return Plan{
		Duration: time.Minute, MaxRequests: 200_000, Speedup: 10,
		HeartbeatEvery: 30 * time.Second, SyncEvery: 30 * time.Second,
		VisitEvery: 4 * time.Minute, TicketEvery: 2 * time.Minute, StatusEvery: 5 * time.Minute,
		Seed: 1,
	}
}

func (p Plan) check() error {
	if p.Duration <= 0 || p.MaxRequests <= 0 || p.Speedup <= 0 {
		return errors.New("cityload: the plan needs a duration, a request bound and a speed-up above zero")
	}
	for _, d := range []time.Duration{p.HeartbeatEvery, p.SyncEvery, p.VisitEvery, p.TicketEvery, p.StatusEvery} {
		if d <= 0 {
			return errors.New("cityload: every interval of the plan must be above zero")
		}
	}
	return nil
}

// Terminal is one simulated terminal: the uplink client a terminal runs,
// over an in-memory queue.
type Terminal struct {
	ID     string
	Center string
	Client *uplink.Client
	q      *memQueue
	n      int // submissions made
}

// NewTerminal makes a terminal with cfg (BaseURL and HTTP set by the
// caller); its Terminal, Center and Queue are filled in here.
func NewTerminal(id, center string, cfg uplink.Config) (*Terminal, error) {
	t := &Terminal{ID: id, Center: center, q: newMemQueue()}
	cfg.Terminal, cfg.Center, cfg.Queue = id, center, t.q
	c, err := uplink.New(cfg)
	if err != nil {
		return nil, err
	}
	t.Client = c
	return t, nil
}

// Result is what a run did, beyond the latencies.
type Result struct {
	Elapsed      time.Duration
	Requests     int64 // requests started
	Submitted    int   // submissions made by residents
	Acknowledged int   // of which the back office acknowledged
	Unsent       int   // still in the terminals' queues at the end
	Faults       []string
}

// Run runs terminals under p until its duration passes, its request bound
// is reached or ctx ends, recording into rec.
func Run(ctx context.Context, p Plan, terminals []*Terminal, rec *Recorder) (Result, error) {
	if err := p.check(); err != nil {
		return Result{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, p.Duration)
	defer cancel()
	var started atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for i, t := range terminals {
		wg.Add(1)
		rnd := rand.New(rand.NewPCG(p.Seed, uint64(i)))
		go func() {
			defer wg.Done()
			// Labelled for CPU profiles; the client's connection
			// goroutines, started from here, inherit it.
			pprof.Do(ctx, pprof.Labels("side", "terminal"), func(ctx context.Context) {
				t.run(ctx, p, rec, &started, rnd)
			})
		}()
	}
	wg.Wait()
	res := Result{Elapsed: time.Since(start), Requests: started.Load()}
	for _, t := range terminals {
		acked, unsent, faults := t.q.counts()
		res.Submitted += t.n
		res.Acknowledged += acked
		res.Unsent += unsent
		for _, f := range faults {
			res.Faults = append(res.Faults, t.ID+": "+f)
		}
	}
	return res, nil
}

// Event kinds of a terminal's schedule.
const (
	evHeartbeat = iota
	evSync
	evVisit
	evTicket
	evStatus
	nEvents
)

// run is one terminal's loop: the next event of each kind is due at a
// time; it waits for the earliest, does it and schedules the next.
func (t *Terminal) run(ctx context.Context, p Plan, rec *Recorder, started *atomic.Int64, rnd *rand.Rand) {
	every := [nEvents]time.Duration{}
	for i, d := range []time.Duration{p.HeartbeatEvery, p.SyncEvery, p.VisitEvery, p.TicketEvery, p.StatusEvery} {
		every[i] = time.Duration(float64(d) / p.Speedup)
	}
	now := time.Now()
	var due [nEvents]time.Time
	for i := range due {
		// Terminals come up spread over the first interval, not at once.
		due[i] = now.Add(time.Duration(rnd.Int64N(int64(every[i]) + 1)))
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		next := 0
		for i := range due {
			if due[i].Before(due[next]) {
				next = i
			}
		}
		timer.Reset(time.Until(due[next]))
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		switch next {
		case evHeartbeat, evSync:
			due[next] = due[next].Add(every[next]) // fixed period, as the uplink's loop
		default:
			// Residents come at random: exponential gaps with that mean.
			due[next] = time.Now().Add(time.Duration(rnd.ExpFloat64() * float64(every[next])))
		}
		if !t.do(ctx, next, rec, started, p.MaxRequests, rnd) {
			return
		}
	}
}

// do carries out one event; false when the request bound is reached.
func (t *Terminal) do(ctx context.Context, ev int, rec *Recorder, started *atomic.Int64, maxRequests int64, rnd *rand.Rand) bool {
	begin := func() bool { return started.Add(1) <= maxRequests }
	// note records a request, unless the run ending cut it off.
	note := func(route string, since time.Time, err error) {
		if err != nil && ctx.Err() != nil {
			return
		}
		rec.Record(route, time.Since(since), err)
	}
	switch ev {
	case evHeartbeat:
		if !begin() {
			return false
		}
		s := time.Now()
		_, err := t.Client.Heartbeat(ctx)
		note(RouteHeartbeat, s, err)
	case evVisit:
		t.n++
		t.q.add(t.submission(t.n))
		return t.drain(ctx, rec, begin, note)
	case evSync:
		if t.q.Depth() > 0 {
			return t.drain(ctx, rec, begin, note)
		}
	case evTicket:
		if !begin() {
			return false
		}
		s := time.Now()
		_, err := t.Client.Ticket(ctx, string(rune('A'+rnd.IntN(3))), kiosk.Text{ZH: "综合受理"}, kiosk.LangZH)
		note(RouteTicket, s, err)
	case evStatus:
		receipt := t.q.receipt(rnd.IntN(1 << 20))
		if receipt == "" {
			// Nothing acknowledged yet: a resident asks about a paper
			// receipt from another terminal the back office does not know.
			receipt = fmt.Sprintf("%s-20260701-%05d", t.ID, 99999)
		}
		if !begin() {
			return false
		}
		s := time.Now()
		_, err := t.Client.Status(ctx, receipt)
		var ke *kiosk.Error
		if errors.As(err, &ke) && ke.Kind == kiosk.KindInvalid {
			err = nil // "not found" is an answer
		}
		note(RouteStatus, s, err)
	}
	return true
}

// drain sends batches until the queue is empty or a batch fails (the next
// sync event retries), as the uplink does after Notify.
func (t *Terminal) drain(ctx context.Context, rec *Recorder, begin func() bool, note func(string, time.Time, error)) bool {
	for t.q.Depth() > 0 && ctx.Err() == nil {
		if !begin() {
			return false
		}
		s := time.Now()
		st, err := t.Client.SyncOnce(ctx)
		if errors.Is(err, uplink.ErrQueue) {
			t.q.mu.Lock()
			t.q.faults = append(t.q.faults, err.Error())
			t.q.mu.Unlock()
			return true
		}
		note(RouteBatch, s, err)
		if err != nil || st.Sent == 0 {
			return true
		}
	}
	return true
}

// Synthetic resident for every submission: 310104 prefix, valid check
// digit, a clearly fake name.
const (
	fakeIDNo = "310104195001011235"
	fakeName = "测试甲"
)

var day0 = time.Date(2026, 7, 1, 2, 0, 0, 0, time.UTC)

// submission is the terminal's n-th, with a UUID unique to (terminal, n).
func (t *Terminal) submission(n int) kiosk.Submission {
	var h uint32
	for _, b := range []byte(t.ID) {
		h = h*31 + uint32(b)
	}
	return kiosk.Submission{
		ID:           fmt.Sprintf("%08x-%04x-7000-8000-%012x", h, n>>16&0xffff, n),
		LocalReceipt: fmt.Sprintf("%s-20260701-%05d", t.ID, n),
		Center:       t.Center,
		Terminal:     t.ID,
		Item:         "312000374000",
		ItemName:     kiosk.Text{ZH: "老年综合津贴申请", EN: "Senior allowance"},
		Applicant:    kiosk.Identity{Card: kiosk.CardResident, Name: fakeName, Sex: kiosk.SexMale, BirthDate: time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC), Number: fakeIDNo},
		Answers:      kiosk.Answers{"bank": "icbc"},
		Lang:         kiosk.LangZH,
		CreatedAt:    day0.Add(time.Duration(n) * time.Second),
		ConsentGiven: true,
	}
}
