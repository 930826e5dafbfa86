package backoffice

import (
	"sync"
	"time"
)

// Defaults of the per-terminal rate limit: a terminal's steady traffic is
// a heartbeat a minute, a sync now and then and a resident's few look-ups,
// so 5 a second on average with bursts of 30 never slows a working one.
const (
	DefaultTerminalRate  = 5.0
	DefaultTerminalBurst = 30
)

// rateLimiter is a token bucket per terminal.
type rateLimiter struct {
	rate  float64 // tokens a second
	burst float64
	mu    sync.Mutex
	b     map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newRateLimiter(rate float64, burst int) *rateLimiter {
	if rate <= 0 {
		rate = DefaultTerminalRate
	}
	if burst <= 0 {
		burst = DefaultTerminalBurst
	}
	return &rateLimiter{rate: rate, burst: float64(burst), b: map[string]*bucket{}}
}

// allow takes a token of terminal's bucket at now; when there is none it
// says how long until there is.
func (l *rateLimiter) allow(terminal string, now time.Time) (time.Duration, bool) {
	if l == nil {
		return 0, true // no limit
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.b[terminal]
	if b == nil {
		if len(l.b) > 100_000 {
			l.sweep(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.b[terminal] = b
	}
	if d := now.Sub(b.at).Seconds(); d > 0 {
		b.tokens = min(l.burst, b.tokens+d*l.rate)
		b.at = now
	}
	if b.tokens < 1 {
		return time.Duration((1 - b.tokens) / l.rate * float64(time.Second)), false
	}
	b.tokens--
	return 0, true
}

// sweep forgets full buckets: their terminals are as if never seen.
func (l *rateLimiter) sweep(now time.Time) {
	for k, b := range l.b {
		if b.tokens+now.Sub(b.at).Seconds()*l.rate >= l.burst {
			delete(l.b, k)
		}
	}
}
