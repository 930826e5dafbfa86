package terminal

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/config"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/simulation"
	"github.com/tongban/tongban/kiosk/staffdesk"
)

// The kill loops run the real kiosk wiring in a child process (this test
// binary again, told what to do by environment variables), walk a
// resident up to 确认签名 and kill the child with SIGKILL at one step of
// the visit, then start it again on the same data folder and check that
// nothing the resident was promised is lost or doubled. The back office
// and the receipt printer's simulator run in this (the parent) process,
// so they outlive the kiosk as a real back office and a real printer do.

var (
	killCycles = flag.Int("kill.cycles", 3, "kill loops: cycles per step of the visit (make crash-long passes more)")
	killSeed   = flag.Uint64("kill.seed", 0, "kill loops: random seed; 0 picks one (printed on failure)")
)

// Environment of the child process.
const (
	envKillMode    = "TONGBAN_KILL_CHILD" // "visit" or "check"
	envKillDir     = "TONGBAN_KILL_DIR"
	envKillOffice  = "TONGBAN_KILL_OFFICE"
	envKillKey     = "TONGBAN_KILL_BUNDLE_KEY"
	envKillPrinter = "TONGBAN_KILL_PRINTER"
	// envKillReport names a file the summary line is appended to (make).
	envKillReport = "TONGBAN_KILL_REPORT"
)

// killStep is a moment of the visit at which the kiosk is killed.
type killStep string

const (
	stepSigned   killStep = "signed"   // just after 确认签名
	stepEnqueue  killStep = "enqueue"  // while the submission is being stored
	stepPrinting killStep = "printing" // while the printer receives the receipt
	stepSync     killStep = "sync"     // while a batch is on its way to the back office
)

var killSteps = []killStep{stepSigned, stepEnqueue, stepPrinting, stepSync}

// childEntry is what the restarted kiosk reports of its queue.
type childEntry struct {
	ID, LocalReceipt, Official string
	State                      kiosk.SubmissionState
}

// childCheck is the restarted kiosk's report: its queue once drained, and
// the number of receipts its staff menu listed as unprinted (then
// reprinted).
type childCheck struct {
	Entries []childEntry
	Listed  int
	Pending int
}

// TestKillChild is the kiosk process of TestKillDuringVisit; run alone it
// skips.
func TestKillChild(t *testing.T) {
	mode := os.Getenv(envKillMode)
	if mode == "" {
		t.Skip("the child process of TestKillDuringVisit")
	}
	e2eWait = 20 * time.Second
	marks := os.NewFile(3, "marks")
	var mu sync.Mutex
	mark := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(marks, format+"\n", args...)
	}
	key, err := bundle.ParsePublicKey(os.Getenv(envKillKey))
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.DefaultConfig()
	cfg.DataDir = os.Getenv(envKillDir)
	cfg.Simulate = true
	cfg.SyncEvery = time.Second
	logFile, err := os.OpenFile(filepath.Join(cfg.DataDir, "kiosk-"+mode+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	st := &simTerminal{cfg: cfg, log: &lockedBuffer{}}
	term, err := New(context.Background(), cfg, Options{
		Logger: slog.New(slog.NewJSONHandler(io.MultiWriter(logFile, st.log), nil)), Version: "test",
		Simulate: func(ctx context.Context, dir string, log *slog.Logger) (Surroundings, error) {
			s, err := simulation.Start(ctx, simulation.Options{Dir: dir, Center: cfg.Center, Logger: log, NoBackOffice: true})
			if err != nil {
				return nil, err
			}
			st.sims = s
			return parentSide{s, os.Getenv(envKillOffice), key, os.Getenv(envKillPrinter)}, nil
		},
		beforeEnqueue: func() { mark("ENQUEUE") },
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	st.Terminal = term
	defer term.Close()
	switch mode {
	case "visit":
		st.visitToSign(t)
		st.session.Signed(smallPNG(t))
		mark("SIGNED")
		v := st.waitState(t, flow.Done)
		mark("DONE %s", v.Receipt.LocalReceipt)
		time.Sleep(time.Minute) // the parent kills it before
	case "check":
		mark("CHECK %s", childReport(t, st))
	default:
		t.Fatalf("unknown child mode %q", mode)
	}
}

// childReport waits for the queue to drain, opens the staff menu, has it
// reprint what it lists, and returns the queue and the count as JSON.
func childReport(t *testing.T, st *simTerminal) string {
	t.Helper()
	var rep childCheck
	deadline := time.Now().Add(15 * time.Second)
	for {
		s, err := st.queue.Stats()
		if err != nil {
			t.Fatal(err)
		}
		rep.Pending = s.Pending + s.Sending
		if rep.Pending == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	s := st.session
	st.waitState(t, flow.Attract)
	s.OpenStaff()
	st.waitState(t, flow.StaffLogin)
	s.StaffCode(staffdesk.SimulatedCode)
	var report *flow.StaffReport
	eventually(t, "staff report", func() (bool, string) {
		report = s.View().StaffReport
		return report != nil, "none yet"
	})
	rep.Listed = report.Unprinted
	if rep.Listed > 0 {
		s.StaffAction("reprint")
		eventually(t, "reprint done", func() (bool, string) {
			v := s.View()
			return !v.Notice.IsZero(), fmt.Sprintf("state %v", v.State)
		})
	}
	entries, err := st.queue.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		rep.Entries = append(rep.Entries, childEntry{e.ID, e.LocalReceipt, e.Official, e.State})
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// parentSide is the child's surroundings: its own simulated ID reader and
// scanner, the parent's printer and back office.
type parentSide struct {
	*simulation.Surroundings
	office  string
	key     bundle.PublicKey
	printer string
}

func (p parentSide) DevicePorts() (reader, printer, scanner string) {
	reader, _, scanner = p.Surroundings.DevicePorts()
	return reader, p.printer, scanner
}

func (p parentSide) BackOffice() (string, []bundle.PublicKey, bool) {
	return p.office, []bundle.PublicKey{p.key}, true
}

// watchedPrinter is the simulated printer with a hook on every read of
// the host's bytes.
type watchedPrinter struct {
	*sim.Printer
	onRead func(n int)
}

func (p watchedPrinter) Serve(ctx context.Context, rw io.ReadWriter) error {
	return p.Printer.Serve(ctx, watchedRW{rw, p.onRead})
}

type watchedRW struct {
	io.ReadWriter
	onRead func(n int)
}

func (w watchedRW) Read(b []byte) (int, error) {
	n, err := w.ReadWriter.Read(b)
	if n > 0 {
		w.onRead(n)
	}
	return n, err
}

// killTally counts what the loops found.
type killTally struct {
	cycles      map[killStep]int
	missed      map[killStep]int // the step's moment never came; killed after the visit
	told        int              // residents shown the done screen
	submissions int              // distinct submissions in the queue at the end
	lost        int
	duplicated  int
	unprinted   int // receipts neither printed whole nor listed for reprint
	listed      int // receipts the staff menu listed (and reprinted)
}

func (k *killTally) String() string {
	var per []string
	for _, s := range killSteps {
		per = append(per, fmt.Sprintf("%s %d", s, k.cycles[s]))
	}
	return fmt.Sprintf("kills: cycles per step (%s), %d missed; %d submissions (%d told accepted), %d lost, %d duplicated, %d unprinted-and-unlisted (%d listed for reprint)",
		strings.Join(per, ", "), sumOf(k.missed), k.submissions, k.told, k.lost, k.duplicated, k.unprinted, k.listed)
}

func sumOf(m map[killStep]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// TestKillDuringVisit kills the kiosk at each step of a visit and checks
// after every restart: each submission once in the queue and once at the
// back office, and its receipt printed or listed for reprint.
func TestKillDuringVisit(t *testing.T) {
	if testing.Short() {
		t.Skip("kill loops: start the kiosk in child processes")
	}
	if os.Getenv(envKillMode) != "" {
		t.Skip("in the child")
	}
	seed := *killSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	root := t.TempDir()
	data := filepath.Join(root, "kiosk")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := config.DefaultConfig()
	// The simulated reader is allow-listed, as in make run: its cards are
	// vouched for and can carry applications.
	office, err := backoffice.ListenLocal(ctx, backoffice.LocalOptions{Dir: filepath.Join(root, "backoffice"), Center: cfg.Center,
		Readers: map[string][]string{cfg.Terminal: {sim.SimSAMID.String()}}})
	if err != nil {
		t.Fatal(err)
	}
	defer office.Wait()
	defer cancel()

	// A proxy before the back office shows when a batch is on its way.
	var onBatch atomic.Pointer[func()]
	target, err := url.Parse(office.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/submissions:batch") {
			if f := onBatch.Load(); f != nil {
				(*f)()
			}
		}
		proxy.ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	defer srv.Close()

	tally := &killTally{cycles: map[killStep]int{}, missed: map[killStep]int{}}
	var papers []paper // what every printer printed
	var toldAccepted []string
	known := map[string]bool{} // IDs seen in the queue
	cycle := 0
	env := func(mode, printer string) []string {
		return append(os.Environ(), envKillMode+"="+mode, envKillDir+"="+data,
			envKillOffice+"=http://"+ln.Addr().String(), envKillKey+"="+office.BundleKey.String(), envKillPrinter+"="+printer)
	}
	for i := 0; i < *killCycles; i++ {
		for _, step := range killSteps {
			cycle++
			tag := fmt.Sprintf("cycle %d (%s, seed %d)", cycle, step, seed)
			delay := func(max time.Duration) time.Duration { return time.Duration(rng.Int64N(int64(max) + 1)) }

			// The visit, killed at the step.
			var killOnce sync.Once
			fired := make(chan struct{})
			started := make(chan struct{}) // child is set
			var missed atomic.Bool         // the step's moment never came
			var child *exec.Cmd
			kill := func(after time.Duration) {
				go killOnce.Do(func() {
					time.Sleep(after)
					<-started
					_ = child.Process.Signal(syscall.SIGKILL)
					close(fired)
				})
			}
			pr, link := servePrinter(t, ctx, root, cycle, "visit", func(n int) {
				// Status requests are 3 bytes; a receipt is kilobytes.
				if step == stepPrinting && n > 16 {
					kill(delay(3 * time.Millisecond))
				}
			})
			batch := func() {
				if step == stepSync {
					kill(delay(20 * time.Millisecond))
				}
			}
			onBatch.Store(&batch)
			child, marks := startChild(t, env("visit", link), filepath.Join(root, fmt.Sprintf("visit-%03d.out", cycle)))
			close(started)
			var done string
		read:
			for {
				select {
				case line, ok := <-marks:
					if !ok {
						break read
					}
					switch {
					case line == "SIGNED" && step == stepSigned:
						kill(delay(time.Millisecond))
					case line == "ENQUEUE" && step == stepEnqueue:
						kill(delay(2 * time.Millisecond))
					case strings.HasPrefix(line, "DONE "):
						done = strings.TrimPrefix(line, "DONE ")
						// Let a late moment (a resend) come, then stop.
						go func() {
							select {
							case <-fired:
							case <-time.After(2 * time.Second):
								killOnce.Do(func() {
									missed.Store(true)
									_ = child.Process.Signal(syscall.SIGKILL)
									close(fired)
								})
							}
						}()
					}
				case <-time.After(30 * time.Second):
					_ = child.Process.Signal(syscall.SIGKILL)
					t.Fatalf("%s: the visit did not end; see %s", tag, root)
				}
			}
			err := child.Wait()
			onBatch.Store(nil)
			if ws, ok := child.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
				t.Fatalf("%s: the kiosk ended by itself (%v), not by the kill; output in %s", tag, err, root)
			}
			tally.cycles[step]++
			if missed.Load() {
				tally.missed[step]++
			}
			if done != "" {
				tally.told++
				toldAccepted = append(toldAccepted, done)
			}
			papers = append(papers, paperOf(pr.Printer))

			// The restart: drain, list, reprint, report.
			pr2, link2 := servePrinter(t, ctx, root, cycle, "check", nil)
			check := runCheck(t, env("check", link2), filepath.Join(root, fmt.Sprintf("check-%03d.out", cycle)), tag)
			papers = append(papers, paperOf(pr2.Printer))
			tally.listed += check.Listed
			if check.Pending > 0 {
				t.Errorf("%s: %d submissions still wait to be sent 15 s after the restart", tag, check.Pending)
			}

			// The checks, over everything so far.
			byReceipt := map[string]int{}
			byID := map[string]int{}
			for _, e := range check.Entries {
				byReceipt[e.LocalReceipt]++
				byID[e.ID]++
			}
			fresh := 0
			for id := range byID {
				if !known[id] {
					fresh++
					known[id] = true
				}
			}
			if fresh > 1 {
				t.Errorf("%s: one visit left %d new submissions in the queue", tag, fresh)
				tally.duplicated += fresh - 1
			}
			if len(byID) < len(known) {
				t.Errorf("%s: the queue lost submissions it held: %d of %d", tag, len(byID), len(known))
			}
			for r, n := range byReceipt {
				if n > 1 {
					t.Errorf("%s: receipt %s is in the queue %d times", tag, r, n)
				}
			}
			for _, r := range toldAccepted {
				if byReceipt[r] == 0 {
					t.Errorf("%s: receipt %s was shown to the resident but is not in the queue", tag, r)
				}
			}
			counts, err := office.Store.CountSubmissions(ctx, cfg.Terminal)
			if err != nil {
				t.Fatal(err)
			}
			for id, n := range counts {
				if byID[id] == 0 {
					t.Errorf("%s: the back office holds %s, which the queue does not", tag, id)
				}
				if n > 1 {
					t.Errorf("%s: the back office holds %s %d times", tag, id, n)
				}
			}
			for _, e := range check.Entries {
				if counts[e.ID] == 0 {
					t.Errorf("%s: %s (state %s) never reached the back office", tag, e.LocalReceipt, e.State)
				}
				if e.State != kiosk.StateAcknowledged || e.Official == "" {
					t.Errorf("%s: %s is %s after the restart, want acknowledged", tag, e.LocalReceipt, e.State)
				}
			}
			if t.Failed() {
				t.Fatalf("%s: stopping; data folder and outputs in %s", tag, root)
			}
		}
	}

	// Every receipt printed whole somewhere: at the visit, or reprinted
	// from the staff menu after the restart.
	counts, err := office.Store.CountSubmissions(ctx, cfg.Terminal)
	if err != nil {
		t.Fatal(err)
	}
	prFinal, linkFinal := servePrinter(t, ctx, root, 0, "final", nil)
	final := runCheck(t, env("check", linkFinal), filepath.Join(root, "final.out"), "final")
	papers = append(papers, paperOf(prFinal.Printer))
	if final.Listed > 0 {
		t.Errorf("the staff menu still lists %d receipts after reprinting them", final.Listed)
	}
	tally.submissions = len(final.Entries)
	var receipts []string
	for _, e := range final.Entries {
		receipts = append(receipts, e.LocalReceipt)
	}
	for _, e := range final.Entries {
		switch n := counts[e.ID]; {
		case n == 0:
			tally.lost++
		case n > 1:
			tally.duplicated += n - 1
		}
		if !printedWhole(papers, receipts, e.LocalReceipt) {
			tally.unprinted++
			t.Errorf("receipt %s was neither printed whole nor listed for reprint", e.LocalReceipt)
		}
	}
	summary := tally.String()
	t.Log(summary)
	if path := os.Getenv(envKillReport); path != "" {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err == nil {
			fmt.Fprintln(f, summary)
			f.Close()
		}
	}
	if tally.lost+tally.duplicated+tally.unprinted > 0 {
		t.Errorf("seed %d: %s", seed, summary)
	}
}

// servePrinter serves a fresh simulated printer for one run of the kiosk;
// onRead (nil: none) sees the size of every read of the host's bytes.
func servePrinter(t *testing.T, ctx context.Context, root string, cycle int, run string, onRead func(n int)) (*watchedPrinter, string) {
	t.Helper()
	p, err := sim.NewPrinter(sim.PrinterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if onRead == nil {
		onRead = func(int) {}
	}
	w := &watchedPrinter{Printer: p, onRead: onRead}
	link, closeFn, err := sim.ServePTYAt(ctx, w, filepath.Join(root, fmt.Sprintf("printer-%03d-%s", cycle, run)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = closeFn() })
	return w, link
}

// paper is what one printer printed: its text and how many cuts.
type paper struct {
	text string
	cuts int
}

func paperOf(p *sim.Printer) paper {
	return paper{strings.Join(p.Lines(), "\n"), p.Stats().Cuts}
}

// printedWhole tells whether receipt was printed and cut on some paper: a
// receipt cut off by the kill does not count. Each receipt ends with a
// cut, so a paper with fewer cuts than receipts holds a torn one.
func printedWhole(papers []paper, receipts []string, receipt string) bool {
	for _, p := range papers {
		if !strings.Contains(p.text, receipt) {
			continue
		}
		on := 0
		for _, r := range receipts {
			if strings.Contains(p.text, r) {
				on++
			}
		}
		if p.cuts >= on {
			return true
		}
	}
	return false
}

// startChild starts this test binary as the kiosk; the returned channel
// carries its marks and closes when it ends.
func startChild(t *testing.T, env []string, out string) (*exec.Cmd, <-chan string) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.v", "-test.count=1")
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = f, f
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	f.Close()
	marks := make(chan string, 16)
	go func() {
		defer close(marks)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			marks <- sc.Text()
		}
		r.Close()
	}()
	return cmd, marks
}

// runCheck starts the kiosk in check mode and returns its report.
func runCheck(t *testing.T, env []string, out, tag string) childCheck {
	t.Helper()
	cmd, marks := startChild(t, env, out)
	var rep childCheck
	got := false
	for line := range marks {
		if s, ok := strings.CutPrefix(line, "CHECK "); ok {
			if err := json.Unmarshal([]byte(s), &rep); err != nil {
				t.Fatalf("%s: the restarted kiosk's report: %v", tag, err)
			}
			got = true
		}
	}
	if err := cmd.Wait(); err != nil || !got {
		b, _ := os.ReadFile(out)
		t.Fatalf("%s: the restarted kiosk failed (%v):\n%s", tag, err, tail(string(b), 3000))
	}
	return rep
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
