package uplink

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/outbox"
)

// runBackOffice starts the back office on the store in dir; stop stops it
// and waits until its store is closed.
func runBackOffice(t *testing.T, dir string) (l *backoffice.Local, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	l, err := backoffice.ListenLocal(ctx, backoffice.LocalOptions{Dir: dir, Center: testCenter})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	return l, func() { cancel(); l.Wait() }
}

// copyStore copies the back office's SQLite files (the database and its
// write-ahead log) from one folder to another, replacing what is there.
func copyStore(t *testing.T, from, to string) {
	t.Helper()
	old, _ := filepath.Glob(filepath.Join(to, "backoffice.db*"))
	for _, p := range old {
		os.Remove(p)
	}
	files, _ := filepath.Glob(filepath.Join(from, "backoffice.db*"))
	if len(files) == 0 {
		t.Fatal("no store files to copy")
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, filepath.Base(p)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBackOfficeRestoredFromOlderBackup: 100 submissions are
// acknowledged, then the back office's database is restored from a backup
// taken before them. Before: they were gone for good, the restored server
// handed out official numbers that already belonged to them, the terminal
// took that as a queue failure and left the batch sending: 0 of 100 new
// submissions acknowledged. Now the terminal sees from the batch answers
// that the back office holds fewer than it acknowledged, sends again what
// it still has (personal data is kept for the retention period), and every
// submission, old and new, is held once with the number the terminal has.
func TestBackOfficeRestoredFromOlderBackup(t *testing.T) {
	boDir, backup := filepath.Join(t.TempDir(), "bo"), t.TempDir()
	_, stop := runBackOffice(t, boDir)
	stop()
	copyStore(t, boDir, backup) // the backup: before any submission

	q, _, err := outbox.Open(filepath.Join(t.TempDir(), "queue.db"), outbox.Options{
		Key: bytes.Repeat([]byte{9}, outbox.KeySize), ReserveBytes: -1, Retention: 72 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	add := func(n int) {
		for i := range n {
			s := kiosktest.Submission(i, "", "", testTerminal, time.Now())
			s.ID, s.LocalReceipt, s.Center = "", "", testCenter
			if _, err := q.Add(context.Background(), s); err != nil {
				t.Fatal(err)
			}
		}
	}
	drain := func(bo *backoffice.Local) {
		t.Helper()
		c := newClient(t, bo.URL, q, &fakeClock{now: t0}, func(cfg *Config) { cfg.BatchSize = 20 })
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := c.Drain(ctx); err != nil {
			t.Fatalf("drain: %v", err)
		}
	}

	add(100)
	bo, stop := runBackOffice(t, boDir)
	drain(bo)
	stop()
	if st, _ := q.Stats(); st.Acknowledged != 100 {
		t.Fatalf("before the restore: %+v", st)
	}
	copyStore(t, backup, boDir) // the restore: the 100 are gone

	add(100)
	bo, stop = runBackOffice(t, boDir)
	defer stop()
	drain(bo)
	// The resent ones go out in the next drain, as Run would do.
	drain(bo)

	st, _ := q.Stats()
	if st.Acknowledged != 200 || st.Pending+st.Sending+st.Quarantined != 0 {
		t.Fatalf("after the restore: %+v; want all 200 acknowledged", st)
	}
	counts, err := bo.Store.CountSubmissions(context.Background(), testTerminal)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 200 {
		t.Errorf("the back office holds %d submissions, want 200", len(counts))
	}
	list, _ := q.List()
	numbers := map[string]string{}
	for _, e := range list {
		if other, dup := numbers[e.Official]; dup {
			t.Fatalf("official number %s given to %s and %s", e.Official, other, e.ID)
		}
		numbers[e.Official] = e.ID
		got, err := bo.Store.SubmissionByReceipt(context.Background(), e.Official)
		if err != nil || got.ClientID != e.ID || counts[e.ID] != 1 {
			t.Fatalf("%s: the terminal has %s; the back office has %q (%v), stored %d times", e.ID, e.Official, got.ClientID, err, counts[e.ID])
		}
	}
}

// TestIdleTerminalNoticesRestoreByHeartbeat: a terminal with nothing new
// to send learns from its heartbeat that the back office lost what it
// acknowledged, and sends it again.
func TestIdleTerminalNoticesRestoreByHeartbeat(t *testing.T) {
	boDir, backup := filepath.Join(t.TempDir(), "bo"), t.TempDir()
	_, stop := runBackOffice(t, boDir)
	stop()
	copyStore(t, boDir, backup)
	q, _, err := outbox.Open(filepath.Join(t.TempDir(), "queue.db"), outbox.Options{
		Key: bytes.Repeat([]byte{9}, outbox.KeySize), ReserveBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	for i := range 30 {
		s := kiosktest.Submission(i, "", "", testTerminal, time.Now())
		s.ID, s.LocalReceipt, s.Center = "", "", testCenter
		if _, err := q.Add(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
	bo, stop := runBackOffice(t, boDir)
	c := newClient(t, bo.URL, q, &fakeClock{now: t0})
	if _, err := c.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	stop()
	copyStore(t, backup, boDir)
	bo, stop = runBackOffice(t, boDir)
	defer stop()
	c = newClient(t, bo.URL, q, &fakeClock{now: t0})
	if _, err := c.Heartbeat(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st, _ := q.Stats(); st.Pending != 30 {
		t.Fatalf("after the heartbeat %d pending, want the 30 the back office lost", st.Pending)
	}
	if _, err := c.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n, _ := bo.Store.Held(context.Background(), testTerminal); n != 30 {
		t.Errorf("the back office holds %d, want 30", n)
	}
}
