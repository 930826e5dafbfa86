package outbox

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDamagedQueueCountedAndSalvaged: a damaged queue file is moved aside
// and a fresh queue starts. What the moved-aside file still holds was
// neither counted (the staff menu showed 0 waiting) nor ever sent. Now
// Stats counts it as stranded, Salvage moves its waiting submissions into
// the live queue with their data, and a second Salvage changes nothing.
func TestDamagedQueueCountedAndSalvaged(t *testing.T) {
	for _, d := range []struct {
		name   string
		damage func(path string) error
		want   int // waiting submissions readable after the damage
	}{
		{"cut mid-page", func(p string) error {
			info, _ := os.Stat(p)
			return os.Truncate(p, info.Size()-100)
		}, 30},
		{"first meta page zeroed", func(p string) error {
			f, err := os.OpenFile(p, os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = f.WriteAt(make([]byte, 4096), 0)
			return err
		}, 31}, // bbolt's other meta page is one transaction older: one acknowledgement earlier
	} {
		t.Run(d.name, func(t *testing.T) {
			clock := newClock()
			path := filepath.Join(t.TempDir(), "queue.db")
			q, _ := openTest(t, path, Options{Now: clock.Now})
			subs := enqueueN(t, q, 40, clock.Now())
			batch, err := q.NextBatch(10)
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range batch {
				if err := q.Acknowledge(s.ID, fmt.Sprintf("OFF-%d", i)); err != nil {
					t.Fatal(err)
				}
			}
			q.Close()
			if err := d.damage(path); err != nil {
				t.Fatal(err)
			}

			q, rep := openTest(t, path, Options{Now: clock.Now})
			if !rep.Damaged {
				t.Fatalf("the damage was not noticed: %+v", rep)
			}
			st, err := q.Stats()
			if err != nil {
				t.Fatal(err)
			}
			if st.Pending != 0 || st.Stranded != d.want {
				t.Fatalf("after the move: %d pending, %d stranded; want 0 and %d", st.Pending, st.Stranded, d.want)
			}
			// The fresh queue takes new work meanwhile.
			enqueueN(t, q, 5, clock.Now())

			sr, err := q.Salvage(context.Background(), rep.MovedTo)
			if err != nil {
				t.Fatal(err)
			}
			if sr.Found != d.want || sr.Imported != d.want || sr.Unusable != 0 {
				t.Fatalf("salvage: %+v", sr)
			}
			if !strings.HasSuffix(sr.MovedTo, ".salvaged") {
				t.Errorf("the salvaged file was not marked: %q", sr.MovedTo)
			}
			st, _ = q.Stats()
			if st.Pending != 5+d.want || st.Stranded != 0 {
				t.Errorf("after salvage: %d pending, %d stranded; want %d and 0", st.Pending, st.Stranded, 5+d.want)
			}
			// Every salvaged submission opens, whole, in the live queue.
			got, err := q.NextBatch(100)
			if err != nil {
				t.Fatal(err)
			}
			byID := map[string]bool{}
			for _, s := range got {
				byID[s.ID] = s.Applicant.Number != ""
			}
			for _, s := range subs[10:] {
				if !byID[s.ID] {
					t.Errorf("%s was not salvaged with its data", s.ID)
				}
			}
			// Again: nothing changes.
			sr, err = q.Salvage(context.Background(), sr.MovedTo)
			if err != nil || sr.Imported != 0 || sr.Already != d.want {
				t.Errorf("second salvage: %+v %v", sr, err)
			}
			if _, err := q.Salvage(context.Background(), path); err == nil {
				t.Error("salvaging the live queue into itself was accepted")
			}
		})
	}
}
