package powercut

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	cyclesFlag = flag.Int("powercut.cycles", 50, "power cuts per target (make crash-long runs 1000)")
	seedFlag   = flag.Uint64("powercut.seed", 0, "seed of the power-cut loops (0: from the clock; the seed is logged)")
)

// Environment of a child process.
const (
	childEnv   = "TONGBAN_POWERCUT_CHILD" // target name; control runs add "/control"
	dirEnv     = "TONGBAN_POWERCUT_DIR"
	seedEnv    = "TONGBAN_POWERCUT_SEED"
	reportEnv  = "TONGBAN_POWERCUT_REPORT" // a file each loop appends its Result to
	requireEnv = "TONGBAN_REQUIRE_FUSE"    // "1": fail, not skip, without FUSE
)

// Target is one power-cut loop.
type Target struct {
	Name string
	// Child is the workload. It runs in a child process with dir on the
	// mount, calls ack(token) after each step it has made durable, and
	// runs until it is killed (or returns, when its work is done). rng
	// is seeded per cycle.
	Child func(dir string, rng *rand.Rand, ack func(token string)) error
	// Check examines dir after a cut, in this process. dir is the
	// backing folder, which holds exactly what survived the cut: never
	// the mount, because a page fault on a FUSE file served by the same
	// process can deadlock the Go runtime (bbolt maps its file). The next
	// cycle's child starts on what Check leaves, through the mount.
	// acked lists every token acknowledged in all cycles so far, in
	// order, duplicates included.
	Check func(dir string, acked []string) Findings
	// NewCheck, when set instead of Check, makes a fresh Check for each
	// loop (the main one and the control), for checks that keep state
	// from one cut to the next.
	NewCheck func() func(dir string, acked []string) Findings
	// Control, when set, is a deliberately broken variant of Child that
	// the same Check must catch within ControlCycles cycles (default 100;
	// the control stops at its first catch, so the bound costs only when a
	// loaded machine makes cuts land before anything was acknowledged):
	// the proof that the loop can fail.
	Control       func(dir string, rng *rand.Rand, ack func(token string)) error
	ControlCycles int
	// Delay bounds the random moment of the cut after the child starts
	// its workload; zero means 100 ms.
	Delay time.Duration
	// Torn keeps a random prefix of each file's last unsynced write.
	Torn bool
	// Note, when set, is called after the loop; what it returns stands
	// in the table's control column of a target without a Control.
	Note func() string
}

// Findings is what a Check found after one cut.
type Findings struct {
	Lost        int      // acknowledged (in any cycle so far) and gone now
	Duplicated  int      // present (or handed out) more than once
	CheckErrors int      // the file or state does not check clean
	Problems    []string // one line each, for the test log
}

func (f *Findings) add(g Findings) {
	f.Lost += g.Lost
	f.Duplicated += g.Duplicated
	f.CheckErrors += g.CheckErrors
	f.Problems = append(f.Problems, g.Problems...)
}

// Result is one row of the power-cut table.
type Result struct {
	Target      string
	Cycles      int
	Acked       int
	Lost        int
	Duplicated  int
	CheckErrors int
	Control     string
}

// Failed reports whether the loop found anything wrong.
func (r Result) Failed() bool { return r.Lost+r.Duplicated+r.CheckErrors > 0 }

// Line is the short form printed in the normal run.
func (r Result) Line() string {
	return fmt.Sprintf("powercut %-14s %5d cycles %7d acked %d lost %d duplicated %d check errors; control: %s",
		r.Target, r.Cycles, r.Acked, r.Lost, r.Duplicated, r.CheckErrors, r.Control)
}

// TSV is the row make crash-long turns into the table.
func (r Result) TSV() string {
	return fmt.Sprintf("%s\t%d\t%d\t%d\t%d\t%d\t%s\n", r.Target, r.Cycles, r.Acked, r.Lost, r.Duplicated, r.CheckErrors, r.Control)
}

// TableHeader is the TSV header of the table.
const TableHeader = "target\tcycles\tacknowledged\tlost\tduplicated\tcheck errors\tpositive control\n"

// Cycles is the number of cuts per target the run asks for.
func Cycles() int { return *cyclesFlag }

// Require skips tb when no FUSE file system can be mounted here, loudly,
// or fails it when TONGBAN_REQUIRE_FUSE=1.
func Require(tb testing.TB) {
	tb.Helper()
	if err := Available(); err != nil {
		unavailable(tb, err)
	}
}

func unavailable(tb testing.TB, err error) {
	tb.Helper()
	if os.Getenv(requireEnv) == "1" {
		tb.Fatalf("POWER-CUT TESTS CANNOT RUN: %v (TONGBAN_REQUIRE_FUSE=1)", err)
	}
	tb.Skipf("\n*** POWER-CUT TESTS SKIPPED: %v ***\n*** run as root with /dev/fuse (make test does, and fails without) ***", err)
}

// Mount mounts a fresh FS in a temporary folder for tb, unmounted at the
// end of the test. It skips or fails as Require does.
func Mount(tb testing.TB, opts Options) *FS {
	tb.Helper()
	Require(tb)
	p, err := New(tb.TempDir(), opts)
	if err != nil {
		unavailable(tb, err)
	}
	tb.Cleanup(func() {
		if err := p.Unmount(); err != nil {
			tb.Errorf("unmounting: %v", err)
		}
	})
	return p
}

// IsChild reports whether this process is the child of a loop.
func IsChild() bool { return os.Getenv(childEnv) != "" }

// Run runs tg's loop for Cycles() cuts (in a child process it runs the
// workload instead and never returns), checks its control if it has one,
// reports the Result and fails t if anything acknowledged was lost or
// duplicated or a check failed.
func Run(t *testing.T, tg Target) Result {
	t.Helper()
	if name := os.Getenv(childEnv); name != "" {
		runChild(t, tg, name)
	}
	Require(t)
	seed := *seedFlag
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("power-cut seed %d (replay with -powercut.seed=%d)", seed, seed)
	r := Result{Target: tg.Name, Cycles: Cycles(), Control: "none"}
	f, acked, ran := loop(t, tg, tg.Name, seed, Cycles(), nil)
	r.Cycles, r.Acked, r.Lost, r.Duplicated, r.CheckErrors = ran, len(acked), f.Lost, f.Duplicated, f.CheckErrors
	for i, p := range f.Problems {
		if i == 20 {
			t.Errorf("… and %d more", len(f.Problems)-i)
			break
		}
		t.Error(p)
	}
	switch {
	case tg.Control != nil:
		r.Control = control(t, tg, seed)
	case tg.Note != nil:
		r.Control = tg.Note()
	}
	Report(t, r)
	return r
}

// control runs the broken variant until the check catches it.
func control(t *testing.T, tg Target, seed uint64) string {
	t.Helper()
	limit := tg.ControlCycles
	if limit == 0 {
		limit = 100
	}
	var caught Findings
	cycles := 0
	_, acked, _ := loop(t, tg, tg.Name+"/control", seed^0xc0, limit, func(cycle int, f Findings) bool {
		caught, cycles = f, cycle+1
		return f.Lost+f.Duplicated+f.CheckErrors > 0
	})
	if caught.Lost+caught.Duplicated+caught.CheckErrors == 0 {
		t.Errorf("positive control: the broken variant of %s went uncaught over %d cuts (%d acknowledged): the loop cannot fail", tg.Name, limit, len(acked))
		return fmt.Sprintf("MISSED in %d cuts", limit)
	}
	return fmt.Sprintf("caught in %d cuts (lost %d, dup %d, check %d)", cycles, caught.Lost, caught.Duplicated, caught.CheckErrors)
}

// loop runs cycles cuts of the child named name on a fresh FS. stop, when
// given, sees the findings so far after each cycle and may end the loop.
func loop(t *testing.T, tg Target, name string, seed uint64, cycles int, stop func(int, Findings) bool) (total Findings, acked []string, ran int) {
	t.Helper()
	check := tg.Check
	if tg.NewCheck != nil {
		check = tg.NewCheck()
	}
	pfs := Mount(t, Options{Seed: seed, Torn: tg.Torn})
	rng := rand.New(rand.NewPCG(seed, 1))
	delay := tg.Delay
	if delay == 0 {
		delay = 100 * time.Millisecond
	}
	seen := map[string]bool{}
	prevLost, prevDup := 0, 0
	for cycle := 0; cycle < cycles; cycle++ {
		ran = cycle + 1
		tokens, err := cycleOnce(t, pfs, name, rng.Uint64(), time.Duration(rng.Int64N(int64(delay))))
		if err != nil {
			t.Fatalf("%s cycle %d: %v", name, cycle, err)
		}
		for _, tok := range tokens {
			if seen[tok] {
				total.Duplicated++
				total.Problems = append(total.Problems, fmt.Sprintf("%s cycle %d: %q acknowledged twice", name, cycle, tok))
			}
			seen[tok] = true
		}
		acked = append(acked, tokens...)
		f := check(pfs.Backing(), acked)
		for i := range f.Problems {
			f.Problems[i] = fmt.Sprintf("%s cycle %d: %s", name, cycle, f.Problems[i])
		}
		// A check counts what is missing or doubled now, among everything
		// acknowledged so far: what was lost at one cut is missing again
		// at the next. Only the growth counts, so each loss counts once.
		lost, dup := f.Lost, f.Duplicated
		f.Lost, f.Duplicated = max(0, lost-prevLost), max(0, dup-prevDup)
		prevLost, prevDup = lost, dup
		total.add(f)
		if stop != nil && stop(cycle, total) {
			break
		}
		if stop == nil && len(total.Problems) > 50 {
			t.Errorf("%s: stopping after cycle %d, too many problems", name, cycle)
			break
		}
	}
	return total, acked, ran
}

// cycleOnce starts the child, cuts the power after wait, kills the child
// and remounts. It returns the tokens the child acknowledged.
func cycleOnce(t *testing.T, pfs *FS, name string, seed uint64, wait time.Duration) ([]string, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+name, dirEnv+"="+pfs.Dir(), seedEnv+"="+strconv.FormatUint(seed, 10))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	var (
		mu      sync.Mutex
		tokens  []string
		started = make(chan struct{})
		done    = make(chan struct{})
	)
	go func() {
		defer close(done)
		sc := bufio.NewScanner(out)
		once := false
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "powercut start" && !once:
				once = true
				close(started)
			case strings.HasPrefix(line, "powercut ack "):
				mu.Lock()
				tokens = append(tokens, strings.TrimPrefix(line, "powercut ack "))
				mu.Unlock()
			}
		}
		if !once {
			close(started)
		}
	}()
	<-started
	early := false
	select {
	case <-time.After(wait):
	case <-done: // the child ended by itself: the output is closed
		early = true
	}
	cutErr := pfs.Cut()
	cmd.Process.Signal(syscall.SIGKILL)
	<-done
	werr := cmd.Wait()
	if early {
		return nil, fmt.Errorf("the workload ended before the cut (%v): %s", werr, lastLines(stderr.String(), 15))
	}
	if cutErr != nil {
		return nil, cutErr
	}
	if err := pfs.Remount(); err != nil {
		return nil, err
	}
	return tokens, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// runChild is the child process: it runs the workload on the mount and
// exits.
func runChild(t *testing.T, tg Target, name string) {
	dir := os.Getenv(dirEnv)
	seed, _ := strconv.ParseUint(os.Getenv(seedEnv), 10, 64)
	work := tg.Child
	if strings.HasSuffix(name, "/control") {
		work = tg.Control
	}
	if work == nil || dir == "" {
		fmt.Fprintln(os.Stderr, "powercut child: nothing to run for", name)
		os.Exit(2)
	}
	fmt.Fprintln(os.Stdout, "powercut start")
	ack := func(tok string) { fmt.Fprintln(os.Stdout, "powercut ack "+tok) }
	if err := work(dir, rand.New(rand.NewPCG(seed, 2)), ack); err != nil {
		fmt.Fprintln(os.Stderr, "powercut child:", err)
		os.Exit(3)
	}
	// Done before the cut: wait for it, so the loop sees no early exit.
	time.Sleep(time.Hour)
	os.Exit(0)
}

// Report logs r and appends it to the file TONGBAN_POWERCUT_REPORT names.
func Report(tb testing.TB, r Result) {
	tb.Helper()
	tb.Log(r.Line())
	path := os.Getenv(reportEnv)
	if path == "" {
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tb.Errorf("power-cut report: %v", err)
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		tb.Errorf("power-cut report: %v", err)
		return
	}
	defer f.Close()
	if _, err := f.WriteString(r.TSV()); err != nil {
		tb.Errorf("power-cut report: %v", err)
	}
}
