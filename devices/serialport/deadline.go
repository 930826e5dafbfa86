package serialport

import (
	"context"
	"io"
	"time"
)

// DeadlineReader is a stream whose reads obey a deadline: a [Conn], a
// net.Conn, an *os.File on a tty or pipe.
type DeadlineReader interface {
	io.Reader
	SetReadDeadline(t time.Time) error
}

// Line is a device's byte line with read deadlines: what the drivers
// (devices/idcard, devices/escpos, devices/scanner) are given.
type Line interface {
	io.Writer
	DeadlineReader
}

// ReadContext reads into p from r in the caller's goroutine, waiting until
// deadline at most (the zero time waits for a byte however long it takes)
// and no longer than ctx lasts: when ctx ends, the read is woken by moving
// r's deadline to the past, and ReadContext returns ctx.Err(). A read that
// sees nothing by the deadline returns an error matching
// os.ErrDeadlineExceeded. It is the drivers' one way of reading a device.
func ReadContext(ctx context.Context, r DeadlineReader, p []byte, deadline time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := r.SetReadDeadline(deadline); err != nil {
		return 0, err
	}
	woken := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		r.SetReadDeadline(time.Unix(1, 0))
		close(woken)
	})
	n, err := r.Read(p)
	if !stop() {
		<-woken // the past deadline is in place before anyone sets another
		if n == 0 {
			return 0, ctx.Err()
		}
	}
	return n, err
}
