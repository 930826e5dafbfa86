package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// slicedPort is a fake port whose reads time out a set number of times
// before data arrives, as devices/serialport's conn does in quiet slices.
type slicedPort struct {
	quiet  int    // timeouts to give before data
	data   string // then this
	reads  int
	closed bool
	onRead func() // called on every read
}

func (s *slicedPort) Read(p []byte) (int, error) {
	s.reads++
	if s.onRead != nil {
		s.onRead()
	}
	if s.quiet > 0 {
		s.quiet--
		return 0, fmt.Errorf("reading fake: %w", os.ErrDeadlineExceeded)
	}
	if s.data == "" {
		return 0, io.EOF
	}
	n := copy(p, s.data)
	s.data = s.data[n:]
	return n, nil
}

func (s *slicedPort) Write(p []byte) (int, error) { return len(p), nil }
func (s *slicedPort) Close() error                { s.closed = true; return nil }

func TestDeadlinePortRetriesQuietSlicesWithoutDeadline(t *testing.T) {
	fake := &slicedPort{quiet: 5, data: "AA"}
	p := &deadlinePort{rw: fake}
	buf := make([]byte, 8)
	n, err := p.Read(buf)
	if err != nil || string(buf[:n]) != "AA" || fake.reads != 6 {
		t.Errorf("Read = %q, %v after %d reads; want AA after 6", buf[:n], err, fake.reads)
	}
}

func TestDeadlinePortGivesUpAtTheDeadline(t *testing.T) {
	fake := &slicedPort{quiet: 1 << 30, data: "late"}
	p := &deadlinePort{rw: fake}
	p.SetReadDeadline(time.Unix(1, 0)) // long past
	n, err := p.Read(make([]byte, 8))
	if n != 0 || !errors.Is(err, os.ErrDeadlineExceeded) || fake.reads != 1 {
		t.Errorf("Read = %d, %v after %d reads; want a deadline error after 1", n, err, fake.reads)
	}
}

// A deadline moved into the past while a read waits (how a driver wakes a
// read when its context ends) stops the read at the next quiet slice.
func TestDeadlinePortWokenByANewDeadline(t *testing.T) {
	p := &deadlinePort{}
	fake := &slicedPort{quiet: 1 << 30}
	fake.onRead = func() {
		if fake.reads == 3 {
			p.SetReadDeadline(time.Unix(1, 0))
		}
	}
	p.rw = fake
	p.SetReadDeadline(time.Time{})
	_, err := p.Read(make([]byte, 8))
	if !errors.Is(err, os.ErrDeadlineExceeded) || fake.reads != 3 {
		t.Errorf("err %v after %d reads; want a deadline error after 3", err, fake.reads)
	}
}

func TestDeadlinePortPassesOtherErrors(t *testing.T) {
	fake := &slicedPort{quiet: 2}
	p := &deadlinePort{rw: fake}
	if _, err := p.Read(make([]byte, 8)); err != io.EOF {
		t.Errorf("err = %v, want io.EOF", err)
	}
	if err := p.Close(); err != nil || !fake.closed {
		t.Errorf("Close = %v, closed %v", err, fake.closed)
	}
}

func TestOpenPortRefuses(t *testing.T) {
	tests := []struct {
		path string
		baud int
		want string
	}{
		{"/dev/null", 12345, "not a speed"},
		{"/nonexistent/tty", 9600, "no serial port at this path"},
		{"/dev/null", 9600, "not a serial port"},
	}
	for _, tt := range tests {
		_, err := openPort(tt.path, tt.baud)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("openPort(%s, %d) = %v, want it to say %q", tt.path, tt.baud, err, tt.want)
		}
	}
}
