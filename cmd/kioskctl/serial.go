package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/tongban/tongban/devices/serialport"
)

// serialSpeeds are the line speeds the terminal's devices offer.
var serialSpeeds = []int{115200, 57600, 38400, 19200, 9600}

// readSlice is how long one read of the port waits before the deadline is
// checked again: a context's end is noticed within one slice.
const readSlice = 50 * time.Millisecond

// openPort opens a serial port (real, or a simulator's pseudo-terminal) raw
// at baud, 8N1, through devices/serialport, and returns it with read
// deadlines for the drivers.
func openPort(path string, baud int) (*deadlinePort, error) {
	if !validSpeed(baud) {
		return nil, fmt.Errorf("serial speed %d is not a speed the devices offer (%s)", baud, speedList())
	}
	rw, err := serialport.Open(path, serialport.Mode{Baud: baud, ReadTimeout: readSlice})
	if err != nil {
		switch {
		case errors.Is(err, serialport.ErrNotFound), errors.Is(err, serialport.ErrBusy),
			errors.Is(err, serialport.ErrPermission), errors.Is(err, os.ErrClosed):
			return nil, err
		}
		return nil, fmt.Errorf("%s is not a serial port that could be set to %d 8N1: %w", path, baud, err)
	}
	return &deadlinePort{rw: rw}, nil
}

func validSpeed(baud int) bool {
	for _, s := range serialSpeeds {
		if s == baud {
			return true
		}
	}
	return false
}

func speedList() string {
	s := ""
	for i, b := range serialSpeeds {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprint(b)
	}
	return s
}

// deadlinePort is a port whose reads time out in short slices (an error
// wrapping os.ErrDeadlineExceeded each time), offered to drivers as a
// stream with SetReadDeadline: a read is retried through quiet slices until
// the deadline passes, so the drivers read in their caller's goroutine and
// leave no reader behind.
type deadlinePort struct {
	rw       io.ReadWriteCloser
	mu       sync.Mutex
	deadline time.Time
}

// SetReadDeadline bounds the following reads and a read in progress (from
// its next slice on); the zero time means no bound.
func (p *deadlinePort) SetReadDeadline(t time.Time) error {
	p.mu.Lock()
	p.deadline = t
	p.mu.Unlock()
	return nil
}

func (p *deadlinePort) Read(b []byte) (int, error) {
	for {
		n, err := p.rw.Read(b)
		if n > 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
			return n, err
		}
		p.mu.Lock()
		deadline := p.deadline
		p.mu.Unlock()
		if !deadline.IsZero() && !time.Now().Before(deadline) {
			return 0, err
		}
	}
}

func (p *deadlinePort) Write(b []byte) (int, error) { return p.rw.Write(b) }

func (p *deadlinePort) Close() error { return p.rw.Close() }
