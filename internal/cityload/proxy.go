package cityload

import (
	"context"
	"math/rand/v2"
	"net"
	"runtime/pprof"
	"sync"
	"sync/atomic"
)

// Proxy forwards TCP connections on loopback to a back office, and resets
// a fraction of them (RST, as a dropped mobile link or a failing load
// balancer does) after a random number of bytes within their first Within
// bytes, both ways counted: mid-handshake, mid-request or mid-response as
// it falls. TLS passes through untouched.
type Proxy struct {
	Addr string // where terminals connect: 127.0.0.1:PORT

	target   string
	fraction float64
	within   int64
	ln       net.Listener
	rndMu    sync.Mutex
	rnd      *rand.Rand
	accepted atomic.Int64
	resets   atomic.Int64
	wg       sync.WaitGroup
}

// NewProxy listens on 127.0.0.1 and forwards to target until ctx ends.
// fraction (0..1) of the connections are reset within their first within
// bytes.
// seed makes the choice of connections and moments repeatable.
func NewProxy(ctx context.Context, target string, fraction float64, within int64, seed uint64) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{Addr: ln.Addr().String(), target: target, fraction: fraction, within: within, ln: ln, rnd: rand.New(rand.NewPCG(seed, seed^0x5eed))}
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
	p.wg.Add(1)
	go pprof.Do(ctx, pprof.Labels("side", "proxy"), p.accept)
	return p, nil
}

// Accepted and Resets count the connections taken and reset so far.
func (p *Proxy) Accepted() int64 { return p.accepted.Load() }
func (p *Proxy) Resets() int64   { return p.resets.Load() }

// Wait returns once every connection has ended (after ctx ended).
func (p *Proxy) Wait() { p.wg.Wait() }

func (p *Proxy) accept(ctx context.Context) {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.accepted.Add(1)
		p.rndMu.Lock()
		reset := p.rnd.Float64() < p.fraction
		after := 1 + p.rnd.Int64N(max(p.within, 1))
		p.rndMu.Unlock()
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.serve(ctx, c, reset, after)
		}()
	}
}

func (p *Proxy) serve(ctx context.Context, client net.Conn, reset bool, after int64) {
	defer client.Close()
	var d net.Dialer
	server, err := d.DialContext(ctx, "tcp", p.target)
	if err != nil {
		abort(client)
		return
	}
	defer server.Close()
	stop := context.AfterFunc(ctx, func() {
		abort(client)
		abort(server)
	})
	defer stop()
	var moved atomic.Int64 // bytes forwarded, both ways
	var once sync.Once
	cut := func() {
		once.Do(func() {
			p.resets.Add(1)
			abort(client)
			abort(server)
		})
	}
	var wg sync.WaitGroup
	pipe := func(dst, src net.Conn) {
		defer wg.Done()
		buf := make([]byte, 16<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				chunk := buf[:n]
				if reset {
					total := moved.Add(int64(n))
					if total >= after {
						// Forward the bytes before the cut, then reset.
						chunk = chunk[:n-int(min(total-after, int64(n)))]
						dst.Write(chunk)
						cut()
						return
					}
				}
				if _, werr := dst.Write(chunk); werr != nil {
					return
				}
			}
			if err != nil {
				if tc, ok := dst.(*net.TCPConn); ok {
					tc.CloseWrite()
				}
				return
			}
		}
	}
	wg.Add(2)
	go pipe(server, client)
	go pipe(client, server)
	wg.Wait()
}

// abort closes c with an RST rather than a FIN.
func abort(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}
