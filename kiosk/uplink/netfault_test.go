package uplink

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/internal/faultproxy"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/outbox"
)

var (
	faultsN    = flag.Int("faults.n", 250, "network and server faults injected per store engine by TestNetworkFaults")
	faultsSeed = flag.Uint64("faults.seed", 0, "seed of TestNetworkFaults' faults; 0: from the clock (the seed is printed)")
	// Restores from a backup used to end about half the runs under load
	// with 1 to 23 acknowledged submissions the restored back office did
	// not hold: the check of the held count asked a second heartbeat to
	// confirm a loss, the rate limit refused it (429) and the loss went
	// unbelieved (TestLossFoundThoughTheNextRequestIsRefused). They are on
	// again by default; -faults.restores=false leaves them out.
	faultsRestores = flag.Bool("faults.restores", true, "TestNetworkFaults also restores the SQLite back office from a backup at some restarts")
)

const (
	childDirEnv   = "TONGBAN_FAULTS_CHILD_DIR" // set: TestFaultsChildBackOffice serves from this folder
	childPGEnv    = "TONGBAN_FAULTS_CHILD_PG"  // and on this PostgreSQL DSN instead of SQLite
	faultsReport  = "TONGBAN_FAULTS_REPORT"    // a file each run appends its summary line to
	faultsTimeout = 250 * time.Millisecond     // the terminal's HTTP timeout in these runs
)

// netFaultMix: about half the requests meet a fault.
var netFaultMix = []faultproxy.Weight{
	{Kind: faultproxy.Pass, Weight: 41},
	{Kind: faultproxy.Latency, Weight: 10},
	{Kind: faultproxy.Trickle, Weight: 5},
	{Kind: faultproxy.ResetRequest, Weight: 12},
	{Kind: faultproxy.ResetResponse, Weight: 12},
	{Kind: faultproxy.LostAnswer, Weight: 10},
	{Kind: faultproxy.Kill, Weight: 10},
}

// netQuietMix is the weather between storms: now and then a slow answer.
// Races between answers show when nothing else is wrong: under a storm
// the back office holds many submissions whose answers were lost, which
// hides a terminal that counts too many.
var netQuietMix = []faultproxy.Weight{
	{Kind: faultproxy.Pass, Weight: 95},
	{Kind: faultproxy.Latency, Weight: 5},
}

// TestFaultsChildBackOffice is not a test: it is the back office that
// TestNetworkFaults runs as a child process and kills with SIGKILL. It
// serves on a loopback port it prints, until killed or its stdin closes.
func TestFaultsChildBackOffice(t *testing.T) {
	dir := os.Getenv(childDirEnv)
	if dir == "" {
		t.Skip("the back office of TestNetworkFaults, run only as its child")
	}
	go func() { // the parent went away: stop
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	ctx := context.Background()
	st, err := openFaultStore(ctx, dir, os.Getenv(childPGEnv))
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	fmt.Println("LISTENING", ln.Addr())
	srv := backoffice.New(st, backoffice.Options{InsecureDev: true})
	err = (&http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}).Serve(ln)
	fmt.Println("ERROR", err)
	os.Exit(1)
}

// openFaultStore opens the back office's store in dir (SQLite) or on pg
// (PostgreSQL), sealed with the key kept in dir.
func openFaultStore(ctx context.Context, dir, pg string) (*store.DB, error) {
	key, err := store.LoadOrCreateSealKey(filepath.Join(dir, backoffice.SealKeyFile))
	if err != nil {
		return nil, err
	}
	var st *store.DB
	if pg != "" {
		st, err = store.OpenPostgres(ctx, pg)
	} else {
		st, err = store.OpenSQLite(ctx, filepath.Join(dir, "backoffice.db"))
	}
	if err != nil {
		return nil, err
	}
	if err := st.SealWith(key); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// childBackOffice runs TestFaultsChildBackOffice in a child process.
type childBackOffice struct {
	dir, pg string
	mu      sync.Mutex
	cmd     *exec.Cmd
	stdin   io.Closer
	starts  int

	// SQLite only: at a kill, now and then a backup of the store is taken
	// (backup not ""), or the store restored from it, losing what came
	// since. rng decides, seeded from the run's seed.
	rng      *rand.Rand
	backup   string
	restores int
}

// start runs a new back office on the same store and returns its address.
func (b *childBackOffice) start() (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFaultsChildBackOffice$", "-test.count=1")
	cmd.Env = append(os.Environ(), childDirEnv+"="+b.dir, childPGEnv+"="+b.pg)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return "", err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	lines := bufio.NewScanner(out)
	addr := ""
	for lines.Scan() {
		if a, ok := strings.CutPrefix(lines.Text(), "LISTENING "); ok {
			addr = a
			break
		}
		if strings.HasPrefix(lines.Text(), "ERROR") {
			break
		}
	}
	if addr == "" {
		cmd.Process.Kill()
		cmd.Wait()
		return "", fmt.Errorf("the back office did not start: %s", lines.Text())
	}
	go io.Copy(io.Discard, out)
	b.cmd, b.stdin = cmd, stdin
	b.starts++
	return addr, nil
}

// kill sends SIGKILL and waits for the process to be gone.
func (b *childBackOffice) kill() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cmd == nil {
		return
	}
	b.cmd.Process.Kill()
	b.cmd.Wait()
	b.stdin.Close()
	b.cmd = nil
}

func (b *childBackOffice) restart() (string, error) {
	b.kill()
	if b.rng != nil {
		switch {
		case b.backup != "" && b.rng.IntN(8) == 0:
			if err := copySQLite(b.backup, b.dir); err != nil {
				return "", err
			}
			b.restores++
		case b.rng.IntN(4) == 0:
			if err := copySQLite(b.dir, b.backup); err != nil {
				return "", err
			}
		}
	}
	return b.start()
}

// copySQLite copies the back office's SQLite files (the database and its
// write-ahead log, consistent while no process has them open) from one
// folder to another, replacing what is there.
func copySQLite(from, to string) error {
	old, _ := filepath.Glob(filepath.Join(to, "backoffice.db*"))
	for _, p := range old {
		if err := os.Remove(p); err != nil {
			return err
		}
	}
	files, _ := filepath.Glob(filepath.Join(from, "backoffice.db*"))
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(to, filepath.Base(p)), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// quickClock is the system clock with every wait cut to a hundredth, at
// most 20 ms, so the backoff after a failure does not slow the run.
type quickClock struct{}

func (quickClock) Now() time.Time { return time.Now() }
func (quickClock) AfterFunc(d time.Duration, f func()) kiosk.Timer {
	return time.AfterFunc(min(d/100, 20*time.Millisecond), f)
}

// TestNetworkFaults: the real uplink with the real queue (kiosk/outbox)
// sends to the real back office, run as a child process on SQLite (and on
// PostgreSQL when TONGBAN_PG_DSN is set), through a proxy that injects
// -faults.n faults at random under a printed seed: latency, a trickle, a
// reset mid-request and mid-answer, an answer lost after the back office
// committed, and the back office killed with SIGKILL mid-batch and started
// again on the same database (on SQLite, about one kill in eight restores
// the database from a backup taken at an earlier kill), in storms between
// quiet stretches with only some latency. Submissions arrive while it runs, a third of
// them sent at once as at the end of a visit, the rest by the drain loop;
// heartbeats go out meanwhile, and the terminal's software restarts every
// 60 submissions (a new client on the same queue).
// At the end: the queue drains; nothing valid is quarantined; every
// submission the terminal acknowledged is held once at the back office
// with the official number the terminal recorded; no official number is
// given twice; the terminal did not take the faults for a lost database.
func TestNetworkFaults(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { runNetworkFaults(t, "sqlite", "") })
	t.Run("postgres", func(t *testing.T) {
		dsn := os.Getenv("TONGBAN_PG_DSN")
		if dsn == "" {
			t.Skip("TONGBAN_PG_DSN is not set: the PostgreSQL run is skipped (see scripts/pg-test-db.sh)")
		}
		ctx := context.Background()
		admin, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatalf("TONGBAN_PG_DSN is set but PostgreSQL is not reachable: %v", err)
		}
		schema := fmt.Sprintf("faults_%d", time.Now().UnixNano())
		if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			admin.Close(context.Background())
		})
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		runNetworkFaults(t, "postgres", dsn+sep+"search_path="+schema)
	})
}

func runNetworkFaults(t *testing.T, engine, pg string) {
	seed := *faultsSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (replay with -faults.seed=%d)", seed, seed)
	bo := &childBackOffice{dir: t.TempDir(), pg: pg}
	if pg == "" && *faultsRestores {
		bo.rng, bo.backup = rand.New(rand.NewPCG(seed, 16)), t.TempDir()
	}
	addr, err := bo.start()
	if err != nil {
		t.Fatal(err)
	}
	defer bo.kill()
	proxy, err := faultproxy.Start(addr, faultproxy.Config{Seed: seed, Mix: netFaultMix, Kill: bo.restart, Limit: *faultsN})
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()

	q, _, err := outbox.Open(filepath.Join(t.TempDir(), "queue.db"), outbox.Options{
		Key: bytes.Repeat([]byte{7}, outbox.KeySize), ReserveBytes: -1, Retention: 72 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(*faultsN)*time.Second+2*time.Minute)
	defer cancel()
	// The terminal's software restarts now and then: the old client's
	// requests end with it, and a new client, with nothing remembered,
	// takes the same queue.
	type live struct {
		c      *Client
		ctx    context.Context
		cancel context.CancelFunc
	}
	var (
		clients []*Client
		current atomic.Pointer[live]
	)
	restartClient := func() {
		if old := current.Load(); old != nil {
			old.cancel()
		}
		transport := &http.Transport{}
		t.Cleanup(transport.CloseIdleConnections)
		c := newClient(t, proxy.URL(), q, quickClock{}, func(cfg *Config) {
			cfg.BatchSize = 10
			cfg.HTTP = &http.Client{Timeout: faultsTimeout, Transport: transport}
		})
		clients = append(clients, c)
		cctx, ccancel := context.WithCancel(ctx)
		t.Cleanup(ccancel)
		current.Store(&live{c, cctx, ccancel})
	}
	restartClient()

	var (
		added    atomic.Int64
		sentMu   sync.Mutex
		sentByID = map[string]string{} // what Send returned: id → official
		stop     = make(chan struct{})
		wg       sync.WaitGroup
		failed   atomic.Value
		dups     atomic.Int64 // answers "duplicate": resends of what the back office had
	)
	fail := func(err error) {
		failed.CompareAndSwap(nil, err)
	}
	// Storms of 600 ms, then as long a quiet.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for storm := true; ; storm = !storm {
			mix, d := netFaultMix, 600*time.Millisecond
			if !storm {
				mix = netQuietMix
			}
			if err := proxy.SetMix(mix); err != nil {
				fail(err)
				return
			}
			select {
			case <-stop:
				return
			case <-time.After(d):
			}
		}
	}()
	// The heartbeat, as Run sends it, concurrently with the rest.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			lc := current.Load()
			if _, err := lc.c.Heartbeat(lc.ctx); errors.Is(err, ErrQueue) {
				fail(err)
				return
			}
		}
	}()
	// The drain loop, as Run would drive it.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			lc := current.Load()
			st, err := lc.c.Drain(lc.ctx)
			dups.Add(int64(st.Duplicates))
			if errors.Is(err, ErrQueue) {
				fail(err)
				return
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	// Visits: a submission every few milliseconds until enough faults.
	for i := 0; proxy.Faults() < *faultsN; i++ {
		if ctx.Err() != nil || failed.Load() != nil {
			break
		}
		s := kiosktest.Submission(i, "", "", testTerminal, time.Now())
		s.Center = testCenter
		stored, err := q.Add(ctx, s)
		if err != nil {
			t.Fatalf("enqueue %d: %v", i, err)
		}
		added.Add(1)
		if i%60 == 59 {
			restartClient()
		}
		lc := current.Load()
		if i%3 == 0 {
			official, err := lc.c.Send(lc.ctx, stored)
			if errors.Is(err, ErrQueue) {
				fail(err)
				break
			}
			var refused *RefusedError
			if errors.As(err, &refused) {
				t.Errorf("%s refused: %v", stored.LocalReceipt, err)
			}
			if err == nil {
				sentMu.Lock()
				sentByID[stored.ID] = official
				sentMu.Unlock()
			}
		} else {
			lc.c.Notify()
			time.Sleep(3 * time.Millisecond)
		}
	}
	close(stop)
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		t.Fatalf("seed %d: the queue failed: %v", seed, err)
	}
	if err := proxy.KillErr(); err != nil {
		t.Fatalf("seed %d: restarting the back office: %v", seed, err)
	}
	// The network heals: whatever is left must drain. A restore in the
	// last moments is found, as on a terminal, by the next heartbeat
	// (every minute there): one after the queue is empty, then drain again
	// whatever it put back, until a heartbeat finds nothing to resend.
	proxy.Calm(true)
	c := current.Load().c
	for {
		if _, err := c.Drain(ctx); err != nil {
			t.Fatalf("seed %d: the last drain: %v", seed, err)
		}
		if st, _ := q.Stats(); st.Pending+st.Sending > 0 {
			continue
		}
		if _, err := c.Heartbeat(ctx); err != nil {
			continue
		}
		if st, _ := q.Stats(); st.Pending+st.Sending == 0 {
			break
		}
	}
	// A last crash, then count on the database.
	bo.kill()
	st, err := openFaultStore(context.Background(), bo.dir, pg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := checkFaultRun(t, q, st, sentByID, int(added.Load()))
	for _, c := range clients {
		c.mu.Lock()
		for _, a := range c.alarms {
			if a.Kind == api.AlarmQueueDamaged && bo.restores == 0 {
				r.falseAlarms++
				t.Errorf("alarm raised though nothing was lost: %s", a.Detail)
			}
		}
		c.mu.Unlock()
	}
	line := fmt.Sprintf("netfaults %-8s seed %d: %d faults (%s), %d back-office starts, %d restores from a backup, %d terminal restarts, %d resends answered duplicate; %d submissions, %d acknowledged, %d lost, %d duplicated, %d quarantined, %d wrong numbers, %d false alarms",
		engine, seed, proxy.Faults(), proxy.Summary(), bo.starts, bo.restores, len(clients)-1, dups.Load(), r.submissions, r.acknowledged, r.lost, r.duplicated, r.quarantined, r.wrong, r.falseAlarms)
	t.Log(line)
	if path := os.Getenv(faultsReport); path != "" {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintln(f, line)
			f.Close()
		}
	}
	if proxy.Faults() < *faultsN {
		t.Errorf("only %d of %d faults injected", proxy.Faults(), *faultsN)
	}
	// The faults must have reached what they are meant to test: resends
	// of batches the back office had committed, and restarts.
	if *faultsN >= 100 && (dups.Load() == 0 || bo.starts < 2) {
		t.Errorf("%d duplicates answered, %d back-office starts: the faults did not exercise resends after commit and kills", dups.Load(), bo.starts)
	}
	if t.Failed() {
		t.Logf("replay with -faults.seed=%d", seed)
	}
}

type faultResult struct {
	submissions, acknowledged, lost, duplicated, quarantined, wrong, falseAlarms int
}

// checkFaultRun checks the end state of a run and counts what went wrong.
func checkFaultRun(t *testing.T, q *outbox.Outbox, st *store.DB, sent map[string]string, added int) faultResult {
	t.Helper()
	ctx := context.Background()
	var r faultResult
	r.submissions = added
	stats, err := q.Stats()
	if err != nil {
		t.Fatal(err)
	}
	r.quarantined = stats.Quarantined
	if stats.Pending+stats.Sending != 0 || stats.Quarantined != 0 || stats.Acknowledged != added {
		t.Errorf("queue at the end: %+v; want all %d acknowledged", stats, added)
	}
	counts, err := st.CountSubmissions(ctx, testTerminal)
	if err != nil {
		t.Fatal(err)
	}
	list, err := q.List()
	if err != nil {
		t.Fatal(err)
	}
	numbers := map[string]string{}
	for _, e := range list {
		if e.State != kiosk.StateAcknowledged {
			continue
		}
		r.acknowledged++
		if other, dup := numbers[e.Official]; dup {
			r.wrong++
			t.Errorf("official number %s given to %s and %s", e.Official, other, e.ID)
		}
		numbers[e.Official] = e.ID
		if want, ok := sent[e.ID]; ok && want != e.Official {
			r.wrong++
			t.Errorf("%s: Send returned %s, the queue holds %s", e.LocalReceipt, want, e.Official)
		}
		switch n := counts[e.ID]; {
		case n == 0:
			r.lost++
			t.Errorf("%s acknowledged as %s, not held by the back office", e.LocalReceipt, e.Official)
			continue
		case n > 1:
			r.duplicated++
			t.Errorf("%s held %d times", e.LocalReceipt, n)
		}
		got, err := st.SubmissionByReceipt(ctx, e.Official)
		if err != nil || got.ClientID != e.ID {
			r.wrong++
			t.Errorf("%s: the terminal has %s; the back office has %q under it (%v)", e.LocalReceipt, e.Official, got.ClientID, err)
		}
	}
	if len(counts) != r.acknowledged {
		t.Errorf("the back office holds %d submissions of the terminal, the terminal acknowledged %d", len(counts), r.acknowledged)
	}
	return r
}
