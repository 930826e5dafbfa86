package uplink

import "time"

// Backoff computes full-jitter exponential delays:
// rand(0, min(Cap, Base·2^(attempt-1))).
type Backoff struct {
	Base, Cap time.Duration
	Rand      func() float64 // in [0, 1)
}

// DefaultBackoff is 1 s doubling to a 5 min cap.
func DefaultBackoff(rand func() float64) Backoff {
	return Backoff{Base: time.Second, Cap: 5 * time.Minute, Rand: rand}
}

// Delay returns the wait before retry number attempt (1 for the first retry).
func (b Backoff) Delay(attempt int) time.Duration {
	return time.Duration(b.Rand() * float64(b.Ceiling(attempt)))
}

// Ceiling is the largest delay for attempt: min(Cap, Base·2^(attempt-1)).
func (b Backoff) Ceiling(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := b.Base
	for i := 1; i < attempt && d < b.Cap; i++ {
		d *= 2
	}
	return min(d, b.Cap)
}
