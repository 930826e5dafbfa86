package escpos

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/tongban/tongban/devices/serialport"
)

// ErrNoAnswer is returned when the printer did not answer a status request
// in time: it is unplugged, switched off, or not an ESC/POS printer.
var ErrNoAnswer = errors.New("escpos: printer did not answer the status request")

// Port is the line to a printer: a serialport.Conn in the field, a net.Conn
// or a pseudo-terminal in tests. Its reads obey the read deadline.
type Port = serialport.Line

// Conn is a printer on one port: it writes jobs and asks for status. It
// reads the port only while a status request waits for its answers, in the
// caller's goroutine with a deadline, so it leaves no reader behind and the
// port can be handed to someone else as soon as a call returns.
type Conn struct {
	port Port
	mu   sync.Mutex // one writer or status query at a time
}

// NewConn returns a connection to the printer on port.
func NewConn(port Port) *Conn { return &Conn{port: port} }

// Write sends p to the printer.
func (c *Conn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.port.Write(p)
}

// defaultStatusWait bounds a status request whose context has no deadline.
const defaultStatusWait = 2 * time.Second

// Status asks the printer for DLE EOT 1..4 and decodes the answers. Bytes
// that cannot be status answers are skipped. It gives up at ctx's deadline
// (2 s when it has none) or when ctx ends, with an error wrapping
// ErrNoAnswer.
func (c *Conn) Status(ctx context.Context) (Status, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(defaultStatusWait)
	}
	var answers [4]byte
	var b [1]byte
	for i := range answers {
		if err := ctx.Err(); err != nil {
			return Status{}, fmt.Errorf("%w (DLE EOT %d): %w", ErrNoAnswer, i+1, err)
		}
		if !time.Now().Before(deadline) {
			return Status{}, fmt.Errorf("%w (DLE EOT %d): %w", ErrNoAnswer, i+1, context.DeadlineExceeded)
		}
		if _, err := c.port.Write(StatusRequest(i + 1)); err != nil {
			return Status{}, fmt.Errorf("escpos: asking for status: %w", err)
		}
		for {
			n, err := serialport.ReadContext(ctx, c.port, b[:], deadline)
			if n == 1 && ValidStatusByte(b[0]) {
				answers[i] = b[0]
				break
			}
			if err == nil {
				continue // an unsolicited byte
			}
			switch {
			case ctx.Err() != nil:
				err = ctx.Err()
			case errors.Is(err, os.ErrDeadlineExceeded):
				err = context.DeadlineExceeded // the caller's deadline passed
			}
			return Status{}, fmt.Errorf("%w (DLE EOT %d): %w", ErrNoAnswer, i+1, err)
		}
	}
	return DecodeStatus(answers)
}
