package cityload

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tongban/tongban/internal/sealed"

	"github.com/jackc/pgx/v5"
	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/kiosk/uplink"
)

const pgEnv = "TONGBAN_PG_DSN"

var (
	flagTerminals = flag.Int("city.terminals", 2000, "simulated terminals")
	flagDuration  = flag.Duration("city.duration", time.Minute, "length of each run")
	flagSpeedup   = flag.Float64("city.speedup", 10, "how much faster than real time the terminals' schedule runs")
	flagMaxReq    = flag.Int64("city.max-requests", 200_000, "stop a run after this many requests")
	flagResets    = flag.Float64("city.reset", 0.05, "fraction of connections reset in the run with a fault")
	flagProfile   = flag.String("city.cpuprofile", "", "write a CPU profile of each run (not of enrolment) to this path and .reset; samples are labelled side=terminal, proxy or backoffice (go tool pprof -tags)")
)

// The explicit settings under test: the back office's pool to
// PostgreSQL and each terminal's HTTP client.
var (
	pgPool = store.Pool{MaxOpen: 16, MaxIdle: 16, MaxLifetime: 30 * time.Minute, MaxIdleTime: 5 * time.Minute}
)

// terminalTransport is one terminal's HTTP client: one request at a time,
// so one kept-alive connection, over mutual TLS.
func terminalClient(id *uplink.Identity) *http.Client {
	return &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig:     id.TLSConfig(nil),
			TLSHandshakeTimeout: 10 * time.Second,
			MaxIdleConns:        1,
			MaxIdleConnsPerHost: 1,
			MaxConnsPerHost:     2,
			IdleConnTimeout:     90 * time.Second,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		},
	}
}

// city is one back office on PostgreSQL over mutual TLS on loopback, and
// its enrolled terminals.
type city struct {
	url       string // the back office itself
	host      string // its host:port
	db        *pgx.Conn
	schema    string
	identites []*uplink.Identity
}

// newCity starts the back office in a fresh schema and enrols n terminals
// through the real enrolment path (token, CSR, certificate).
func newCity(b *testing.B, dsn string, n int) *city {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	dir := b.TempDir()

	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatalf("%s is set but PostgreSQL is not reachable: %v", pgEnv, err)
	}
	schema := fmt.Sprintf("cityload_%d", time.Now().UnixNano())
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		b.Fatal(err)
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	st, err := store.OpenPostgres(ctx, dsn+sep+"search_path="+schema)
	if err != nil {
		b.Fatal(err)
	}
	st.SetPool(pgPool)
	keys, err := backoffice.LoadOrCreateKeys(filepath.Join(dir, "keys"))
	if err != nil {
		b.Fatal(err)
	}
	seal, err := store.LoadOrCreateSealKey(filepath.Join(dir, "keys", backoffice.SealKeyFile))
	if err != nil {
		b.Fatal(err)
	}
	if err := st.SealWith(seal); err != nil {
		b.Fatal(err)
	}
	// The simulated terminals live faster than real ones: no rate limit.
	srv := backoffice.New(st, backoffice.Options{CA: keys.CA, Signer: keys.Signer, HashKey: keys.HashKey, TerminalRate: -1})
	tlsConfig, err := keys.CA.ServerTLSConfig([]string{"127.0.0.1"}, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	served := make(chan error, 1)
	go pprof.Do(ctx, pprof.Labels("side", "backoffice"), func(ctx context.Context) {
		// Every simulated terminal connects from 127.0.0.1: no cap per
		// source address.
		served <- backoffice.ServeWithin(ctx, ln, srv, tlsConfig, nil, backoffice.Limits{HeaderTimeout: backoffice.DefaultLimits.HeaderTimeout})
	})
	b.Cleanup(func() {
		cancel()
		<-served
		st.Close()
		admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close(context.Background())
	})
	c := &city{url: "https://" + ln.Addr().String(), host: ln.Addr().String(), db: admin, schema: schema, identites: make([]*uplink.Identity, n)}

	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, keys.CA.CertPEM, 0o600); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	work := make(chan int)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				id := terminalID(i)
				tok, err := srv.IssueEnrolmentToken(ctx, id, centerOf(i), time.Hour)
				if err == nil {
					c.identites[i], err = uplink.Enrol(ctx, uplink.EnrolOptions{Server: c.url, Token: tok, Dir: filepath.Join(dir, "t", id), CAFile: caFile,
						CAFingerprint: sealed.Fingerprint(keys.CA.Cert.Raw)})
				}
				if err != nil {
					errs <- fmt.Errorf("enrolling %s: %w", id, err)
				}
			}
		}()
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.Logf("enrolled %d terminals over mutual TLS in %.1f s", n, time.Since(start).Seconds())
	return c
}

func terminalID(i int) string { return fmt.Sprintf("SH-%s-%04d", centerOf(i)[:2], i+1) }

// centerOf spreads terminals over 200 centers, 10 each.
func centerOf(i int) string { return fmt.Sprintf("C%03d", i/10) }

// terminals makes one uplink client per identity, talking to base.
func (c *city) terminals(b *testing.B, base string) []*Terminal {
	b.Helper()
	ts := make([]*Terminal, len(c.identites))
	for i, id := range c.identites {
		t, err := NewTerminal(id.Terminal, id.Center, uplink.Config{BaseURL: base, HTTP: terminalClient(id), Version: "cityload", HeartbeatEvery: 30 * time.Second})
		if err != nil {
			b.Fatal(err)
		}
		ts[i] = t
	}
	return ts
}

// held counts the submissions the back office holds, and how many
// (terminal, client ID) pairs are among them more than once.
func (c *city) held(b *testing.B) (rows, duplicated int) {
	b.Helper()
	ctx := context.Background()
	q := fmt.Sprintf("SELECT count(*), count(*) - count(DISTINCT (terminal, client_id)) FROM %s.submissions", c.schema)
	if err := c.db.QueryRow(ctx, q).Scan(&rows, &duplicated); err != nil {
		b.Fatal(err)
	}
	return rows, duplicated
}

// BenchmarkCity runs 2,000 terminals against one back office on
// PostgreSQL, over mutual TLS on loopback, for about a minute each: once
// clean and once with a fraction of the connections reset. It prints a
// table per run (requests per second, p50 and p99 per route) and the load
// average. Run with -benchtime=1x (make bench-city).
func BenchmarkCity(b *testing.B) {
	dsn := os.Getenv(pgEnv)
	if dsn == "" {
		b.Skip("\n  ****************************************************************\n" +
			"  *  BenchmarkCity SKIPPED: TONGBAN_PG_DSN is not set (make bench-city sets it\n" +
			"  *  from scripts/pg-test-db.sh, which needs root and Debian's postgresql)\n" +
			"  ****************************************************************")
	}
	p := DefaultPlan()
	p.Duration, p.Speedup, p.MaxRequests = *flagDuration, *flagSpeedup, *flagMaxReq
	for _, run := range []struct {
		name  string
		reset float64
	}{{"clean", 0}, {"reset", *flagResets}} {
		b.Run(run.name, func(b *testing.B) {
			for range b.N {
				cityRun(b, dsn, p, run.reset)
			}
		})
	}
}

func cityRun(b *testing.B, dsn string, p Plan, reset float64) {
	c := newCity(b, dsn, *flagTerminals)
	// Both runs go through the proxy, so they differ only by the fault.
	// With it, each connection is reset with probability reset within its
	// first 16 KiB (a TLS handshake is about 3 KiB, a heartbeat 1 KiB); a
	// terminal reconnects and its new connection runs the same risk.
	ctx, cancel := context.WithCancel(context.Background())
	proxy, err := NewProxy(ctx, c.host, reset, 16<<10, p.Seed)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cancel(); proxy.Wait() })
	ts := c.terminals(b, "https://"+proxy.Addr)
	rec := NewRecorder()
	load0 := loadAverage()
	cpu0, self0, pg0 := machineCPU(), selfCPU(), commandCPU("postgres")
	if *flagProfile != "" {
		path := *flagProfile
		if reset > 0 {
			path += ".reset"
		}
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			b.Fatal(err)
		}
		defer f.Close()
	}
	b.ResetTimer()
	res, err := Run(context.Background(), p, ts, rec)
	b.StopTimer()
	if *flagProfile != "" {
		pprof.StopCPUProfile()
	}
	cpu, self, pg := machineCPU()-cpu0, selfCPU()-self0, commandCPU("postgres")-pg0
	if err != nil {
		b.Fatal(err)
	}
	for _, t := range ts {
		t.Client.CloseIdleConnections()
	}
	rows := rec.Summary(res.Elapsed)
	title := fmt.Sprintf("city: %d terminals, %.0fx real time, %.0f s, mutual TLS, PostgreSQL pool %d", len(ts), p.Speedup, res.Elapsed.Seconds(), pgPool.MaxOpen)
	if reset > 0 {
		title += fmt.Sprintf("; fault: %.0f%% of connections reset", reset*100)
	}
	var sb strings.Builder
	WriteTable(&sb, title, rows)
	held, dup := c.held(b)
	fmt.Fprintf(&sb, "submitted %d, acknowledged %d, unsent at the end %d, held by the back office %d, duplicated %d\n",
		res.Submitted, res.Acknowledged, res.Unsent, held, dup)
	fmt.Fprintf(&sb, "connections %d, reset %d; failures by cause %v\n", proxy.Accepted(), proxy.Resets(), rec.Causes())
	for c, e := range rec.Samples() {
		fmt.Fprintf(&sb, "  first %s: %s\n", c, e)
	}
	fmt.Fprintf(&sb, "CPU busy %.0f of %.0f core-seconds: this process (terminals, proxy, back office) %.0f, PostgreSQL %.0f, the rest (other helpers) %.0f\n",
		cpu, 2*res.Elapsed.Seconds(), self, pg, cpu-self-pg)
	fmt.Fprintf(&sb, "load average before %s, after %s (2 cores, shared)\n", load0, loadAverage())
	fmt.Print(sb.String())
	for _, f := range res.Faults {
		b.Error("queue:", f)
	}
	if dup != 0 {
		b.Errorf("%d submissions held twice by the back office", dup)
	}
	if held < res.Acknowledged {
		b.Errorf("the back office holds %d submissions but acknowledged %d", held, res.Acknowledged)
	}
	all := rows[len(rows)-1]
	b.ReportMetric(all.PerSec, "req/s")
	b.ReportMetric(float64(all.P99)/1e6, "p99-ms")
	b.ReportMetric(float64(all.Failed), "failed")
}

// selfCPU is the CPU time this process has used, in seconds.
func selfCPU() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// commandCPU is the CPU time, in seconds, of the running processes named
// comm (a backend that ended in between is missed: the pool keeps its
// connections for the run).
func commandCPU(comm string) float64 {
	dirs, _ := os.ReadDir("/proc")
	var total float64
	for _, d := range dirs {
		b, err := os.ReadFile("/proc/" + d.Name() + "/stat")
		if err != nil {
			continue
		}
		open, close := strings.IndexByte(string(b), '('), strings.LastIndexByte(string(b), ')')
		if open < 0 || close < open || string(b[open+1:close]) != comm {
			continue
		}
		f := strings.Fields(string(b[close+1:]))
		if len(f) < 13 {
			continue
		}
		u, _ := strconv.ParseFloat(f[11], 64) // utime, field 14
		k, _ := strconv.ParseFloat(f[12], 64) // stime, field 15
		total += (u + k) / 100
	}
	return total
}

// machineCPU is the busy CPU time of the whole machine since boot, in
// seconds (/proc/stat: everything but idle and iowait).
func machineCPU() float64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	var busy float64
	for i, v := range f[1:] {
		n, _ := strconv.ParseFloat(v, 64)
		if i != 3 && i != 4 && i < 8 { // idle, iowait; guest is inside user
			busy += n
		}
	}
	return busy / 100 // USER_HZ
}

// loadAverage is the 1-, 5- and 15-minute load average, or "?".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
