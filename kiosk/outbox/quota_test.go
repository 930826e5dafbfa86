package outbox

import (
	"context"
	"testing"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

func TestQuotaRefusesBeforeTheFileLimit(t *testing.T) {
	clock := newClock()
	q, _ := openTest(t, "", Options{Now: clock.Now, QuotaBytes: 1 << 20, Retention: -1})
	var stored []kiosk.Submission
	var refusal error
	for i := 0; i < 1000; i++ {
		s := synthetic(t, q, i, clock.Now())
		if err := q.Enqueue(context.Background(), s); err != nil {
			refusal = err
			break
		}
		stored = append(stored, s)
	}
	if refusal == nil {
		t.Fatal("a 1 MiB queue took 1000 submissions")
	}
	if kiosk.KindOf(refusal) != kiosk.KindQueueFull {
		t.Fatalf("refusal %v is not KindQueueFull", refusal)
	}
	if msg := kiosktest.Words(t, kiosk.MessageOf(refusal)); msg.ZH == "" || msg.EN == msg.ZH {
		t.Errorf("refusal has no plain message: %+v", msg)
	}
	if len(stored) < 10 {
		t.Errorf("only %d submissions fit in 1 MiB", len(stored))
	}
	// The refused submission left nothing behind; the accepted ones are whole.
	q.Close()
	rep := mustVerify(t, q.Path())
	if rep.Entries != len(stored) {
		t.Fatalf("%d entries after refusal, want %d", rep.Entries, len(stored))
	}

	// State changes still work when full; purging makes room again.
	q, _ = openTest(t, q.Path(), Options{Now: clock.Now, QuotaBytes: 1 << 20, Retention: -1})
	var batch []kiosk.Submission
	for len(batch) < len(stored) {
		b, err := q.NextBatch(len(stored))
		if err != nil || len(b) == 0 {
			t.Fatalf("NextBatch when full: %d, %v", len(b), err)
		}
		batch = append(batch, b...)
	}
	for i, s := range batch {
		if err := q.Acknowledge(s.ID, "OFF-"+s.LocalReceipt); err != nil {
			t.Fatalf("Acknowledge %d when full: %v", i, err)
		}
	}
	if _, err := q.Purge(clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := q.Compact(); err != nil {
		t.Fatal(err)
	}
	if err := q.Enqueue(context.Background(), synthetic(t, q, 5000, clock.Now())); err != nil {
		t.Errorf("after purge and compaction the queue still refuses: %v", err)
	}
}

func TestQuotaRefusesOneHugeSubmission(t *testing.T) {
	clock := newClock()
	q, _ := openTest(t, "", Options{Now: clock.Now, QuotaBytes: 1 << 20})
	s := synthetic(t, q, 1, clock.Now())
	s.Signature = make([]byte, 2<<20)
	if err := q.Enqueue(context.Background(), s); kiosk.KindOf(err) != kiosk.KindQueueFull {
		t.Fatalf("a 2 MiB signature in a 1 MiB queue: %v", err)
	}
	if err := q.Enqueue(context.Background(), synthetic(t, q, 2, clock.Now())); err != nil {
		t.Errorf("a normal submission after the refusal: %v", err)
	}
}
