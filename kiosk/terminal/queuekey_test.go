package terminal

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/outbox"
	"github.com/tongban/tongban/kiosk/simulation"
)

// queueAlarms reads the queue alarms the simulated back office in dir
// received.
func queueAlarms(t *testing.T, dir string) []store.Alarm {
	t.Helper()
	st, err := store.OpenSQLite(context.Background(), filepath.Join(dir, "backoffice", "backoffice.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	all, err := st.ListAlarms(context.Background(), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Alarm
	for _, a := range all {
		if a.Kind == string(api.AlarmQueueDamaged) {
			out = append(out, a)
		}
	}
	return out
}

// startWithWaiting starts a terminal in dir, queues n submissions and
// stops it.
func startWithWaiting(t *testing.T, dir string, n int) {
	t.Helper()
	// No back office this time: the submissions stay waiting.
	cfg := simConfig(dir)
	cfg.BackOffice = "http://127.0.0.1:1"
	tm, err := New(context.Background(), cfg, simOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for i := range n {
		id, _ := outbox.NewSubmissionID()
		receipt, err := tm.Queue().NextLocalReceipt("T01", now)
		if err != nil {
			t.Fatal(err)
		}
		if err := tm.Queue().Enqueue(context.Background(), kiosktest.Submission(i, id, receipt, "T01", now)); err != nil {
			t.Fatal(err)
		}
	}
	tm.Close()
}

// TestMissingKeyRefusesTheOldQueue: with terminal.key gone, the terminal
// made a new key beside a queue it cannot open. Now it refuses to start,
// makes no key, leaves queue.db as it was, and the back office gets an
// alarm. A damaged key is refused the same way.
func TestMissingKeyRefusesTheOldQueue(t *testing.T) {
	for _, tc := range []struct {
		name string
		harm func(key string) error
	}{
		{"key missing", os.Remove},
		{"key damaged", func(key string) error { return os.WriteFile(key, []byte("0102\n"), 0o600) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			startWithWaiting(t, dir, 3)
			key, qPath := filepath.Join(dir, "terminal.key"), filepath.Join(dir, "queue.db")
			if err := tc.harm(key); err != nil {
				t.Fatal(err)
			}
			keyBefore, _ := os.ReadFile(key)
			before, _ := os.ReadFile(qPath)
			tm, err := New(context.Background(), simConfig(dir), simOptions(nil))
			if err == nil {
				tm.Close()
				t.Fatal("the terminal started without its key")
			}
			if !strings.Contains(err.Error(), "terminal key") {
				t.Errorf("error %q does not name the terminal key", err)
			}
			if after, _ := os.ReadFile(key); !bytes.Equal(after, keyBefore) {
				t.Error("a new key was written over the old one's place")
			}
			if after, _ := os.ReadFile(qPath); !bytes.Equal(after, before) {
				t.Error("queue.db was changed")
			}
			if len(queueAlarms(t, dir)) == 0 {
				t.Error("no alarm reached the back office")
			}
		})
	}
}

// TestDamagedQueueAlarmReachesBackOffice: a damaged queue.db is moved
// aside and the alarm reaches the back office, not only the audit log;
// the terminal serves with a fresh queue meanwhile.
func TestDamagedQueueAlarmReachesBackOffice(t *testing.T) {
	dir := t.TempDir()
	startWithWaiting(t, dir, 3)
	qPath := filepath.Join(dir, "queue.db")
	info, _ := os.Stat(qPath)
	if err := os.Truncate(qPath, info.Size()-100); err != nil {
		t.Fatal(err)
	}
	var sims *simulation.Surroundings
	tm, err := New(context.Background(), simConfig(dir), simOptions(&sims))
	if err != nil {
		t.Fatal(err)
	}
	defer tm.Close()
	st, err := tm.Queue().Stats()
	if err != nil || st.Stranded != 3 {
		t.Errorf("the moved-aside file's 3 waiting submissions are not counted: %+v %v", st, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		all, err := sims.Office().Store.ListAlarms(context.Background(), "", 100)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, a := range all {
			found = found || a.Kind == string(api.AlarmQueueDamaged)
		}
		if found {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no queue alarm at the back office after 10 s: %+v", all)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
