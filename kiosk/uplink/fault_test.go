package uplink

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

var faultItems = flag.Int("fault.items", 1000, "submissions sent through the faulty proxy")

// fault is what the proxy does to one request.
type fault string

const (
	faultNone           fault = "pass"
	faultDrop           fault = "drop before server"       // connection closed, request never forwarded
	faultReset          fault = "reset before server"      // TCP RST, never forwarded
	fault5xx            fault = "5xx before server"        // 500/502/503 without forwarding
	faultDelay          fault = "delay"                    // forwarded after a pause
	faultLostAfter      fault = "answer lost after commit" // forwarded, answer replaced by a RST
	faultCutAfter       fault = "answer cut after commit"  // forwarded, half the answer, then closed
	fault5xxAfterCommit fault = "5xx after commit"         // forwarded, answer replaced by a 502
)

var faultMix = []struct {
	f      fault
	weight int
}{
	{faultNone, 30}, {faultDrop, 10}, {faultReset, 10}, {fault5xx, 10}, {faultDelay, 10},
	{faultLostAfter, 15}, {faultCutAfter, 10}, {fault5xxAfterCommit, 5},
}

// faultyProxy sits between terminal and back office and misbehaves.
type faultyProxy struct {
	backend string
	mu      sync.Mutex
	rng     *rand.Rand
	counts  map[fault]int
}

func (p *faultyProxy) pick() fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := p.rng.IntN(100)
	for _, m := range faultMix {
		if n < m.weight {
			p.counts[m.f]++
			return m.f
		}
		n -= m.weight
	}
	panic("weights do not add up to 100")
}

func hijackClose(w http.ResponseWriter, rst bool) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok && rst {
		tc.SetLinger(0)
	}
	conn.Close()
}

func (p *faultyProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f := p.pick()
	switch f {
	case faultDrop:
		hijackClose(w, false)
		return
	case faultReset:
		hijackClose(w, true)
		return
	case fault5xx:
		w.WriteHeader([]int{500, 502, 503}[len(r.Header.Get("Idempotency-Key"))%3])
		io.WriteString(w, "<html>upstream trouble</html>")
		return
	case faultDelay:
		time.Sleep(time.Duration(1+len(r.URL.Path)%3) * time.Millisecond)
	}
	body, _ := io.ReadAll(r.Body)
	req, _ := http.NewRequestWithContext(r.Context(), r.Method, p.backend+r.URL.RequestURI(), bytes.NewReader(body))
	req.Header = r.Header.Clone()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// The back office has committed by now.
	switch f {
	case faultLostAfter:
		hijackClose(w, true)
		return
	case faultCutAfter:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", fmt.Sprint(len(answer)))
		w.WriteHeader(resp.StatusCode)
		w.Write(answer[:len(answer)/2])
		panic(http.ErrAbortHandler) // closes the connection mid-answer
	case fault5xxAfterCommit:
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	w.Write(answer)
}

// TestFaultInjection sends hundreds of submissions through a proxy that
// drops, resets, delays, answers 5xx and loses answers after the back office
// committed. At the end the back office holds each submission exactly once
// and the terminal's queue agrees on every receipt number.
func TestFaultInjection(t *testing.T) {
	bo := startBackOffice(t)
	proxy := &faultyProxy{backend: bo.URL, rng: rand.New(rand.NewPCG(6, 2026)), counts: map[fault]int{}}
	ps := httptest.NewServer(proxy)
	defer ps.Close()
	// The proxy's deliberate aborts are not news.
	ps.Config.ErrorLog = nil

	subs := submissions(*faultItems)
	q := newFakeQueue(subs...)
	q.releaseToBack = true
	clock := &fakeClock{now: t0}
	c := newClient(t, ps.URL, q, clock, func(c *Config) { c.BatchSize = 10 })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	st, err := c.Drain(ctx)
	if err != nil {
		t.Fatalf("drain: %v (stats %+v)", err, st)
	}
	q.checkDrained(t)
	if len(q.quarantined) != 0 {
		t.Errorf("quarantined: %v", q.quarantined)
	}
	counts, err := bo.Store.CountSubmissions(context.Background(), testTerminal)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != len(subs) {
		t.Errorf("back office holds %d submissions, want %d", len(counts), len(subs))
	}
	for id, n := range counts {
		if n != 1 {
			t.Errorf("%s stored %d times", id, n)
		}
	}
	for _, s := range subs {
		official, ok := q.acked[s.ID]
		got, err := bo.Store.SubmissionByReceipt(context.Background(), official)
		if !ok || err != nil || got.ClientID != s.ID {
			t.Errorf("%s: queue says %q, back office says %q (%v)", s.ID, official, got.ClientID, err)
		}
	}
	var report []string
	total := 0
	for f, n := range proxy.counts {
		if f != faultNone {
			total += n
		}
		report = append(report, fmt.Sprintf("%s=%d", f, n))
	}
	sort.Strings(report)
	if st.Duplicates == 0 {
		t.Error("no duplicates came back: the per-item unique key was not exercised")
	}
	if total < len(subs)/20 {
		t.Errorf("only %d faults injected: the test did not test much", total)
	}
	var slept time.Duration
	for _, w := range clock.Waits() {
		slept += w
	}
	t.Logf("%d submissions, %d faults injected (%s); %d sent in batches (%d duplicates seen), backoff waited %v of virtual time",
		len(subs), total, strings.Join(report, ", "), st.Sent, st.Duplicates, slept.Round(time.Second))
}
