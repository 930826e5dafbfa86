// Package cupstest starts a private CUPS scheduler for tests: its own
// configuration, spool and log folders under the test's temporary
// folder, listening on a free loopback port, never the machine's own
// scheduler or queues. Its queues print to a test backend that writes
// each job's document to a folder, so a test can read what was printed,
// and that can be told to run out of paper, as a real printer's backend
// reports it to CUPS (STATE: +media-empty-error) while it waits for
// paper.
//
// CUPS must run as root (it is here). Without cupsd a test skips, unless
// TONGBAN_REQUIRE_CUPS is set, when it fails.
package cupstest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Server is a running private scheduler.
type Server struct {
	URL  string // http://127.0.0.1:port
	Host string // 127.0.0.1:port, for lpadmin -h and friends
	dir  string
}

// Queue is a queue of a Server with the test backend behind it.
type Queue struct {
	Name string
	Out  string // where the backend writes job-<id>.pdf
	srv  *Server
}

// cupsd finds the scheduler, or "".
func cupsd() string {
	for _, p := range []string{"/usr/sbin/cupsd", "/sbin/cupsd"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	p, _ := exec.LookPath("cupsd")
	return p
}

// Require skips the test when CUPS or its tools are missing, or fails it
// when TONGBAN_REQUIRE_CUPS is set.
func Require(tb testing.TB, tools ...string) {
	tb.Helper()
	missing := []string{}
	if cupsd() == "" {
		missing = append(missing, "cupsd")
	}
	for _, tool := range append([]string{"lpadmin", "cupsdisable", "cupsenable"}, tools...) {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if os.Geteuid() != 0 {
		missing = append(missing, "root (cupsd runs its backends as root)")
	}
	if len(missing) == 0 {
		return
	}
	msg := fmt.Sprintf("CUPS test needs %s (make deps installs cups, cups-client, poppler-utils)", strings.Join(missing, ", "))
	if os.Getenv("TONGBAN_REQUIRE_CUPS") != "" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
}

const backend = `#!/bin/sh
# Tongban test backend: writes each job's document to the folder in its
# device URI, tongban-test:/folder. A file "paper-out" in that folder makes
# it report paper out to CUPS and wait until the file is gone; a file
# "slow" holding a number of seconds makes it wait that long first.
if [ $# -eq 0 ]; then
	echo 'direct tongban-test "Unknown" "Tongban test backend"'
	exit 0
fi
dir=${DEVICE_URI#tongban-test:}
# Like a real printer's backend, say the printer's state when starting:
# what an earlier, killed job reported may be long gone.
if [ ! -e "$dir/paper-out" ]; then echo "STATE: -media-empty-error" >&2; fi
if [ -f "$dir/slow" ]; then sleep "$(cat "$dir/slow")"; fi
waited=0
while [ -e "$dir/paper-out" ]; do
	if [ $waited = 0 ]; then
		echo "STATE: +media-empty-error" >&2
		echo "INFO: out of paper" >&2
		waited=1
	fi
	sleep 0.1
done
if [ $waited = 1 ]; then echo "STATE: -media-empty-error" >&2; fi
if [ -n "$6" ]; then cat "$6"; else cat; fi > "$dir/job-$1.tmp" || exit 1
mv "$dir/job-$1.tmp" "$dir/job-$1.pdf"
exit 0
`

// Start starts a scheduler for the test and stops it when the test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	Require(tb)
	dir, err := os.MkdirTemp("", "tongban-cups-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	// The scheduler's helpers run as lp: they must reach the folders.
	if err := os.Chmod(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	for _, d := range []string{"conf", "bin", "bin/backend", "spool", "spool/tmp", "cache", "state", "log", "out"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	// ServerBin: the system's filters and helpers, with only our backend.
	for _, d := range []string{"filter", "daemon", "cgi-bin", "notifier", "monitor", "driver"} {
		if _, err := os.Stat(filepath.Join("/usr/lib/cups", d)); err == nil {
			os.Symlink(filepath.Join("/usr/lib/cups", d), filepath.Join(dir, "bin", d))
		}
	}
	// Mode 0700, owned by root: CUPS runs such a backend as root.
	if err := os.WriteFile(filepath.Join(dir, "bin/backend/tongban-test"), []byte(backend), 0o700); err != nil {
		tb.Fatal(err)
	}
	port := freePort(tb)
	host := "127.0.0.1:" + strconv.Itoa(port)
	files := fmt.Sprintf(`ServerRoot %[1]s/conf
ServerBin %[1]s/bin
RequestRoot %[1]s/spool
TempDir %[1]s/spool/tmp
CacheDir %[1]s/cache
StateDir %[1]s/state
AccessLog %[1]s/log/access_log
ErrorLog %[1]s/log/error_log
PageLog %[1]s/log/page_log
User lp
Group lp
SystemGroup root
FileDevice No
`, dir)
	conf := fmt.Sprintf(`Listen %s
LogLevel warn
Browsing No
WebInterface No
DefaultAuthType None
PreserveJobHistory Yes
PreserveJobFiles No
JobRetryInterval 1
MaxJobs 0
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
`, host)
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, "conf", name), []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	write("cups-files.conf", files)
	write("cupsd.conf", conf)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, cupsd(), "-f", "-c", filepath.Join(dir, "conf/cupsd.conf"), "-s", filepath.Join(dir, "conf/cups-files.conf"))
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin"}
	// Stop it as an administrator would (SIGTERM): cupsd then stops its
	// backends; SIGKILL only if it has not gone within 5 s.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		cancel()
		tb.Fatalf("starting cupsd: %v", err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	tb.Cleanup(func() {
		cancel()
		<-done
	})
	s := &Server{URL: "http://" + host, Host: host, dir: dir}
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", host, 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-done:
			log, _ := os.ReadFile(filepath.Join(dir, "log/error_log"))
			tb.Fatalf("cupsd exited: %s\n%s", stderr.String(), log)
		default:
		}
		if time.Now().After(deadline) {
			tb.Fatalf("cupsd did not listen on %s within 15 s: %s", host, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s
}

// AddQueue adds an enabled, accepting raw queue printing to the test
// backend; documents reach the backend unchanged.
func (s *Server) AddQueue(tb testing.TB, name string) *Queue {
	tb.Helper()
	out := filepath.Join(s.dir, "out", name)
	if err := os.MkdirAll(out, 0o755); err != nil {
		tb.Fatal(err)
	}
	s.Run(tb, "lpadmin", "-p", name, "-v", "tongban-test:"+out, "-E")
	s.Run(tb, "cupsenable", name)
	s.Run(tb, "cupsaccept", name)
	return &Queue{Name: name, Out: out, srv: s}
}

// Run runs a CUPS command-line tool against the server.
func (s *Server) Run(tb testing.TB, tool string, args ...string) string {
	tb.Helper()
	cmd := exec.Command(tool, append([]string{"-h", s.Host}, args...)...)
	cmd.Env = append(os.Environ(), "CUPS_SERVER="+s.Host)
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// ErrorLog returns the scheduler's error log, for a failing test.
func (s *Server) ErrorLog() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "log/error_log"))
	return string(b)
}

// PaperOut makes the queue's printer run out of paper (true) or get it
// back (false). A job printing meanwhile waits, as on a real printer.
func (q *Queue) PaperOut(tb testing.TB, out bool) {
	tb.Helper()
	p := filepath.Join(q.Out, "paper-out")
	if out {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
		tb.Fatal(err)
	}
}

// Slow makes the backend wait d before printing each job (0: no wait).
func (q *Queue) Slow(tb testing.TB, d time.Duration) {
	tb.Helper()
	p := filepath.Join(q.Out, "slow")
	if d <= 0 {
		os.Remove(p)
		return
	}
	if err := os.WriteFile(p, []byte(strconv.FormatFloat(d.Seconds(), 'f', 2, 64)), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// Disable stops the queue (cupsdisable), as CUPS does when a printer
// fails, with reason as the state message.
func (q *Queue) Disable(tb testing.TB, reason string) {
	tb.Helper()
	q.srv.Run(tb, "cupsdisable", "-r", reason, q.Name)
}

// Enable starts the queue again (cupsenable).
func (q *Queue) Enable(tb testing.TB) {
	tb.Helper()
	q.srv.Run(tb, "cupsenable", q.Name)
}

// CancelJob cancels a job from outside the terminal, as staff at the
// printer would (cancel).
func (q *Queue) CancelJob(tb testing.TB, job int) {
	tb.Helper()
	q.srv.Run(tb, "cancel", q.Name+"-"+strconv.Itoa(job))
}

// Printed returns what the backend received for a job, or nil if it has
// not printed.
func (q *Queue) Printed(job int) []byte {
	b, err := os.ReadFile(filepath.Join(q.Out, "job-"+strconv.Itoa(job)+".pdf"))
	if err != nil {
		return nil
	}
	return b
}

// Text returns a printed job's text through pdftotext.
func (q *Queue) Text(tb testing.TB, job int) string {
	tb.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		Require(tb, "pdftotext")
	}
	p := filepath.Join(q.Out, "job-"+strconv.Itoa(job)+".pdf")
	out, err := exec.Command("pdftotext", "-layout", p, "-").CombinedOutput()
	if err != nil {
		tb.Fatalf("pdftotext %s: %v\n%s", p, err, out)
	}
	return string(out)
}

func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
