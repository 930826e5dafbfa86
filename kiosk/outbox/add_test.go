package outbox

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// TestAddNumbersInItsOwnTransaction: Add assigns the ID and the local
// receipt number as it stores, so a refused submission costs no number and
// every number handed out belongs to a stored submission.
func TestAddNumbersInItsOwnTransaction(t *testing.T) {
	clock := newClock()
	q, _ := openTest(t, "", Options{Now: clock.Now, QuotaBytes: 1 << 20})
	ctx := context.Background()
	add := func(i int, sigBytes int) (kiosk.Submission, error) {
		s := kiosktest.Submission(i, "ignored-id", "ignored-receipt", "T01", clock.Now())
		if sigBytes > 0 {
			s.Signature = make([]byte, sigBytes)
		}
		return q.Add(ctx, s)
	}
	steps := []struct {
		sig      int
		wantFull bool
		want     string
	}{
		{0, false, "T01-20260701-0001"},
		{0, false, "T01-20260701-0002"},
		{2 << 20, true, ""}, // too big for the quota: refused, no number spent
		{2 << 20, true, ""},
		{0, false, "T01-20260701-0003"},
	}
	ids := map[string]bool{}
	for i, st := range steps {
		got, err := add(i, st.sig)
		if st.wantFull {
			if kiosk.KindOf(err) != kiosk.KindQueueFull {
				t.Fatalf("step %d: %v, want KindQueueFull", i, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if got.LocalReceipt != st.want {
			t.Errorf("step %d: receipt %q, want %q", i, got.LocalReceipt, st.want)
		}
		u, err := uuid.Parse(got.ID)
		if err != nil || u.Version() != 7 || ids[got.ID] {
			t.Errorf("step %d: ID %q is not a fresh UUIDv7 (%v)", i, got.ID, err)
		}
		ids[got.ID] = true
		e, err := q.Find(got.LocalReceipt)
		if err != nil || e.ID != got.ID || e.State != kiosk.StatePending {
			t.Errorf("step %d: stored entry %+v, %v", i, e, err)
		}
	}
	// The sealed body carries the number it was stored under.
	batch, err := q.NextBatch(10)
	if err != nil || len(batch) != 3 {
		t.Fatalf("NextBatch: %d, %v", len(batch), err)
	}
	for _, s := range batch {
		e, err := q.Get(s.ID)
		if err != nil || e.LocalReceipt != s.LocalReceipt || s.LocalReceipt == "" {
			t.Errorf("body says %q, entry %+v (%v)", s.LocalReceipt, e, err)
		}
	}
	// Numbers keep counting across a reopen, and no number is reused.
	path := q.Path()
	q.Close()
	q, _ = openTest(t, path, Options{Now: clock.Now})
	got, err := add(9, 0)
	if err != nil || got.LocalReceipt != "T01-20260701-0004" {
		t.Errorf("after reopen: %q, %v", got.LocalReceipt, err)
	}
}

func TestAddRefusesABadTerminalCode(t *testing.T) {
	clock := newClock()
	q, _ := openTest(t, "", Options{Now: clock.Now})
	for _, code := range []string{"", "T/01", "T 01"} {
		s := kiosktest.Submission(1, "", "", code, clock.Now())
		if _, err := q.Add(context.Background(), s); kiosk.KindOf(err) != kiosk.KindInternal {
			t.Errorf("terminal %q: %v, want KindInternal", code, err)
		}
	}
	if st, _ := q.Stats(); st.Pending != 0 {
		t.Errorf("%d stored after refusals", st.Pending)
	}
}

// BenchmarkAdd is the durable enqueue of a new submission, numbering
// included (DESIGN.md §7: p99 ≤ 10 ms).
func BenchmarkAdd(b *testing.B) {
	clock := newClock()
	q, _ := openTest(b, "", Options{Now: clock.Now, QuotaBytes: 1 << 30})
	s := kiosktest.Submission(1, "", "", "T01", clock.Now())
	b.ResetTimer()
	for b.Loop() {
		if _, err := q.Add(context.Background(), s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNumberThenEnqueue is the path Add replaces: the receipt number
// in a commit of its own, then the submission in another.
func BenchmarkNumberThenEnqueue(b *testing.B) {
	clock := newClock()
	q, _ := openTest(b, "", Options{Now: clock.Now, QuotaBytes: 1 << 30})
	b.ResetTimer()
	for b.Loop() {
		s := synthetic(b, q, 1, clock.Now())
		if err := q.Enqueue(context.Background(), s); err != nil {
			b.Fatal(err)
		}
	}
}
