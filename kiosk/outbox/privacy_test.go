package outbox

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestNoPersonalDataInClear fills a queue with synthetic residents and looks
// for their ID numbers, names, phone numbers and addresses in the raw bytes
// of the database file, before and after compaction.
func TestNoPersonalDataInClear(t *testing.T) {
	clock := newClock()
	q, _ := openTest(t, "", Options{Now: clock.Now, Retention: -1})
	subs := enqueueN(t, q, 30, clock.Now())
	// Some go through the whole life cycle, leaving freed pages behind.
	batch, _ := q.NextBatch(10)
	for _, s := range batch {
		q.Acknowledge(s.ID, "OFF-"+s.ID[:8])
	}
	q.Purge(clock.Now())

	scan := func(stage string) {
		raw, err := os.ReadFile(q.Path())
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range subs {
			for what, secret := range map[string]string{
				"ID number": s.Applicant.Number,
				"name":      s.Applicant.Name,
				"phone":     s.Answers["phone"],
				"address":   s.Applicant.Address,
			} {
				if bytes.Contains(raw, []byte(secret)) {
					t.Errorf("%s: the file holds a %s in clear (submission %s)", stage, what, s.ID)
				}
			}
		}
		if bytes.Contains(raw, subs[0].Signature[8:64]) {
			t.Errorf("%s: the file holds a signature image in clear", stage)
		}
		if bytes.Contains(raw, testKey()) {
			t.Errorf("%s: the file holds the terminal key", stage)
		}
	}
	scan("live")
	if _, err := q.Compact(); err != nil {
		t.Fatal(err)
	}
	scan("compacted")
	q.Close()
	leftovers, _ := filepath.Glob(q.Path() + ".*")
	// The disk reserves (reserve.go) hold zeros, and belong there.
	leftovers = slices.DeleteFunc(leftovers, func(p string) bool {
		return p == q.Path()+reserveState || p == q.Path()+reserveCompact
	})
	if len(leftovers) != 0 {
		t.Errorf("compaction left files behind: %v", leftovers)
	}
}
