package backoffice

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
)

// serveLimited runs a back office on loopback within lim and returns its
// address.
func serveLimited(t *testing.T, lim Limits) string {
	t.Helper()
	st, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "bo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := New(st, Options{Limits: lim, InsecureDev: true})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ServeWithin(ctx, ln, srv, nil, nil, lim) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

// cutWithin reports whether the server ends conn (closes it, or answers
// and closes) within d while the client keeps trickling: one byte of
// trickle every 50 ms.
func cutWithin(t *testing.T, conn net.Conn, trickle string, d time.Duration) bool {
	t.Helper()
	closed := make(chan struct{})
	go func() {
		io.Copy(io.Discard, conn)
		close(closed)
	}()
	deadline := time.After(d)
	for i := 0; ; i++ {
		select {
		case <-closed:
			return true
		case <-deadline:
			return false
		case <-time.After(50 * time.Millisecond):
			if trickle != "" {
				conn.Write([]byte{trickle[i%len(trickle)]})
			}
		}
	}
}

func healthy(t *testing.T, addr string) {
	t.Helper()
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatalf("a well-behaved client is not served: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("healthz: %d", resp.StatusCode)
	}
}

// TestSlowClientsCut: a client trickling its headers, or the body of the
// unauthenticated enrolment route, is cut off after the short timeout,
// not held for a minute; a well-behaved client is served before, between
// and after.
func TestSlowClientsCut(t *testing.T) {
	addr := serveLimited(t, Limits{HeaderTimeout: 300 * time.Millisecond, OpenBodyTimeout: 300 * time.Millisecond})
	healthy(t, addr)
	for _, tt := range []struct{ name, start, trickle string }{
		{"slow headers", "POST /v1/enrol HTTP/1.1\r\nHost: x\r\n", "X-Slow: aaaa\r\n"},
		{"slow body", "POST /v1/enrol HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{", "aaaa"},
	} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conn.Write([]byte(tt.start))
		if !cutWithin(t, conn, tt.trickle, 3*time.Second) {
			t.Errorf("%s: the connection is still open after 3 s", tt.name)
		}
		conn.Close()
		healthy(t, addr)
	}
}

// TestConnectionCaps: a source over its cap has its further connections
// closed at once while its first ones keep working; closing one makes
// room again.
func TestConnectionCaps(t *testing.T) {
	addr := serveLimited(t, Limits{PerSource: 2, Total: 10, HeaderTimeout: 5 * time.Second})
	var held []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	extra, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	if !cutWithin(t, extra, "", 2*time.Second) {
		t.Error("a third connection from the same source is kept open")
	}
	// The first two still work.
	held[0].Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
	resp, err := http.ReadResponse(bufio.NewReader(held[0]), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("a held connection: %v %v", resp, err)
	}
	resp.Body.Close()
	for _, c := range held {
		c.Close()
	}
	// Room again (the server notices the closes promptly).
	var ok bool
	for range 50 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(2 * time.Second))
		c.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		c.Close()
		if err == nil && resp.StatusCode == 200 {
			ok = true
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !ok {
		t.Error("no room after the held connections closed")
	}
}

// TestRequestLogHasClientAddress: every request line names the client's
// address, for refused and served requests alike.
func TestRequestLogHasClientAddress(t *testing.T) {
	f := newFixture(t, true)
	f.do("GET", "/healthz", "", nil)
	f.do("GET", "/v1/receipts/x", "", nil) // refused: no terminal
	lines := strings.Split(strings.TrimSpace(f.logs.String()), "\n")
	n := 0
	for _, l := range lines {
		if strings.Contains(l, "msg=request") {
			n++
			if !strings.Contains(l, "addr=192.0.2.1:1234") {
				t.Errorf("request line without the client address: %s", l)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d request lines:\n%s", n, f.logs)
	}
}

// TestTerminalRateLimited: a terminal over its rate is told to slow down
// (429, Retry-After) and recovers as time passes; another terminal is
// not affected.
func TestTerminalRateLimited(t *testing.T) {
	var mu sync.Mutex
	now := testNow
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	st, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "bo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f := &fixture{srv: New(st, Options{Now: clock, InsecureDev: true, TerminalRate: 1, TerminalBurst: 3,
		Logger: slog.New(slog.DiscardHandler)}), st: st}
	for i := range 3 {
		if rec := f.do("GET", "/v1/receipts/SQ1", terminalA, nil); rec.Code != 404 {
			t.Fatalf("request %d: %d", i, rec.Code)
		}
	}
	rec := f.do("GET", "/v1/receipts/SQ1", terminalA, nil)
	if rec.Code != http.StatusTooManyRequests || problemCode(t, rec) != api.CodeTooMany || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("over the rate: %d %s %q", rec.Code, rec.Body, rec.Header().Get("Retry-After"))
	}
	if rec := f.do("GET", "/v1/receipts/SQ1", "SH-PD-0001", nil); rec.Code != 404 {
		t.Errorf("another terminal: %d", rec.Code)
	}
	if rec := f.do("GET", "/v1/receipts/SQ1", terminalA, nil); rec.Code != http.StatusTooManyRequests {
		t.Errorf("still over: %d", rec.Code)
	}
	mu.Lock()
	now = now.Add(1100 * time.Millisecond)
	mu.Unlock()
	if rec := f.do("GET", "/v1/receipts/SQ1", terminalA, nil); rec.Code != 404 {
		t.Errorf("after a second: %d", rec.Code)
	}
}
