package escpos_test

import (
	"context"
	"errors"
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/escpos"
)

func TestDecodeStatus(t *testing.T) {
	tests := []struct {
		name    string
		answers [4]byte
		want    escpos.Status
	}{
		{"idle", [4]byte{0x12, 0x12, 0x12, 0x12}, escpos.Status{Online: true}},
		{"out of paper (E7)", [4]byte{0x1A, 0x32, 0x12, 0x7E}, escpos.Status{StoppedNoPaper: true, PaperNearEnd: true, PaperOut: true}},
		{"near end", [4]byte{0x12, 0x12, 0x12, 0x1E}, escpos.Status{Online: true, PaperNearEnd: true}},
		{"cover open", [4]byte{0x1A, 0x16, 0x12, 0x12}, escpos.Status{CoverOpen: true}},
		{"cutter error", [4]byte{0x1A, 0x52, 0x1A, 0x12}, escpos.Status{Error: true, CutterError: true}},
		{"overheated", [4]byte{0x1A, 0x52, 0x52, 0x12}, escpos.Status{Error: true, AutoRecoverable: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := escpos.DecodeStatus(tt.answers)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
			if got.Ready() != (tt.name == "idle" || tt.name == "near end") {
				t.Errorf("Ready() = %v", got.Ready())
			}
		})
	}
}

func TestDecodeStatusRefusesOtherBytes(t *testing.T) {
	for _, b := range []byte{0x00, 0xFF, 0x10, 0x13, 0x92, '0'} {
		if _, err := escpos.DecodeStatus([4]byte{0x12, b, 0x12, 0x12}); !errors.Is(err, escpos.ErrNotStatus) {
			t.Errorf("byte %#02x: err = %v, want ErrNotStatus", b, err)
		}
	}
}

// FuzzDecodeStatus: any four bytes decode or are refused, never panic, and
// what decodes survives a round trip through Answers.
func FuzzDecodeStatus(f *testing.F) {
	f.Add([]byte{0x12, 0x12, 0x12, 0x12})
	f.Add([]byte{0x1A, 0x32, 0x12, 0x7E})
	f.Add([]byte{0x1A, 0x16, 0x5A, 0x1E})
	f.Add([]byte{0xFF, 0x00, 0x10, 0x04})
	f.Fuzz(func(t *testing.T, b []byte) {
		var a [4]byte
		copy(a[:], b)
		st, err := escpos.DecodeStatus(a)
		if err != nil {
			if !errors.Is(err, escpos.ErrNotStatus) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		again, err := escpos.DecodeStatus(st.Answers())
		if err != nil || again != st {
			t.Fatalf("round trip of %+v gave %+v, %v", st, again, err)
		}
		_ = st.String()
	})
}

// answerer is a printer that answers DLE EOT n with replies[n-1], after
// sending some noise first.
func answerer(t *testing.T, conn net.Conn, noise []byte, replies [4]byte) {
	t.Helper()
	go func() {
		buf := make([]byte, 3)
		first := true
		for {
			if _, err := conn.Read(buf[:1]); err != nil {
				return
			}
			if buf[0] != 0x10 {
				continue
			}
			if _, err := conn.Read(buf[1:3]); err != nil {
				return
			}
			if first {
				_, _ = conn.Write(noise)
				first = false
			}
			if _, err := conn.Write([]byte{replies[buf[2]-1]}); err != nil {
				return
			}
		}
	}()
}

func TestConnStatus(t *testing.T) {
	host, dev := net.Pipe()
	defer host.Close()
	defer dev.Close()
	answerer(t, dev, []byte{0x00, 0xFF}, [4]byte{0x1A, 0x32, 0x12, 0x7E})
	c := escpos.NewConn(host)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !st.PaperOut || st.Online {
		t.Errorf("status = %+v, want paper out", st)
	}
}

func TestConnStatusNoAnswer(t *testing.T) {
	host, dev := net.Pipe()
	defer host.Close()
	defer dev.Close()
	go func() { // reads everything, answers nothing
		buf := make([]byte, 16)
		for {
			if _, err := dev.Read(buf); err != nil {
				return
			}
		}
	}()
	c := escpos.NewConn(host)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := c.Status(ctx); !errors.Is(err, escpos.ErrNoAnswer) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want ErrNoAnswer after the deadline", err)
	}
}

func TestConnStatusPortClosed(t *testing.T) {
	host, dev := net.Pipe()
	dev.Close()
	c := escpos.NewConn(host)
	if _, err := c.Status(context.Background()); err == nil {
		t.Error("status from a closed port")
	}
}

// A printer that is silent for one status request and answers the next:
// the first times out, the second succeeds on the same port, and neither
// leaves a reader behind that would steal the second's answers.
func TestConnStatusTimesOutThenSucceeds(t *testing.T) {
	host, dev := net.Pipe()
	defer host.Close()
	defer dev.Close()
	var answering atomic.Bool
	go func() {
		buf := make([]byte, 3)
		for {
			if _, err := io.ReadFull(dev, buf); err != nil {
				return
			}
			if answering.Load() {
				if _, err := dev.Write([]byte{0x12}); err != nil {
					return
				}
			}
		}
	}()
	c := escpos.NewConn(host)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, err := c.Status(ctx); !errors.Is(err, escpos.ErrNoAnswer) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("silent printer: %v, want ErrNoAnswer after the deadline", err)
	}
	answering.Store(true)
	st, err := c.Status(context.Background())
	if err != nil || !st.Ready() {
		t.Fatalf("answering printer: %+v, %v", st, err)
	}
	// A deadline already past fails without waiting.
	past, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	if _, err := c.Status(past); !errors.Is(err, escpos.ErrNoAnswer) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline in the past: %v, want ErrNoAnswer and context.DeadlineExceeded", err)
	}
}

// Cancelling the context wakes a status request waiting for its answer.
func TestConnStatusCancelled(t *testing.T) {
	host, dev := net.Pipe()
	defer host.Close()
	defer dev.Close()
	go io.Copy(io.Discard, dev) // hears everything, answers nothing
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, err := escpos.NewConn(host).Status(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
