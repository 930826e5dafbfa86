package outbox

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

var crashCycles = flag.Int("crash.cycles", 20, "kill -9 cycles in TestCrash (make crash-long runs 500)")

// crashChildEnv names the queue file a child process fills; its presence
// turns TestCrash into the child.
const crashChildEnv = "TONGBAN_OUTBOX_CRASH_CHILD"

// TestCrash runs a child copy of this test binary that fills a queue,
// printing "acked <id>" after each durable Enqueue, and also sends,
// acknowledges, purges and compacts now and then. The child is killed with
// SIGKILL at a random moment; then every acknowledged ID must be in the
// queue, readable, and the file must check clean. This covers process
// crashes only: the page cache survives a SIGKILL (see the package doc).
func TestCrash(t *testing.T) {
	if path := os.Getenv(crashChildEnv); path != "" {
		crashChild(path)
		return
	}
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	path := filepath.Join(t.TempDir(), "queue.db")
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 7))
	t.Logf("random seed %d", seed)
	acked := map[string]bool{}
	for cycle := 0; cycle < *crashCycles; cycle++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrash$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			defer close(lines)
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
		}()
		// Kill after the child has acknowledged a random number of
		// submissions (at least one, so every cycle is a real test), plus
		// a random delay so the kill lands anywhere in a commit.
		want := 1 + rng.IntN(60)
		got := 0
		for line := range lines {
			if id, ok := strings.CutPrefix(line, "acked "); ok {
				acked[id] = true
				if got++; got == want {
					break
				}
			}
		}
		time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond)
		cmd.Process.Signal(syscall.SIGKILL)
		for line := range lines { // acks printed before the kill landed
			if id, ok := strings.CutPrefix(line, "acked "); ok {
				acked[id] = true
			}
		}
		cmd.Wait()

		rep, err := Verify(path, testKey())
		if err != nil {
			t.Fatalf("cycle %d: %v", cycle, err)
		}
		if !rep.OK() {
			t.Fatalf("cycle %d: the file does not check clean: %v", cycle, rep.Problems)
		}
		q, start, err := Open(path, Options{Key: testKey(), Retention: -1})
		if err != nil {
			t.Fatalf("cycle %d: Open: %v", cycle, err)
		}
		if start.Damaged || start.Unreadable > 0 {
			t.Fatalf("cycle %d: start-up report %+v", cycle, start)
		}
		for id := range acked {
			if _, err := q.Get(id); err != nil {
				t.Errorf("cycle %d: acknowledged %s lost: %v", cycle, id, err)
			}
		}
		q.Close()
		if t.Failed() {
			return
		}
	}
	t.Logf("%d kill -9 cycles, %d acknowledged submissions, none lost, file clean after each", *crashCycles, len(acked))
}

// crashChild fills the queue until killed. It never returns normally.
func crashChild(path string) {
	q, _, err := Open(path, Options{Key: testKey(), Retention: -1})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	ctx := context.Background()
	for i := 0; ; i++ {
		now := time.Now()
		id, _ := NewSubmissionID()
		receipt, err := q.NextLocalReceipt("CRASH", now)
		if err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(2)
		}
		if err := q.Enqueue(ctx, kiosktest.Submission(i, id, receipt, "CRASH", now)); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(2)
		}
		fmt.Fprintf(os.Stdout, "acked %s\n", id)
		switch {
		case i%7 == 3:
			batch, _ := q.NextBatch(5)
			for j, s := range batch {
				switch j % 3 {
				case 0:
					q.Acknowledge(s.ID, "OFF-"+s.ID)
				case 1:
					q.Quarantine(s.ID, "test rejection")
				default:
					q.Release([]string{s.ID})
				}
			}
		case i%23 == 11:
			q.Purge(time.Now())
		case i%97 == 50:
			q.Compact()
		}
	}
}

var _ kiosk.Queue = (*Outbox)(nil)
