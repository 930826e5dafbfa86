package serialport

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"go.bug.st/serial"
)

// Parity of a serial link.
type Parity int

// Parities.
const (
	NoParity Parity = iota
	OddParity
	EvenParity
)

// Mode is how to open a port. The zero Mode is 9600 8N1.
type Mode struct {
	Baud        int    // bits per second; 0 means 9600
	DataBits    int    // 5 to 8; 0 means 8
	Parity      Parity // default none
	TwoStopBits bool
}

// Open opens the port at path in raw mode. Modem control lines are left
// alone (pseudo-terminals have none). Reads block until a byte arrives or
// the read deadline passes (none at first).
func Open(path string, m Mode) (*Conn, error) {
	mode := &serial.Mode{BaudRate: m.Baud, DataBits: m.DataBits, StopBits: serial.OneStopBit}
	if mode.BaudRate == 0 {
		mode.BaudRate = 9600
	}
	if mode.DataBits == 0 {
		mode.DataBits = 8
	}
	switch m.Parity {
	case NoParity:
		mode.Parity = serial.NoParity
	case OddParity:
		mode.Parity = serial.OddParity
	case EvenParity:
		mode.Parity = serial.EvenParity
	default:
		return nil, fmt.Errorf("opening %s: unknown parity %d", path, m.Parity)
	}
	if m.TwoStopBits {
		mode.StopBits = serial.TwoStopBits
	}
	p, err := serial.Open(path, mode)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, classify(err))
	}
	return &Conn{port: p, path: path}, nil
}

// Conn is an open serial port. Its reads have a deadline, as a net.Conn's
// do: a Read that sees no byte by then returns an error matching
// os.ErrDeadlineExceeded (the library itself answers (0, nil)), and a
// deadline moved while a Read waits is obeyed within readSlice. Port
// errors become the sentinels of [classify].
type Conn struct {
	port serial.Port
	path string

	mu       sync.Mutex
	deadline time.Time
}

// readSlice is the longest the library is asked to wait at once, so that a
// Read waiting in one goroutine sees a deadline set from another (a
// context's end moving it to the past) soon enough.
const readSlice = 50 * time.Millisecond

// SetReadDeadline bounds the Reads that follow and one in progress; the
// zero time means no bound.
func (c *Conn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.deadline = t
	c.mu.Unlock()
	return nil
}

func (c *Conn) readDeadline() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.deadline
}

// Read reads at least one byte, or fails when the deadline passes or the
// port is gone.
func (c *Conn) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		wait := readSlice
		if d := c.readDeadline(); !d.IsZero() {
			left := time.Until(d)
			if left <= 0 {
				return 0, fmt.Errorf("reading %s: %w", c.path, os.ErrDeadlineExceeded)
			}
			wait = min(left, readSlice)
		}
		if err := c.port.SetReadTimeout(wait); err != nil {
			return 0, fmt.Errorf("reading %s: %w", c.path, classify(err))
		}
		n, err := c.port.Read(p)
		if err != nil {
			return n, fmt.Errorf("reading %s: %w", c.path, classify(err))
		}
		if n > 0 {
			return n, nil
		}
	}
}

// Write writes p; it is not bounded by the read deadline.
func (c *Conn) Write(p []byte) (int, error) {
	n, err := c.port.Write(p)
	if err != nil {
		return n, fmt.Errorf("writing %s: %w", c.path, classify(err))
	}
	return n, nil
}

// Close closes the port; a Read waiting on it returns os.ErrClosed.
func (c *Conn) Close() error { return classify(c.port.Close()) }

// Error codes a caller may need to tell apart.
var (
	// ErrNotFound: nothing at this path (the device is unplugged).
	ErrNotFound = errors.New("no serial port at this path")
	// ErrBusy: another program holds the port.
	ErrBusy = errors.New("serial port busy")
	// ErrPermission: this user may not open the port.
	ErrPermission = errors.New("no permission to open the serial port")
)

// classify maps the library's errors to sentinels: ErrNotFound, ErrBusy,
// ErrPermission, os.ErrClosed (unplugged or closed), or the error itself.
func classify(err error) error {
	if err == nil {
		return nil
	}
	code, isPortError := portErrorCode(err)
	if isPortError {
		switch code {
		case serial.PortClosed:
			return fmt.Errorf("%w (%v)", os.ErrClosed, err)
		case serial.PortNotFound:
			return fmt.Errorf("%w (%v)", ErrNotFound, err)
		case serial.PortBusy:
			return fmt.Errorf("%w (%v)", ErrBusy, err)
		case serial.PermissionDenied:
			return fmt.Errorf("%w (%v)", ErrPermission, err)
		}
		return err
	}
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%w (%v)", ErrNotFound, err)
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("%w (%v)", ErrPermission, err)
	case errors.Is(err, syscall.EIO), errors.Is(err, syscall.ENODEV), errors.Is(err, syscall.ENXIO):
		// What a tty answers once its USB adapter (or a pseudo-terminal's
		// master) is gone.
		return fmt.Errorf("%w (%v)", os.ErrClosed, err)
	}
	return err
}

func portErrorCode(err error) (serial.PortErrorCode, bool) {
	var pe *serial.PortError
	if errors.As(err, &pe) {
		return pe.Code(), true
	}
	var pv serial.PortError
	if errors.As(err, &pv) {
		return pv.Code(), true
	}
	return 0, false
}
