package outbox

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// wrappedKeysIn counts the places in raw where a data key of submission id,
// wrapped under key, opens: a scan of every byte offset of the file, freed
// pages included, which is how a thief holding the key would look.
func wrappedKeysIn(raw, key []byte, id string) int {
	n := 0
	for i := 0; i+wrappedSize <= len(raw); i++ {
		if raw[i] != sealVersion {
			continue
		}
		if _, err := (keyring{legacy: key}).unwrap(id, raw[i:i+wrappedSize]); err == nil {
			n++
		}
	}
	return n
}

// TestPurgeAfterAckSequence follows one submission through an outage that
// loses the acknowledgement: it is sent, the back office stores it but the
// answer is lost, the terminal restarts and waits hours, and nothing is
// purged because nothing was acknowledged; the resend gets a duplicate
// answer, twice; within the grace nothing is purged;
// once the grace has passed the purge and compaction leave no wrapped data
// key anywhere in the raw file, even with the terminal key in hand, and the
// receipt still answers a progress query.
func TestPurgeAfterAckSequence(t *testing.T) {
	clock := newClock()
	grace := 10 * time.Minute
	q, _ := openTest(t, "", Options{Now: clock.Now, Retention: grace})
	path := q.Path()
	sub := enqueueN(t, q, 1, clock.Now())[0]
	other := enqueueN(t, q, 1, clock.Now())[0] // never acknowledged

	raw := func() []byte {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	state := func(id string) kiosk.SubmissionState {
		e, err := q.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		return e.State
	}

	// Sent; the answer is lost in a power cut.
	if b, _ := q.NextBatch(10); len(b) != 2 {
		t.Fatalf("first batch has %d", len(b))
	}
	q.Close()
	clock.Advance(6 * time.Hour)
	q, _ = openTest(t, path, Options{Now: clock.Now, Retention: grace})
	if n, err := q.Purge(clock.Now()); err != nil || n != 0 {
		t.Fatalf("Purge with nothing acknowledged = %d, %v", n, err)
	}
	if state(sub.ID) != kiosk.StatePending {
		t.Fatalf("after the restart the unanswered submission is %s, want pending", state(sub.ID))
	}
	// The resend: the back office answers "duplicate" with the original number.
	batch, err := q.NextBatch(10)
	if err != nil || len(batch) != 2 || batch[0].Applicant.Number != sub.Applicant.Number {
		t.Fatalf("the resend lost the submission: %d, %v", len(batch), err)
	}
	if err := q.Apply([]kiosk.Ack{{ID: sub.ID, OfficialReceipt: "OFF-SEQ-1", Duplicate: true}, {ID: other.ID, Retryable: true}}); err != nil {
		t.Fatal(err)
	}
	// The same answer again (a retried sync) changes nothing.
	if err := q.Apply([]kiosk.Ack{{ID: sub.ID, OfficialReceipt: "OFF-SEQ-1", Duplicate: true}}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(grace - time.Second)
	if n, _ := q.Purge(clock.Now()); n != 0 || state(sub.ID) != kiosk.StateAcknowledged {
		t.Fatalf("purged within the grace: %d, %s", n, state(sub.ID))
	}
	clock.Advance(time.Second)
	if n, err := q.Purge(clock.Now()); err != nil || n != 1 {
		t.Fatalf("Purge after the grace = %d, %v", n, err)
	}
	if _, err := q.Compact(); err != nil {
		t.Fatal(err)
	}
	// A late duplicate answer after the purge is harmless.
	if err := q.Apply([]kiosk.Ack{{ID: sub.ID, OfficialReceipt: "OFF-SEQ-1", Duplicate: true}}); err != nil {
		t.Errorf("a late answer after the purge: %v", err)
	}
	st, err := q.Status(context.Background(), "OFF-SEQ-1")
	if err != nil || st.State != kiosk.StatePurged || st.LocalReceipt != sub.LocalReceipt {
		t.Errorf("progress after the purge = %+v, %v", st, err)
	}
	if e, _ := q.Find(sub.LocalReceipt); e.Official != "OFF-SEQ-1" {
		t.Errorf("the reprint lookup by local receipt lost the official number: %+v", e)
	}
	q.Close()

	b := raw()
	if n := wrappedKeysIn(b, testKey(), sub.ID); n != 0 {
		t.Errorf("the purged submission's data key is still in the file %d times", n)
	}
	if n := wrappedKeysIn(b, testKey(), other.ID); n != 1 {
		t.Errorf("the waiting submission's data key is in the file %d times, want 1 (the scan must find what is there)", n)
	}
	plain := readWithKey(t, path, testKey())
	if _, ok := plain[sub.ID]; ok {
		t.Error("the purged submission still opens with the terminal key")
	}
	if got := plain[other.ID]; !bytes.Contains(got, []byte(other.Applicant.Number)) {
		t.Error("the submission still waiting was lost")
	}
	for _, secret := range []string{sub.Applicant.Number, sub.Applicant.Name, sub.Answers["phone"]} {
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("the file holds %q in clear", secret)
		}
	}
}
