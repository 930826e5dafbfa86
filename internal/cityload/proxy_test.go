package cityload

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"syscall"
	"testing"
	"time"
)

// echoServer answers every byte it reads until the connection ends.
func echoServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				io.Copy(c, c)
			}()
		}
	}()
	return ln.Addr().String()
}

// exchange sends n bytes through the proxy in chunks and reads the echo,
// returning how many came back and the error that ended it, if any.
func exchange(t *testing.T, addr string, n int) (int, error) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	chunk := bytes.Repeat([]byte("x"), 512)
	got := 0
	buf := make([]byte, len(chunk))
	for got < n {
		if _, err := c.Write(chunk); err != nil {
			return got, err
		}
		m, err := io.ReadFull(c, buf)
		got += m
		if err != nil {
			return got, err
		}
	}
	return got, nil
}

func TestProxyPassesCleanConnections(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p, err := NewProxy(ctx, echoServer(t), 0, 1024, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); p.Wait() }()
	for range 3 {
		if got, err := exchange(t, p.Addr, 64<<10); err != nil || got != 64<<10 {
			t.Fatalf("clean connection: %d bytes back, %v", got, err)
		}
	}
	if p.Accepted() != 3 || p.Resets() != 0 {
		t.Errorf("accepted %d, reset %d; want 3, 0", p.Accepted(), p.Resets())
	}
}

func TestProxyResetsMidStream(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	const within = 4096
	p, err := NewProxy(ctx, echoServer(t), 1, within, 7)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); p.Wait() }()
	// Connection after connection is cut, each within its first 4 KiB
	// both ways (so at most 4 KiB echoed), with a reset, not a clean end.
	for i := range 5 {
		got, err := exchange(t, p.Addr, 64<<10)
		if err == nil {
			t.Fatalf("connection %d went through whole", i)
		}
		if got > within {
			t.Errorf("connection %d: %d bytes back, more than %d", i, got, within)
		}
		if !errors.Is(err, syscall.ECONNRESET) && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, syscall.EPIPE) {
			t.Errorf("connection %d ended with %v, want a reset", i, err)
		}
	}
	if p.Resets() != 5 {
		t.Errorf("resets %d, want 5", p.Resets())
	}
}
