package outbox

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

func testKey() []byte { return bytes.Repeat([]byte{0x5a}, KeySize) }

// fakeClock is a settable clock.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time          { return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 7, 1, 3, 0, 0, 0, time.FixedZone("CST", 8*3600))}
}

// openTest opens a queue in a temporary directory (or at path when given).
func openTest(tb testing.TB, path string, opts Options) (*Outbox, StartReport) {
	tb.Helper()
	if path == "" {
		path = filepath.Join(tb.TempDir(), "queue.db")
	}
	if opts.Key == nil {
		opts.Key = testKey()
	}
	q, rep, err := Open(path, opts)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { q.Close() })
	return q, rep
}

// enqueueN enqueues n synthetic submissions and returns them.
func enqueueN(tb testing.TB, q *Outbox, n int, now time.Time) []kiosk.Submission {
	tb.Helper()
	var out []kiosk.Submission
	for i := 0; i < n; i++ {
		s := synthetic(tb, q, i, now)
		if err := q.Enqueue(context.Background(), s); err != nil {
			tb.Fatalf("Enqueue %d: %v", i, err)
		}
		out = append(out, s)
	}
	return out
}

func synthetic(tb testing.TB, q *Outbox, i int, now time.Time) kiosk.Submission {
	tb.Helper()
	id, err := NewSubmissionID()
	if err != nil {
		tb.Fatal(err)
	}
	receipt, err := q.NextLocalReceipt("T01", now)
	if err != nil {
		tb.Fatal(err)
	}
	return kiosktest.Submission(i, id, receipt, "T01", now)
}

func mustVerify(tb testing.TB, path string) VerifyReport {
	tb.Helper()
	rep, err := Verify(path, testKey())
	if err != nil {
		tb.Fatalf("Verify: %v", err)
	}
	if !rep.OK() {
		tb.Fatalf("Verify found problems: %v", rep.Problems)
	}
	return rep
}
