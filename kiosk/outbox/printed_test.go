package outbox

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// TestUnprintedSurvivesReopen: a receipt not yet marked printed is listed
// after the queue is closed and opened again (as after a kill), through
// the submission's sending and acknowledgement, and no longer once marked.
func TestUnprintedSurvivesReopen(t *testing.T) {
	clock := newClock()
	path := filepath.Join(t.TempDir(), "queue.db")
	q, _ := openTest(t, path, Options{Now: clock.Now})
	ctx := context.Background()
	var added []kiosk.Submission
	for i := range 3 {
		s, err := q.Add(ctx, kiosktest.Submission(i, "", "", "T01", clock.Now()))
		if err != nil {
			t.Fatal(err)
		}
		added = append(added, s)
	}
	// One printed at once; one sent and acknowledged before its receipt
	// printed; one never printed.
	if err := q.MarkPrinted(added[0].LocalReceipt); err != nil {
		t.Fatal(err)
	}
	batch, err := q.NextBatch(2)
	if err != nil || len(batch) != 2 {
		t.Fatalf("NextBatch: %d, %v", len(batch), err)
	}
	if err := q.Acknowledge(added[1].ID, "OFF-1"); err != nil {
		t.Fatal(err)
	}
	q.Close()

	q, _ = openTest(t, path, Options{Now: clock.Now})
	receipts := func() []string {
		t.Helper()
		list, err := q.Unprinted()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range list {
			out = append(out, e.LocalReceipt)
		}
		return out
	}
	got := receipts()
	if len(got) != 2 || got[0] != added[1].LocalReceipt || got[1] != added[2].LocalReceipt {
		t.Fatalf("unprinted after reopening: %v, want %s and %s", got, added[1].LocalReceipt, added[2].LocalReceipt)
	}
	// The listed submission opens for its receipt to be rebuilt.
	s, err := q.Open(added[2].ID)
	if err != nil || s.LocalReceipt != added[2].LocalReceipt || s.Applicant.Name != added[2].Applicant.Name {
		t.Fatalf("Open: %+v, %v", s.LocalReceipt, err)
	}
	for _, r := range []string{added[1].LocalReceipt, added[2].LocalReceipt, added[2].LocalReceipt} {
		if err := q.MarkPrinted(r); err != nil {
			t.Fatalf("MarkPrinted %s: %v", r, err)
		}
	}
	q.Close()
	q, _ = openTest(t, path, Options{Now: clock.Now})
	if got := receipts(); len(got) != 0 {
		t.Errorf("unprinted after marking all: %v", got)
	}
	if err := q.MarkPrinted("T01-20260701-9999"); !errors.Is(err, ErrNotFound) {
		t.Errorf("MarkPrinted of an unknown receipt: %v, want ErrNotFound", err)
	}
}

// TestEnqueueIsNotListedUnprinted: submissions stored by Enqueue (a
// caller that prints by itself, or one from before this state existed)
// are never listed.
func TestEnqueueIsNotListedUnprinted(t *testing.T) {
	clock := newClock()
	q, _ := openTest(t, "", Options{Now: clock.Now})
	enqueueN(t, q, 2, clock.Now())
	if list, err := q.Unprinted(); err != nil || len(list) != 0 {
		t.Errorf("Unprinted: %d, %v; want none", len(list), err)
	}
}
