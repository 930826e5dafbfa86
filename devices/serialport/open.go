package serialport

import (
	"errors"
	"fmt"
	"io"
	"os"
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

// Mode is how to open a port. The zero Mode is 9600 8N1 with reads that
// block until a byte arrives.
type Mode struct {
	Baud        int    // bits per second; 0 means 9600
	DataBits    int    // 5 to 8; 0 means 8
	Parity      Parity // default none
	TwoStopBits bool
	// ReadTimeout bounds each Read: when no byte arrives in time, Read
	// returns an error matching os.ErrDeadlineExceeded. 0 blocks.
	ReadTimeout time.Duration
}

// Open opens the port at path in raw mode. Modem control lines are left
// alone (pseudo-terminals have none).
func Open(path string, m Mode) (io.ReadWriteCloser, error) {
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
	if m.ReadTimeout > 0 {
		if err := p.SetReadTimeout(m.ReadTimeout); err != nil {
			p.Close()
			return nil, fmt.Errorf("opening %s: setting read timeout: %w", path, classify(err))
		}
	}
	return &conn{port: p, path: path}, nil
}

// conn turns the library's (0, nil) timeouts and port errors into errors
// the standard library's sentinels recognise.
type conn struct {
	port serial.Port
	path string
}

func (c *conn) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n, err := c.port.Read(p)
	if err != nil {
		return n, fmt.Errorf("reading %s: %w", c.path, classify(err))
	}
	if n == 0 {
		return 0, fmt.Errorf("reading %s: %w", c.path, os.ErrDeadlineExceeded)
	}
	return n, nil
}

func (c *conn) Write(p []byte) (int, error) {
	n, err := c.port.Write(p)
	if err != nil {
		return n, fmt.Errorf("writing %s: %w", c.path, classify(err))
	}
	return n, nil
}

func (c *conn) Close() error { return classify(c.port.Close()) }

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
