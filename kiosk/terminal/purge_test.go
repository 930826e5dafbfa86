package terminal

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/outbox"
)

// TestPurgeRunsOnTheTerminalClock: acknowledged submissions are shredded
// once their retention has passed on the injected clock, at the next daily
// purge, and the purge goroutine stops with its context.
func TestPurgeRunsOnTheTerminalClock(t *testing.T) {
	dir := t.TempDir()
	clock := kiosktest.NewClock(time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC))
	q, _, err := outbox.Open(filepath.Join(dir, "queue.db"), outbox.Options{Key: bytes.Repeat([]byte{3}, outbox.KeySize), Retention: 36 * time.Hour, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	l, err := audit.Open(filepath.Join(dir, "audit.log"), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s, err := q.Add(context.Background(), kiosktest.Submission(1, "", "", "T01", clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Acknowledge(s.ID, "XH-OFF-1"); err != nil {
		t.Fatal(err)
	}
	tm := &Terminal{opts: Options{Clock: clock}, log: slog.New(slog.DiscardHandler), queue: q, audit: l}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { tm.purgeDaily(ctx); close(stopped) }()
	purged := func() int {
		st, err := q.Stats()
		if err != nil {
			t.Fatal(err)
		}
		return st.Purged
	}
	for _, day := range []struct {
		advance time.Duration
		want    int
	}{
		{0, 0},              // at start: acknowledged just now
		{24 * time.Hour, 0}, // a day later: within the 36 h retention
		{24 * time.Hour, 1}, // two days later: shredded
	} {
		waitFor(t, "purge goroutine waiting on the clock", func() bool { return clock.Pending() == 1 })
		clock.Advance(day.advance)
		waitFor(t, "purge done", func() bool { return clock.Pending() == 1 && purged() == day.want })
	}
	cancel()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("the purge goroutine did not stop with its context")
	}
	if kinds := auditKinds(t, filepath.Join(dir, "audit.log")); !slices.Contains(kinds, audit.SubmissionPurged) {
		t.Errorf("audit kinds %v: want %s", kinds, audit.SubmissionPurged)
	}
}

// TestPurgeFollowsAShortGrace: with a grace of minutes the purge runs that
// often, so acknowledged personal data goes minutes later, not a day later.
func TestPurgeFollowsAShortGrace(t *testing.T) {
	dir := t.TempDir()
	clock := kiosktest.NewClock(time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC))
	grace := 15 * time.Minute
	q, _, err := outbox.Open(filepath.Join(dir, "queue.db"), outbox.Options{Key: bytes.Repeat([]byte{3}, outbox.KeySize), Retention: grace, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	l, err := audit.Open(filepath.Join(dir, "audit.log"), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s, err := q.Add(context.Background(), kiosktest.Submission(1, "", "", "T01", clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Acknowledge(s.ID, "XH-OFF-1"); err != nil {
		t.Fatal(err)
	}
	tm := &Terminal{opts: Options{Clock: clock}, log: slog.New(slog.DiscardHandler), queue: q, audit: l}
	tm.cfg.Retention = grace
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go tm.purgeDaily(ctx)
	purged := func() int {
		st, err := q.Stats()
		if err != nil {
			t.Fatal(err)
		}
		return st.Purged
	}
	waitFor(t, "purge goroutine waiting on the clock", func() bool { return clock.Pending() == 1 })
	if purged() != 0 {
		t.Fatal("purged before the grace passed")
	}
	clock.Advance(grace)
	waitFor(t, "purge after the grace", func() bool { return clock.Pending() == 1 && purged() == 1 })
}

func TestPurgeEvery(t *testing.T) {
	for _, c := range []struct{ retention, want time.Duration }{
		{0, 24 * time.Hour},
		{-1, time.Minute},
		{10 * time.Second, time.Minute},
		{15 * time.Minute, 15 * time.Minute},
		{30 * 24 * time.Hour, 24 * time.Hour},
	} {
		if got := purgeEvery(c.retention); got != c.want {
			t.Errorf("purgeEvery(%v) = %v, want %v", c.retention, got, c.want)
		}
	}
}
