package hardware

import "time"

// Backoff bounds the wait between attempts to find a lost device. The
// wait doubles from Min to Max; Max bounds how long a replugged device
// waits to be noticed (unless Manager.Rescan is called on a udev event).
type Backoff struct {
	Min time.Duration // 0 means 100 ms
	Max time.Duration // 0 means 1 s
}

func (b Backoff) withDefaults() Backoff {
	if b.Min <= 0 {
		b.Min = 100 * time.Millisecond
	}
	if b.Max <= 0 {
		b.Max = time.Second
	}
	if b.Max < b.Min {
		b.Max = b.Min
	}
	return b
}

// next returns the wait after attempt n (0-based) failed.
func (b Backoff) next(n int) time.Duration {
	d := b.Min
	for i := 0; i < n && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}
