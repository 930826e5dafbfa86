package idcard

import (
	"context"
	"errors"
	"io"
	"os"
	"sync"
	"time"
)

// timedReader reads with a deadline and gives up when ctx ends.
type timedReader interface {
	// readBefore reads into p; it returns ErrTimeout when nothing arrived
	// by deadline and ctx.Err() when ctx ended first.
	readBefore(ctx context.Context, p []byte, deadline time.Time) (int, error)
}

// ReadDeadliner is a stream with read deadlines: net.Conn, *os.File on a
// pollable descriptor.
type ReadDeadliner interface {
	SetReadDeadline(t time.Time) error
}

// ReadTimeouter is a stream with a read timeout, like a go.bug.st/serial
// Port, whose Read returns (0, nil) when the timeout passes.
type ReadTimeouter interface {
	SetReadTimeout(d time.Duration) error
}

// newTimedReader picks the way to read r with deadlines.
func newTimedReader(r io.Reader) timedReader {
	if d, ok := r.(ReadDeadliner); ok && d.SetReadDeadline(time.Time{}) == nil {
		return &deadlineReader{r: r, d: d}
	}
	if t, ok := r.(ReadTimeouter); ok {
		return &timeoutReader{r: r, t: t}
	}
	return &pumpReader{r: r}
}

// deadlineReader sets a deadline on the stream before each read.
type deadlineReader struct {
	r io.Reader
	d ReadDeadliner
}

func (dr *deadlineReader) readBefore(ctx context.Context, p []byte, deadline time.Time) (int, error) {
	if err := dr.d.SetReadDeadline(deadline); err != nil {
		return 0, err
	}
	// Wake the read when ctx ends by moving the deadline to the past.
	stop := context.AfterFunc(ctx, func() { dr.d.SetReadDeadline(time.Unix(1, 0)) })
	n, err := dr.r.Read(p)
	if !stop() && n == 0 {
		return 0, ctx.Err()
	}
	if n == 0 && isTimeout(err) {
		return 0, ErrTimeout
	}
	return n, err
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &t) && t.Timeout())
}

// timeoutReader sets the port's read timeout to what is left, in short
// slices so that ctx is honoured.
type timeoutReader struct {
	r io.Reader
	t ReadTimeouter
}

const timeoutSlice = 50 * time.Millisecond

func (tr *timeoutReader) readBefore(ctx context.Context, p []byte, deadline time.Time) (int, error) {
	for {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return 0, ErrTimeout
		}
		if err := tr.t.SetReadTimeout(max(min(left, timeoutSlice), time.Millisecond)); err != nil {
			return 0, err
		}
		n, err := tr.r.Read(p)
		if n > 0 || (err != nil && err != io.EOF) {
			return n, err
		}
		if err == io.EOF {
			return 0, io.EOF
		}
	}
}

// pumpReader reads a stream without deadlines in one background goroutine
// and hands the chunks over, so a silent device cannot block the caller.
// The goroutine ends when the stream fails or is closed.
type pumpReader struct {
	r       io.Reader
	once    sync.Once
	chunks  chan []byte
	failed  chan struct{}
	err     error // set before failed is closed
	pending []byte
}

func (pr *pumpReader) start() {
	pr.chunks = make(chan []byte, 16)
	pr.failed = make(chan struct{})
	go func() {
		for {
			buf := make([]byte, 2048)
			n, err := pr.r.Read(buf)
			if n > 0 {
				pr.chunks <- buf[:n]
			}
			if err != nil {
				pr.err = err
				close(pr.failed)
				return
			}
		}
	}()
}

func (pr *pumpReader) readBefore(ctx context.Context, p []byte, deadline time.Time) (int, error) {
	pr.once.Do(pr.start)
	if len(pr.pending) == 0 {
		timer := time.NewTimer(time.Until(deadline))
		defer timer.Stop()
		select {
		case c := <-pr.chunks:
			pr.pending = c
		case <-pr.failed:
			select { // deliver what was read before the failure
			case c := <-pr.chunks:
				pr.pending = c
			default:
				return 0, pr.err
			}
		case <-timer.C:
			return 0, ErrTimeout
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	n := copy(p, pr.pending)
	pr.pending = pr.pending[n:]
	return n, nil
}
