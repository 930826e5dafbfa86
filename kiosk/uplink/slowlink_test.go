package uplink

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// slowProxy is a TCP proxy on loopback that passes bytes both ways at a
// fixed rate, like a weak mobile link.
type slowProxy struct {
	ln      net.Listener
	backend string
	rate    int // bytes per second, each direction
	wg      sync.WaitGroup
	mu      sync.Mutex
	conns   []net.Conn
}

func startSlowProxy(t testing.TB, backend string, rate int) *slowProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &slowProxy{ln: ln, backend: backend, rate: rate}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		for _, c := range p.conns {
			c.Close()
		}
		p.mu.Unlock()
		p.wg.Wait()
	})
	return p
}

func (p *slowProxy) URL() string { return "http://" + p.ln.Addr().String() }

func (p *slowProxy) serve() {
	defer p.wg.Done()
	for {
		in, err := p.ln.Accept()
		if err != nil {
			return
		}
		out, err := net.Dial("tcp", p.backend)
		if err != nil {
			in.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, in, out)
		p.mu.Unlock()
		p.wg.Add(2)
		go p.pipe(out, in)
		go p.pipe(in, out)
	}
}

// pipe copies src to dst in small chunks, sleeping so that the rate holds.
func (p *slowProxy) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	defer dst.Close()
	defer src.Close()
	chunk := max(1, p.rate/20)
	buf := make([]byte, chunk)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			time.Sleep(time.Duration(n) * time.Second / time.Duration(p.rate))
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// TestSlowLinkSplitsTimedOutBatches: at 80 KB/s a batch of 10 submissions
// with their signatures takes longer than the client's timeout. A batch
// that times out used to be resent at the same size for ever (none
// acknowledged); now it is halved like a 413 until batches fit, and every
// submission is acknowledged once with its official number.
func TestSlowLinkSplitsTimedOutBatches(t *testing.T) {
	bo := startBackOffice(t)
	backend := bo.URL[len("http://"):]
	proxy := startSlowProxy(t, backend, 80<<10)

	subs := submissions(20)
	for i := range subs {
		// A signature image of about 8 KB: 11 KB per item on the wire
		// (base64), so 10 items take 1.4 s at 80 KB/s, over the 0.5 s timeout.
		subs[i].Signature = bytes.Repeat([]byte{byte(i), 0x89, 'P', 'N', 'G'}, 1600)
	}
	q := newFakeQueue(subs...)
	c := newClient(t, proxy.URL(), q, &fakeClock{now: t0}, func(cfg *Config) {
		cfg.BatchSize = 10
		cfg.HTTP = &http.Client{Timeout: 500 * time.Millisecond}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	st, err := c.Drain(ctx)
	if err != nil {
		t.Fatalf("drain over the slow link: %v (acknowledged %d of %d)", err, len(q.acked), len(subs))
	}
	if len(q.acked) != len(subs) || st.Quarantined != 0 {
		t.Fatalf("acknowledged %d of %d, quarantined %d", len(q.acked), len(subs), st.Quarantined)
	}
	q.checkDrained(t)
	seen := map[string]bool{}
	for _, s := range subs {
		got, err := bo.Store.SubmissionByReceipt(context.Background(), s.LocalReceipt)
		if err != nil || got.OfficialReceipt != q.acked[s.ID] {
			t.Fatalf("%s: queue has %q, server %q (%v)", s.ID, q.acked[s.ID], got.OfficialReceipt, err)
		}
		if seen[got.OfficialReceipt] {
			t.Fatalf("official number %s given twice", got.OfficialReceipt)
		}
		seen[got.OfficialReceipt] = true
	}
	c.mu.Lock()
	size := c.batchSize
	c.mu.Unlock()
	t.Logf("acknowledged %d of %d over 80 KB/s; batch size now %d", len(q.acked), len(subs), size)
	if size >= 10 {
		t.Errorf("batch size stayed at %d after timeouts", size)
	}
}
