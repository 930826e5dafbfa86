package outbox

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var (
	corruptFlips = flag.Int("corrupt.flips", 150, "random byte-flip cases in TestCorruptQueueNeverCrashes")
	corruptSeed  = flag.Uint64("corrupt.seed", 0, "seed of the flips (0: from the clock, logged)")
)

// healthyQueueFile builds a queue with pending, acknowledged and purged
// submissions (so the file has a freelist and overflow pages) and returns
// its bytes.
func healthyQueueFile(tb testing.TB, n int) []byte {
	tb.Helper()
	clock := newClock()
	path := filepath.Join(tb.TempDir(), "queue.db")
	q, _ := openTest(tb, path, Options{Now: clock.Now, Retention: time.Hour})
	enqueueN(tb, q, n, clock.Now())
	batch, err := q.NextBatch(n / 2)
	if err != nil {
		tb.Fatal(err)
	}
	for i, s := range batch {
		if err := q.Acknowledge(s.ID, fmt.Sprintf("OFF-%05d", i)); err != nil {
			tb.Fatal(err)
		}
	}
	clock.Advance(2 * time.Hour)
	if _, err := q.Purge(clock.Now()); err != nil {
		tb.Fatal(err)
	}
	q.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// TestCorruptQueueNeverCrashes: truncations at many offsets and random
// byte flips. bbolt reached past the end of a truncated file (SIGBUS, 20
// of 57 truncations and 28 of 400 random corruptions crashed the kiosk at
// every start). Now no damage crashes Open or Verify; a damaged file is
// moved aside whole and a fresh queue starts; a file that opens works.
func TestCorruptQueueNeverCrashes(t *testing.T) {
	good := healthyQueueFile(t, 40)
	size := len(good)
	type tcase struct {
		name string
		data []byte
	}
	var cases []tcase
	// Truncations: every 1/57th of the file, and around page boundaries.
	offsets := []int{1, 100, 1023, 2048, 4095, 4096, 4097, 8191, 8192, 8193, 12288, size - 1, size - 4096}
	for i := 1; i < 57; i++ {
		offsets = append(offsets, size*i/57)
	}
	for _, off := range offsets {
		if off > 0 && off < size {
			cases = append(cases, tcase{fmt.Sprintf("truncated at %d of %d", off, size), good[:off]})
		}
	}
	seed := *corruptSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("flip seed %d (rerun with -corrupt.seed)", seed)
	rng := rand.New(rand.NewPCG(seed, 16))
	for i := 0; i < *corruptFlips; i++ {
		b := bytes.Clone(good)
		n := 1 + rng.IntN(8)
		page := rng.IntN(size / 4096)
		for j := 0; j < n; j++ {
			// Mostly within one page (headers and element tables are at
			// its start), sometimes anywhere.
			at := page*4096 + rng.IntN(256)
			if rng.IntN(3) == 0 {
				at = rng.IntN(size)
			}
			b[at] ^= byte(1 + rng.IntN(255))
		}
		cases = append(cases, tcase{fmt.Sprintf("flip %d (%d bytes, page %d)", i, n, page), b})
	}
	// Whole-page damage: zeroed and foreign pages.
	for p := 0; p < size/4096; p++ {
		b := bytes.Clone(good)
		clear(b[p*4096 : (p+1)*4096])
		cases = append(cases, tcase{fmt.Sprintf("page %d zeroed", p), b})
	}

	var damaged, opened int
	dir := t.TempDir()
	for i, tc := range cases {
		path := filepath.Join(dir, fmt.Sprintf("q%d", i), "queue.db")
		os.MkdirAll(filepath.Dir(path), 0o700)
		if err := os.WriteFile(path, tc.data, 0o600); err != nil {
			t.Fatal(err)
		}
		if os.Getenv("CORRUPT_TRACE") != "" {
			fmt.Fprintln(os.Stderr, "case:", tc.name)
			os.WriteFile("/tmp/corrupt-case.db", tc.data, 0o600)
		}
		// Verify first: read-only, it must not crash or change the file.
		if _, err := Verify(path, testKey()); err != nil {
			t.Errorf("%s: Verify: %v", tc.name, err)
		}
		q, rep, err := Open(path, Options{Key: testKey(), ReserveBytes: -1})
		if err != nil {
			// Only a wrong-key refusal is acceptable: every record unreadable.
			if err != errWrongKey {
				t.Errorf("%s: Open: %v", tc.name, err)
			}
			continue
		}
		if rep.Damaged {
			damaged++
			moved, err := os.ReadFile(rep.MovedTo)
			if err != nil || !bytes.Equal(moved, tc.data) {
				t.Errorf("%s: the moved-aside file is not the damaged file whole (%v)", tc.name, err)
			}
		} else {
			opened++
		}
		if _, err := q.Stats(); err != nil {
			t.Errorf("%s: the queue opened but Stats fails: %v", tc.name, err)
		}
		q.Close()
		os.RemoveAll(filepath.Dir(path))
	}
	t.Logf("%d damaged files: %d moved aside, %d opened (damage in unused space or record data)", len(cases), damaged, opened)
	if damaged < len(offsets)-2 {
		t.Errorf("only %d of the damaged files were moved aside", damaged)
	}
}
