package backoffice

import (
	"log/slog"
	"net"
	"sync"
	"time"
)

// Limits bound what one client, and all of them together, may hold of the
// server: connections, and how long a request may take to arrive.
type Limits struct {
	// PerSource is the most connections one source address may hold open;
	// Total the most of all sources together. Connections over either are
	// closed as soon as they are accepted. 0: no limit.
	PerSource, Total int
	// HeaderTimeout bounds how long a request's headers may take to arrive.
	HeaderTimeout time.Duration
	// OpenBodyTimeout bounds how long the body of a request to a route
	// that needs no client identity (enrolment) may take, from the end of
	// its headers: a client trickling a body is cut off. Terminals' own
	// routes have the server's ReadTimeout.
	OpenBodyTimeout time.Duration
}

// DefaultLimits suit a city's fleet behind one back office: a center's
// terminals share a NAT address, hence 64 per source.
var DefaultLimits = Limits{PerSource: 64, Total: 4096, HeaderTimeout: 5 * time.Second, OpenBodyTimeout: 5 * time.Second}

// limitListener closes connections over the per-source and total caps.
type limitListener struct {
	net.Listener
	lim    Limits
	log    *slog.Logger
	mu     sync.Mutex
	total  int
	bySrc  map[string]int
	warned map[string]time.Time
}

func newLimitListener(ln net.Listener, lim Limits, log *slog.Logger) *limitListener {
	return &limitListener{Listener: ln, lim: lim, log: log, bySrc: map[string]int{}, warned: map[string]time.Time{}}
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		src := sourceOf(c.RemoteAddr())
		l.mu.Lock()
		over := (l.lim.PerSource > 0 && l.bySrc[src] >= l.lim.PerSource) || (l.lim.Total > 0 && l.total >= l.lim.Total)
		if !over {
			l.bySrc[src]++
			l.total++
		}
		warn := over && time.Since(l.warned[src]) > time.Minute
		if warn {
			l.warned[src] = time.Now()
		}
		l.mu.Unlock()
		if over {
			if warn {
				l.log.Warn("connection refused: too many open", "addr", src, "per_source", l.lim.PerSource, "total", l.lim.Total)
			}
			c.Close()
			continue
		}
		return &limitedConn{Conn: c, release: func() { l.release(src) }}, nil
	}
}

func (l *limitListener) release(src string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total--
	if l.bySrc[src]--; l.bySrc[src] <= 0 {
		delete(l.bySrc, src)
	}
}

// sourceOf is the host part of a remote address.
func sourceOf(a net.Addr) string {
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
