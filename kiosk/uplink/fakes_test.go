package uplink

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/kiosk"
)

// fakeQueue is an in-memory Queue with the outbox's meanings.
type fakeQueue struct {
	mu          sync.Mutex
	pending     []kiosk.Submission // oldest first
	inflight    map[string]kiosk.Submission
	acked       map[string]string // id → official receipt
	quarantined map[string]string // id → reason
	errs        []string          // contract violations seen
	failNext    error             // returned once by NextBatch
	// releaseToBack scatters released items among the others, so the next
	// batch is a different set (a new Idempotency-Key) and the back office's
	// per-item unique key is what prevents duplicates.
	releaseToBack bool
}

var _ Queue = (*fakeQueue)(nil)

func newFakeQueue(subs ...kiosk.Submission) *fakeQueue {
	return &fakeQueue{pending: subs, inflight: map[string]kiosk.Submission{}, acked: map[string]string{}, quarantined: map[string]string{}}
}

func (q *fakeQueue) NextBatch(max int) ([]kiosk.Submission, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if err := q.failNext; err != nil {
		q.failNext = nil
		return nil, err
	}
	n := min(max, len(q.pending))
	out := slices.Clone(q.pending[:n])
	q.pending = q.pending[n:]
	for _, s := range out {
		q.inflight[s.ID] = s
	}
	return out, nil
}

func (q *fakeQueue) Acknowledge(id, official string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if prev, ok := q.acked[id]; ok && prev == official {
		return nil // acknowledging again with the same number is a no-op
	}
	if _, ok := q.inflight[id]; !ok && !q.takePending(id) {
		q.errs = append(q.errs, "acknowledge of "+id+" neither pending nor in flight")
	}
	if prev, ok := q.acked[id]; ok && prev != official {
		q.errs = append(q.errs, fmt.Sprintf("%s acknowledged as %s and then as %s", id, prev, official))
	}
	if official == "" {
		q.errs = append(q.errs, "acknowledge of "+id+" without a receipt number")
	}
	delete(q.inflight, id)
	q.acked[id] = official
	return nil
}

func (q *fakeQueue) Quarantine(id, reason string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if _, ok := q.inflight[id]; !ok && !q.takePending(id) {
		q.errs = append(q.errs, "quarantine of "+id+" neither pending nor in flight")
	}
	delete(q.inflight, id)
	q.quarantined[id] = reason
	return nil
}

// takePending removes id from the pending list, as the outbox does when a
// pending submission is acknowledged or quarantined directly (Send).
func (q *fakeQueue) takePending(id string) bool {
	for i, s := range q.pending {
		if s.ID == id {
			q.pending = slices.Delete(q.pending, i, i+1)
			return true
		}
	}
	return false
}

func (q *fakeQueue) Release(ids []string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	var back []kiosk.Submission
	for _, id := range ids {
		s, ok := q.inflight[id]
		if !ok {
			q.errs = append(q.errs, "release of "+id+" not in flight")
			continue
		}
		delete(q.inflight, id)
		back = append(back, s)
	}
	if q.releaseToBack {
		// Split the released batch: every other item to the front, the
		// rest behind everything else.
		var front, rear []kiosk.Submission
		for i, s := range back {
			if i%2 == 0 {
				front = append(front, s)
			} else {
				rear = append(rear, s)
			}
		}
		q.pending = append(append(front, q.pending...), rear...)
	} else {
		q.pending = append(back, q.pending...)
	}
	return nil
}

func (q *fakeQueue) Depth() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pending) + len(q.inflight)
}

// check fails t if the queue saw a contract violation or still holds work.
func (q *fakeQueue) checkDrained(t testing.TB) {
	t.Helper()
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, e := range q.errs {
		t.Error("queue:", e)
	}
	if len(q.pending) != 0 || len(q.inflight) != 0 {
		t.Errorf("queue not drained: %d pending, %d in flight", len(q.pending), len(q.inflight))
	}
}

// fakeClock fires every timer at once, advancing virtual time, and records
// the waits it was asked for.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) kiosk.Timer {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.waits = append(c.waits, d)
	c.mu.Unlock()
	go f()
	return stopped{}
}

func (c *fakeClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.waits)
}

type stopped struct{}

func (stopped) Stop() bool { return false }

const (
	testTerminal = "SH-XH-0001"
	testCenter   = "XH01"
	testIDNo     = "310104195001011235" // synthetic, valid check digit
)

var t0 = time.Date(2026, 7, 1, 2, 0, 0, 0, time.UTC)

func submission(n int) kiosk.Submission {
	return kiosk.Submission{
		ID:           fmt.Sprintf("0190a5c4-0000-7000-8000-%012d", n),
		LocalReceipt: fmt.Sprintf("%s-20260701-%05d", testTerminal, n),
		Center:       testCenter,
		Terminal:     testTerminal,
		Item:         "312000374000",
		ItemName:     kiosk.Text{ZH: "老年综合津贴申请", EN: "Senior allowance"},
		Applicant:    kiosk.Identity{Card: kiosk.CardResident, Name: "张测试", Sex: kiosk.SexMale, BirthDate: time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC), Number: testIDNo},
		Answers:      kiosk.Answers{"bank": "icbc", "phone": "13800000000"},
		Lang:         kiosk.LangZH,
		CreatedAt:    t0.Add(time.Duration(n) * time.Second),
		ConsentGiven: true,
	}
}

func submissions(n int) []kiosk.Submission {
	out := make([]kiosk.Submission, n)
	for i := range out {
		out[i] = submission(i + 1)
	}
	return out
}

// startBackOffice runs an in-process back office in dev mode.
func startBackOffice(t testing.TB) *backoffice.Local {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	l, err := backoffice.ListenLocal(ctx, backoffice.LocalOptions{Dir: filepath.Join(t.TempDir(), "bo"), Center: testCenter})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		l.Wait()
	})
	return l
}

func newClient(t testing.TB, base string, q Queue, clock kiosk.Clock, mod ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{BaseURL: base, Terminal: testTerminal, Center: testCenter, Version: "test", Queue: q, Clock: clock, Rand: func() float64 { return 0.5 }}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
