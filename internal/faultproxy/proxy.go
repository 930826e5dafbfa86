package faultproxy

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Kind is one fault the proxy injects into one request.
type Kind string

const (
	Pass Kind = "pass" // forwarded untouched; not a fault
	// Latency holds the request and then the answer for 5–400 ms each.
	Latency Kind = "latency"
	// Trickle passes the request, or the server's answer, at 2–20 bytes a
	// second: the client gives up first.
	Trickle Kind = "trickle"
	// ResetRequest forwards part of the request, then resets both sides.
	ResetRequest Kind = "reset-request"
	// ResetResponse forwards the request, lets the server answer, and
	// resets the client after part of the answer.
	ResetResponse Kind = "reset-response"
	// LostAnswer forwards the request, lets the server commit and answer,
	// and withholds the answer until the client gives up.
	LostAnswer Kind = "lost-answer"
	// Kill forwards part or all of the request and then calls Config.Kill,
	// which kills the server and starts it again.
	Kill Kind = "kill"
)

// Weight is how often a kind is drawn, relative to the others.
type Weight struct {
	Kind   Kind
	Weight int
}

// Config configures Start.
type Config struct {
	Seed uint64
	Mix  []Weight // drawn per request; must contain at least one positive weight
	// Kill kills the server hard and starts it again, returning its new
	// address (host:port). Nil: Kill is never drawn.
	Kill func() (string, error)
	// Limit, when positive, is the number of faults after which the proxy
	// turns calm by itself (see Calm).
	Limit int
	// Log, when set, is told each fault drawn (kind and request line).
	Log func(format string, args ...any)
}

// Proxy is a running fault proxy.
type Proxy struct {
	ln  net.Listener
	cfg Config

	mu      sync.Mutex
	rng     *rand.Rand
	backend string
	calm    bool
	counts  map[Kind]int
	conns   map[net.Conn]bool
	closed  bool
	killMu  sync.Mutex
	killErr error

	wg sync.WaitGroup
}

// Start listens on 127.0.0.1 and forwards to backend (host:port).
func Start(backend string, cfg Config) (*Proxy, error) {
	total := 0
	for _, w := range cfg.Mix {
		if w.Weight < 0 {
			return nil, fmt.Errorf("faultproxy: negative weight for %s", w.Kind)
		}
		if w.Kind == Kill && cfg.Kill == nil {
			continue
		}
		total += w.Weight
	}
	if total == 0 {
		return nil, errors.New("faultproxy: no kind of fault has a weight")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{ln: ln, cfg: cfg, backend: backend, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		counts: map[Kind]int{}, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// URL is http://ADDR of the proxy.
func (p *Proxy) URL() string { return "http://" + p.ln.Addr().String() }

// Calm stops injecting faults (calm true) or starts again.
func (p *Proxy) Calm(calm bool) {
	p.mu.Lock()
	p.calm = calm
	p.mu.Unlock()
}

// SetMix draws from mix from now on (a calm stretch with a little latency
// between storms, say). Kill is drawn only when Config.Kill is set.
func (p *Proxy) SetMix(mix []Weight) error {
	total := 0
	for _, w := range mix {
		if w.Weight < 0 {
			return fmt.Errorf("faultproxy: negative weight for %s", w.Kind)
		}
		if w.Kind != Kill || p.cfg.Kill != nil {
			total += w.Weight
		}
	}
	if total == 0 {
		return errors.New("faultproxy: no kind of fault has a weight")
	}
	p.mu.Lock()
	p.cfg.Mix = mix
	p.mu.Unlock()
	return nil
}

// Counts returns how many faults of each kind were drawn (Pass excluded).
func (p *Proxy) Counts() map[Kind]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[Kind]int, len(p.counts))
	for k, n := range p.counts {
		out[k] = n
	}
	return out
}

// Faults is the number of faults drawn so far.
func (p *Proxy) Faults() int {
	n := 0
	for _, c := range p.Counts() {
		n += c
	}
	return n
}

// Summary is the counts as "kind=n" in name order.
func (p *Proxy) Summary() string {
	counts := p.Counts()
	var parts []string
	for k, n := range counts {
		parts = append(parts, fmt.Sprintf("%s=%d", k, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// KillErr is the first error Config.Kill returned, if any.
func (p *Proxy) KillErr() error {
	p.killMu.Lock()
	defer p.killMu.Unlock()
	return p.killErr
}

// Close stops the proxy and closes every connection it holds.
func (p *Proxy) Close() error {
	err := p.ln.Close()
	p.mu.Lock()
	p.closed = true
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.Close()
		return false
	}
	p.conns[c] = true
	return true
}

func (p *Proxy) untrack(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
	c.Close()
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if !p.track(c) {
			continue
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer p.untrack(c)
			p.serve(c)
		}()
	}
}

// plan is the fault drawn for one request, with its parameters.
type plan struct {
	kind     Kind
	frac     float64       // where in the message a reset or kill falls
	delay    time.Duration // latency; pause before a kill
	rate     int           // trickle, bytes per second
	response bool          // trickle the answer rather than the request
}

func (p *Proxy) draw() plan {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.calm {
		return plan{kind: Pass}
	}
	if p.cfg.Limit > 0 {
		n := 0
		for _, c := range p.counts {
			n += c
		}
		if n >= p.cfg.Limit {
			return plan{kind: Pass}
		}
	}
	total := 0
	for _, w := range p.cfg.Mix {
		if w.Kind == Kill && p.cfg.Kill == nil {
			continue
		}
		total += w.Weight
	}
	n := p.rng.IntN(total)
	pl := plan{kind: Pass}
	for _, w := range p.cfg.Mix {
		if w.Kind == Kill && p.cfg.Kill == nil {
			continue
		}
		if n < w.Weight {
			pl.kind = w.Kind
			break
		}
		n -= w.Weight
	}
	// Every parameter is drawn whatever the kind, so the sequence of draws
	// does not depend on the kind.
	pl.frac = p.rng.Float64()
	pl.delay = time.Duration(5+p.rng.IntN(396)) * time.Millisecond
	pl.rate = 2 + p.rng.IntN(19)
	pl.response = p.rng.IntN(2) == 0
	if pl.kind != Pass {
		p.counts[pl.kind]++
	}
	return pl
}

// tap records what is read through it, so a message can be forwarded as
// the exact bytes that came.
type tap struct {
	r   io.Reader
	buf []byte
}

func (t *tap) Read(b []byte) (int, error) {
	n, err := t.r.Read(b)
	t.buf = append(t.buf, b[:n]...)
	return n, err
}

// take returns the bytes of the message just parsed through br and keeps
// what br read ahead for the next one.
func (t *tap) take(br *bufio.Reader) []byte {
	used := len(t.buf) - br.Buffered()
	msg := slices.Clone(t.buf[:used])
	t.buf = slices.Clone(t.buf[used:])
	return msg
}

func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}

func (p *Proxy) currentBackend() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.backend
}

// serve handles one client connection, one request at a time.
func (p *Proxy) serve(client net.Conn) {
	ct := &tap{r: client}
	cr := bufio.NewReader(ct)
	var server net.Conn
	var sr *bufio.Reader
	var st *tap
	defer func() {
		if server != nil {
			p.untrack(server)
		}
	}()
	for {
		req, err := http.ReadRequest(cr)
		if err != nil {
			return
		}
		_, err = io.Copy(io.Discard, req.Body)
		req.Body.Close()
		if err != nil {
			return
		}
		msg := ct.take(cr)
		if server == nil {
			server, err = net.Dial("tcp", p.currentBackend())
			if err != nil || !p.track(server) {
				// The server is down (being restarted): the client sees
				// a closed connection, and no fault is drawn.
				server = nil
				reset(client)
				return
			}
			st = &tap{r: server}
			sr = bufio.NewReader(st)
		}
		pl := p.draw()
		if pl.kind != Pass && p.cfg.Log != nil {
			p.cfg.Log("faultproxy: %s on %s %s (%d bytes)", pl.kind, req.Method, req.URL.Path, len(msg))
		}
		if !p.exchange(pl, req, msg, client, server, st, sr) {
			return
		}
	}
}

// exchange forwards one request and its answer under plan pl. It reports
// whether the connection can carry another request.
func (p *Proxy) exchange(pl plan, req *http.Request, msg []byte, client, server net.Conn, st *tap, sr *bufio.Reader) bool {
	cut := func(b []byte) int { return max(1, min(len(b)-1, int(pl.frac*float64(len(b))))) }
	switch pl.kind {
	case ResetRequest:
		server.Write(msg[:cut(msg)])
		reset(server)
		reset(client)
		return false
	case Kill:
		n := len(msg)
		if pl.frac < 0.5 {
			n = cut(msg) // mid-request; otherwise whole, the server at work
		}
		server.Write(msg[:n])
		time.Sleep(pl.delay / 20)
		p.kill()
		reset(client)
		return false
	case Latency:
		time.Sleep(pl.delay)
	case Trickle:
		if !pl.response {
			p.trickle(client, server, msg, pl.rate)
			reset(server)
			reset(client)
			return false
		}
	}
	if _, err := server.Write(msg); err != nil {
		return false
	}
	resp, err := http.ReadResponse(sr, req)
	if err != nil {
		return false
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return false
	}
	answer := st.take(sr)
	// The server has answered: whatever it commits, it has committed.
	switch pl.kind {
	case ResetResponse:
		client.Write(answer[:cut(answer)])
		reset(client)
		return false
	case LostAnswer:
		waitClosed(client, 30*time.Second)
		reset(client)
		return false
	case Trickle:
		p.trickle(client, client, answer, pl.rate)
		reset(client)
		return false
	case Latency:
		time.Sleep(pl.delay)
	}
	if _, err := client.Write(answer); err != nil {
		return false
	}
	return !resp.Close
}

// trickle writes msg to dst (the server or the client) at rate bytes a
// second until it is written or the client gives up and closes.
func (p *Proxy) trickle(client, dst net.Conn, msg []byte, rate int) {
	gone := make(chan struct{})
	go func() {
		waitClosed(client, 30*time.Second)
		close(gone)
	}()
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	for _, b := range msg {
		select {
		case <-gone:
			return
		case <-tick.C:
		}
		if _, err := dst.Write([]byte{b}); err != nil {
			return
		}
	}
	<-gone
}

// waitClosed waits until c is closed by its peer, or for at most d.
func waitClosed(c net.Conn, d time.Duration) {
	c.SetReadDeadline(time.Now().Add(d))
	io.Copy(io.Discard, c)
}

func (p *Proxy) kill() {
	p.killMu.Lock()
	defer p.killMu.Unlock()
	addr, err := p.cfg.Kill()
	if err != nil {
		if p.killErr == nil {
			p.killErr = err
		}
		return
	}
	p.mu.Lock()
	p.backend = addr
	p.mu.Unlock()
}
