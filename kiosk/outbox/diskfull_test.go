package outbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// smallDisk mounts a tmpfs of size bytes for the test (root only).
func smallDisk(t *testing.T, size int) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("SKIPPED: mounting a small file system needs root; the full-disk test did not run")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("SKIPPED: cannot mount a tmpfs (%v: %s); the full-disk test did not run", err, out)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// TestFullDisk fills a 24 MiB file system with submissions. Before: the
// resident got "something went wrong", and once bbolt's free pages ran
// out sync, purge and compaction all failed, so nothing could free space;
// a failed compaction left queue.db.compact behind. Now new submissions
// are refused with the queue-full message, everything accepted stays,
// acknowledgements and purges still go through, a failed compaction
// leaves nothing behind, and once space is freed submissions are taken
// again.
func TestFullDisk(t *testing.T) {
	dir := smallDisk(t, 24<<20)
	clock := newClock()
	path := filepath.Join(dir, "queue.db")
	q, _ := openTest(t, path, Options{Now: clock.Now, Retention: time.Minute, ReserveBytes: 2 << 20})
	var accepted []kiosk.Submission
	var refusal error
	for i := 0; i < 100000 && refusal == nil; i++ {
		s := synthetic(t, q, i, clock.Now())
		s.Signature = make([]byte, 32<<10) // a signature image's worth
		for j := range s.Signature {
			s.Signature[j] = byte(i*7 + j)
		}
		if err := q.Enqueue(context.Background(), s); err != nil {
			refusal = err
			break
		}
		accepted = append(accepted, s)
	}
	if refusal == nil {
		t.Fatal("the disk never filled")
	}
	t.Logf("%d submissions accepted before the disk filled; then: %v", len(accepted), refusal)
	if kiosk.KindOf(refusal) != kiosk.KindQueueFull || kiosk.MessageOf(refusal) != queueFull {
		t.Fatalf("refused with %v (kind %v): the resident must get the plain queue-full message", refusal, kiosk.KindOf(refusal))
	}
	// A second attempt is refused the same way: an outage that lasts.
	again := synthetic(t, q, 900001, clock.Now())
	again.Signature = make([]byte, 64<<10)
	if err := q.Enqueue(context.Background(), again); kiosk.KindOf(err) != kiosk.KindQueueFull {
		t.Fatalf("second submission on the full disk: %v", err)
	}

	// Sync goes on: every accepted submission is sent and acknowledged.
	for {
		batch, err := q.NextBatch(50)
		if err != nil {
			t.Fatalf("NextBatch on a full disk: %v", err)
		}
		if len(batch) == 0 {
			break
		}
		for _, s := range batch {
			if err := q.Acknowledge(s.ID, "OFF-"+s.ID); err != nil {
				t.Fatalf("Acknowledge on a full disk: %v", err)
			}
		}
	}
	// A compaction with no room for its copy fails cleanly or succeeds.
	if _, err := q.Compact(); err != nil {
		t.Logf("compaction on the full disk: %v", err)
	}
	if _, err := os.Stat(path + ".compact"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a compaction left %s.compact behind (%v)", path, err)
	}
	// Purge frees the space of what the back office holds.
	clock.Advance(time.Hour)
	n, err := q.Purge(clock.Now())
	if err != nil || n != len(accepted) {
		t.Fatalf("purge on a full disk: %d of %d, %v", n, len(accepted), err)
	}
	if _, err := q.Compact(); err != nil {
		t.Fatalf("compaction after the purge: %v", err)
	}
	if _, err := os.Stat(path + ".compact"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s.compact left behind", path)
	}
	// Nothing accepted was lost: each is there, acknowledged then purged.
	list, err := q.List()
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]kiosk.SubmissionState{}
	for _, e := range list {
		states[e.ID] = e.State
	}
	for _, s := range accepted {
		if states[s.ID] != kiosk.StatePurged {
			t.Fatalf("%s is %q after sync and purge", s.ID, states[s.ID])
		}
	}
	// And new work is taken again.
	if err := q.Enqueue(context.Background(), synthetic(t, q, 900002, clock.Now())); err != nil {
		t.Fatalf("after the purge and compaction a new submission is refused: %v", err)
	}
}
