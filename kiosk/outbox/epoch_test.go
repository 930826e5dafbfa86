package outbox

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/keystore"
)

// heldKeys is a thief's or a test's copy of some epoch keys.
type heldKeys map[uint32][]byte

func (h heldKeys) Current() (uint32, []byte, error) { return 0, nil, errors.New("read only") }
func (h heldKeys) Key(e uint32) ([]byte, error) {
	if k, ok := h[e]; ok {
		return slices.Clone(k), nil
	}
	return nil, keystore.ErrShredded
}
func (h heldKeys) Epochs() ([]uint32, error) { return nil, nil }
func (h heldKeys) Shred(uint32) error        { return nil }

// TestEpochShreddingDefeatsOldCopies: submissions of day 1 are sealed under
// epoch 1, those of day 2 under epoch 2. A copy of the queue file is taken
// on day 1. Epoch 1 is not shredded while one of its submissions is
// quarantined, though the others are purged; once that one too is retried,
// acknowledged and purged, epoch 1 is shredded, and the day-1 copy no
// longer opens with anything left on the terminal, while day 2's
// submission still does. The day-1 copy did open with epoch 1's key,
// captured before the shred: the test reads what is there.
func TestEpochShreddingDefeatsOldCopies(t *testing.T) {
	clock := newClock()
	keyDir := filepath.Join(t.TempDir(), "keys")
	epochs, err := keystore.Open(keyDir, keystore.Options{Now: clock.Now, Period: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	grace := 10 * time.Minute
	path := filepath.Join(t.TempDir(), "queue.db")
	q, _, err := Open(path, Options{Epochs: epochs, Now: clock.Now, Retention: grace})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { q.Close() }()

	day1 := enqueueN(t, q, 3, clock.Now())
	held, err := epochs.Key(1)
	if err != nil {
		t.Fatalf("day 1 is not epoch 1: %v", err)
	}
	oldCopy := filepath.Join(t.TempDir(), "stolen-day1.db")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(oldCopy, raw, 0o600); err != nil {
		t.Fatal(err)
	}

	clock.Advance(24 * time.Hour)
	day2 := enqueueN(t, q, 1, clock.Now())[0]
	if list, _ := epochs.Epochs(); !slices.Equal(list, []uint32{1, 2}) {
		t.Fatalf("epochs after day 2's submission: %v", list)
	}
	// Day 1's first two are acknowledged; the third is refused.
	if _, err := q.NextBatch(3); err != nil {
		t.Fatal(err)
	}
	err = q.Apply([]kiosk.Ack{
		{ID: day1[0].ID, OfficialReceipt: "OFF-E1"},
		{ID: day1[1].ID, OfficialReceipt: "OFF-E2"},
		{ID: day1[2].ID, Rejected: true, Reason: "test: centre code unknown"},
	})
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(grace)
	if n, err := q.Purge(clock.Now()); err != nil || n != 2 {
		t.Fatalf("Purge = %d, %v", n, err)
	}
	if _, err := epochs.Key(1); err != nil {
		t.Fatalf("epoch 1 was shredded while a quarantined submission is sealed under it: %v", err)
	}
	// Staff fix it; it is sent again and acknowledged, then purged.
	if err := q.Retry(day1[2].ID); err != nil {
		t.Fatal(err)
	}
	batch, err := q.NextBatch(1)
	if err != nil || len(batch) != 1 || batch[0].ID != day1[2].ID {
		t.Fatalf("the retried submission did not come back whole: %v", err)
	}
	if err := q.Acknowledge(day1[2].ID, "OFF-E3"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(grace)
	if n, err := q.Purge(clock.Now()); err != nil || n != 1 {
		t.Fatalf("second Purge = %d, %v", n, err)
	}
	if _, err := epochs.Key(1); !errors.Is(err, keystore.ErrShredded) {
		t.Fatalf("epoch 1 not shredded once nothing under it waits: %v", err)
	}
	if list, _ := epochs.Epochs(); !slices.Equal(list, []uint32{2}) {
		t.Errorf("epochs left: %v, want [2]", list)
	}
	if st, err := q.Status(context.Background(), "OFF-E3"); err != nil || st.State != kiosk.StatePurged {
		t.Errorf("progress of a shredded epoch's submission: %+v, %v", st, err)
	}
	q.Close()

	// The stolen day-1 copy, with everything left on the terminal.
	left := keyring{epochs: epochs}
	if got := readWith(t, oldCopy, left); len(got) != 0 {
		t.Errorf("the day-1 copy still opens %d records after epoch 1 was shredded", len(got))
	}
	old, _ := os.ReadFile(oldCopy)
	for _, s := range day1 {
		for i := 0; i+wrappedSizeV2 <= len(old); i++ {
			if old[i] == epochVersion {
				if _, err := left.unwrap(s.ID, old[i:i+wrappedSizeV2]); err == nil {
					t.Fatalf("a data key of %s in the day-1 copy unwraps with what is left", s.ID)
				}
			}
		}
	}
	if got := readWith(t, oldCopy, keyring{epochs: heldKeys{1: held}}); len(got) != 3 {
		t.Fatalf("with epoch 1's key the day-1 copy opens %d of 3: the test reads nothing", len(got))
	}
	if _, ok := readWith(t, path, left)[day2.ID]; !ok {
		t.Error("day 2's submission, still waiting, no longer opens")
	}
	if rep, err := VerifyEpochs(path, nil, epochs); err != nil || !rep.OK() {
		t.Errorf("VerifyEpochs: %+v, %v", rep, err)
	}
}
