package cityload

import (
	"fmt"
	"slices"
	"sync"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/uplink"
)

// memQueue is an in-memory uplink.Queue for one simulated terminal. The
// real outbox (bbolt, fsync per enqueue) would measure 2,000 terminals'
// disks sharing this machine's one disk, not the back office.
type memQueue struct {
	mu       sync.Mutex
	pending  []kiosk.Submission
	inflight map[string]kiosk.Submission
	acked    map[string]string // client ID → official receipt
	receipts []string          // official receipts, in the order learned
	faults   []string          // contract violations seen
}

var _ uplink.Queue = (*memQueue)(nil)

func newMemQueue() *memQueue {
	return &memQueue{inflight: map[string]kiosk.Submission{}, acked: map[string]string{}}
}

func (q *memQueue) add(s kiosk.Submission) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pending = append(q.pending, s)
}

func (q *memQueue) NextBatch(max int) ([]kiosk.Submission, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := min(max, len(q.pending))
	out := slices.Clone(q.pending[:n])
	q.pending = q.pending[n:]
	for _, s := range out {
		q.inflight[s.ID] = s
	}
	return out, nil
}

func (q *memQueue) Acknowledge(id, official string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if prev, ok := q.acked[id]; ok {
		if prev != official {
			q.faults = append(q.faults, fmt.Sprintf("%s acknowledged as %s, then as %s", id, prev, official))
		}
		return nil
	}
	if _, ok := q.inflight[id]; !ok {
		q.faults = append(q.faults, "acknowledge of "+id+" not in flight")
	}
	delete(q.inflight, id)
	q.acked[id] = official
	q.receipts = append(q.receipts, official)
	return nil
}

func (q *memQueue) Quarantine(id, reason string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.inflight, id)
	q.faults = append(q.faults, "quarantined "+id+": "+reason)
	return nil
}

func (q *memQueue) Release(ids []string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	var back []kiosk.Submission
	for _, id := range ids {
		if s, ok := q.inflight[id]; ok {
			delete(q.inflight, id)
			back = append(back, s)
		}
	}
	q.pending = append(back, q.pending...)
	return nil
}

func (q *memQueue) Depth() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pending) + len(q.inflight)
}

// receipt is the n-th official receipt learned (modulo), or "" if none.
func (q *memQueue) receipt(n int) string {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.receipts) == 0 {
		return ""
	}
	return q.receipts[n%len(q.receipts)]
}

// counts are the acknowledged and the still unsent submissions, and the
// contract violations seen.
func (q *memQueue) counts() (acked, unsent int, faults []string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.acked), len(q.pending) + len(q.inflight), slices.Clone(q.faults)
}
