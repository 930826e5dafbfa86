package escpos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// ErrNoAnswer is returned when the printer did not answer a status request
// in time: it is unplugged, switched off, or not an ESC/POS printer.
var ErrNoAnswer = errors.New("escpos: printer did not answer the status request")

// Conn is a printer on one byte stream: it writes jobs and asks for status.
// A single goroutine reads the stream (started on the first status request)
// so a printer that never answers cannot block a caller past its context;
// it ends when a read fails, e.g. when the port is closed.
type Conn struct {
	rw io.ReadWriter

	start sync.Once
	in    chan byte
	done  chan struct{} // closed when the reader stopped
	rerr  error         // why the reader stopped; read after done is closed

	mu sync.Mutex // one writer or status query at a time
}

// NewConn returns a connection to the printer on rw.
func NewConn(rw io.ReadWriter) *Conn {
	return &Conn{rw: rw, in: make(chan byte, 64), done: make(chan struct{})}
}

// Write sends p to the printer.
func (c *Conn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rw.Write(p)
}

func (c *Conn) readLoop() {
	buf := make([]byte, 64)
	for {
		n, err := c.rw.Read(buf)
		for _, b := range buf[:n] {
			select {
			case c.in <- b:
			default: // nobody asked: an unsolicited byte, dropped
			}
		}
		if err != nil {
			c.rerr = err
			close(c.done)
			return
		}
	}
}

// Status asks the printer for DLE EOT 1..4 and decodes the answers. It
// gives up when ctx ends, with an error wrapping ErrNoAnswer.
func (c *Conn) Status(ctx context.Context) (Status, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d, ok := c.rw.(readDeadliner); ok {
		return c.statusDirect(ctx, d)
	}
	c.start.Do(func() { go c.readLoop() })
	for drained := false; !drained; { // forget bytes nobody asked for
		select {
		case <-c.in:
		default:
			drained = true
		}
	}
	var answers [4]byte
	for i := range answers {
		if _, err := c.rw.Write(StatusRequest(i + 1)); err != nil {
			return Status{}, fmt.Errorf("escpos: asking for status: %w", err)
		}
		b, err := c.answer(ctx)
		if err != nil {
			return Status{}, fmt.Errorf("%w (DLE EOT %d): %w", ErrNoAnswer, i+1, err)
		}
		answers[i] = b
	}
	return DecodeStatus(answers)
}

// answer waits for the next byte that looks like a status answer.
func (c *Conn) answer(ctx context.Context) (byte, error) {
	for {
		select {
		case b := <-c.in:
			if ValidStatusByte(b) {
				return b, nil
			}
		case <-c.done:
			select {
			case b := <-c.in:
				if ValidStatusByte(b) {
					return b, nil
				}
				continue
			default:
			}
			return 0, c.rerr
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

// readDeadliner is a stream whose reads can be bounded by a deadline, like
// a tty *os.File or a net.Conn.
type readDeadliner interface {
	SetReadDeadline(t time.Time) error
}

// statusDirect asks for status on a stream with read deadlines: it reads
// in the caller's goroutine and leaves no reader behind, so the stream can
// be handed to someone else as soon as it returns.
func (c *Conn) statusDirect(ctx context.Context, d readDeadliner) (Status, error) {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(2 * time.Second)
	}
	if err := d.SetReadDeadline(deadline); err != nil {
		return Status{}, err
	}
	defer d.SetReadDeadline(time.Time{})
	var answers [4]byte
	var b [1]byte
	for i := range answers {
		if _, err := c.rw.Write(StatusRequest(i + 1)); err != nil {
			return Status{}, fmt.Errorf("escpos: asking for status: %w", err)
		}
		for {
			n, err := c.rw.Read(b[:])
			if n == 1 && ValidStatusByte(b[0]) {
				answers[i] = b[0]
				break
			}
			if errors.Is(err, os.ErrDeadlineExceeded) {
				err = context.DeadlineExceeded // the caller's deadline passed
			}
			if err != nil {
				return Status{}, fmt.Errorf("%w (DLE EOT %d): %w", ErrNoAnswer, i+1, err)
			}
		}
	}
	return DecodeStatus(answers)
}
