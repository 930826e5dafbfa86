//go:build linux

package serialport_test

import (
	"context"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/devices/sim"
)

// echo is a device that sends back what it hears, after a pause.
type echo struct{ pause time.Duration }

func (e echo) Serve(ctx context.Context, rw io.ReadWriter) error {
	buf := make([]byte, 64)
	for {
		n, err := rw.Read(buf)
		if err != nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(e.pause):
		}
		if _, err := rw.Write(buf[:n]); err != nil {
			return nil
		}
	}
}

func openEcho(t *testing.T, pause time.Duration) *serialport.Conn {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	path, unplug, err := sim.ServePTY(ctx, echo{pause})
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { unplug() })
	c, err := serialport.Open(path, serialport.Mode{Baud: 115200})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// A read whose deadline passes before the answer fails with a deadline
// error, and the next read on the same port gets the answer. The answer
// comes a second after the question, far beyond the read's 30 ms, so
// that a busy machine pausing the test between its write and its read
// does not let the answer in first (150 ms did, on CI).
func TestConnReadTimesOutThenSucceeds(t *testing.T) {
	c := openEcho(t, time.Second)
	if _, err := c.Write([]byte("hi")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 8)
	c.SetReadDeadline(time.Now().Add(30 * time.Millisecond))
	if n, err := c.Read(buf); n != 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("early read = %d, %v; want a deadline error", n, err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := io.ReadFull(c, buf[:2])
	if err != nil || string(buf[:n]) != "hi" {
		t.Fatalf("second read = %q, %v; want the echo", buf[:n], err)
	}
}

// A deadline in the past fails at once; the zero time lifts it.
func TestConnDeadlineInThePast(t *testing.T) {
	c := openEcho(t, 0)
	c.SetReadDeadline(time.Now().Add(-time.Second))
	if _, err := c.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1)
	if _, err := c.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read past the deadline = %v, want a deadline error", err)
	}
	c.SetReadDeadline(time.Time{})
	if n, err := c.Read(buf); n != 1 || err != nil || buf[0] != 'x' {
		t.Fatalf("read without a deadline = %d %q, %v", n, buf[:n], err)
	}
}

// ReadContext: a context that ends while the read waits wakes it with the
// context's error; a read with no deadline then still works.
func TestReadContextEndsWithTheContext(t *testing.T) {
	c := openEcho(t, 0)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(30*time.Millisecond, cancel)
	buf := make([]byte, 4)
	if _, err := serialport.ReadContext(ctx, c, buf, time.Time{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("ReadContext = %v, want context.Canceled", err)
	}
	if _, err := c.Write([]byte("ok")); err != nil {
		t.Fatal(err)
	}
	n, err := serialport.ReadContext(context.Background(), c, buf, time.Now().Add(5*time.Second))
	if err != nil || n == 0 || buf[0] != 'o' {
		t.Fatalf("ReadContext after the cancel = %q, %v", buf[:n], err)
	}
}

// Unplugging the device wakes a waiting read with os.ErrClosed.
func TestConnUnpluggedWhileReading(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	path, unplug, err := sim.ServePTY(ctx, echo{})
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	c, err := serialport.Open(path, serialport.Mode{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	time.AfterFunc(30*time.Millisecond, func() { unplug() })
	if _, err := c.Read(make([]byte, 1)); !errors.Is(err, os.ErrClosed) {
		t.Fatalf("read after unplug = %v, want os.ErrClosed", err)
	}
}
