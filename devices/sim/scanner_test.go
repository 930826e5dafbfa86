package sim

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/scanner"
	"github.com/tongban/tongban/devices/serialport"
)

// hostScans runs the scanner driver on rw and returns its scans on a
// channel, and the driver's end on another.
func hostScans(ctx context.Context, r scanner.Port, opts scanner.Options) (<-chan scanner.Scan, <-chan error) {
	scans := make(chan scanner.Scan, 16)
	done := make(chan error, 1)
	go func() { done <- scanner.New(r, opts).Run(ctx, func(s scanner.Scan) { scans <- s }) }()
	return scans, done
}

func next(t *testing.T, scans <-chan scanner.Scan) scanner.Scan {
	t.Helper()
	select {
	case s := <-scans:
		return s
	case <-time.After(10 * time.Second):
		t.Fatal("no scan arrived")
		return scanner.Scan{}
	}
}

func TestScannerOverPTY(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sim := NewScanner(ScannerOptions{})
	link := filepath.Join(t.TempDir(), "scanner")
	path, unplug, err := ServePTYAt(ctx, sim, link)
	if err != nil {
		t.Fatal(err)
	}
	defer unplug()
	if path != link {
		t.Fatalf("path = %q, want the link %q", path, link)
	}
	port, err := serialport.Open(path, serialport.Mode{Baud: 9600})
	if err != nil {
		t.Fatal(err)
	}
	defer port.Close()

	// The module answers the driver's probe through the pty, byte-exact.
	if err := scanner.ProbeGM65(port); err != nil {
		t.Fatalf("probe: %v", err)
	}
	// A register write (illumination off) is answered and kept.
	setting := scanner.GM65CommandMode &^ scanner.GM65LightStandard
	if _, err := port.Write(scanner.GM65Command(0x08, 0x0000, setting)); err != nil {
		t.Fatal(err)
	}
	reply := make([]byte, 7)
	if _, err := io.ReadFull(port, reply); err != nil || !bytes.Equal(reply, scanner.GM65Reply(0)) {
		t.Fatalf("write reply = % X, %v", reply, err)
	}
	if got := sim.Register(0); got != setting {
		t.Errorf("register 0 = %#x after illumination off", got)
	}

	scans, done := hostScans(ctx, port, scanner.Options{Framing: scanner.Framing{Suffix: scanner.SuffixCR}})
	sim.Present("https://tongban.sh.example/q/XH0123-20261128-0042")
	if s := next(t, scans); s.Text != "https://tongban.sh.example/q/XH0123-20261128-0042" {
		t.Errorf("scan = %+v", s)
	}
	sim.PresentBytes([]byte("\xb2\xe2\xca\xd4\x0d\x0a")) // GB18030 测试, with a CR LF inside the code's bytes
	if s := next(t, scans); s.Text != "测试" || s.Encoding != scanner.EncodingGB18030 {
		t.Errorf("scan = %+v, want 测试 in GB18030", s)
	}
	sim.Fault(FaultGarbage)
	if s := next(t, scans); !errors.Is(s.Err, scanner.ErrUndecodable) {
		t.Errorf("garbage scan = %+v, want ErrUndecodable", s)
	}
	sim.Fault(FaultOverLong)
	if s := next(t, scans); !errors.Is(s.Err, scanner.ErrTooLong) {
		t.Errorf("over-long scan = %+v, want ErrTooLong", s)
	}
	sim.Fault(FaultSplit)
	sim.Present("TB-APPT-0001")
	if s := next(t, scans); s.Text != "TB-APPT-0001" {
		t.Errorf("split scan = %+v", s)
	}

	// Unplug: the driver's stream fails as a closed port, and the link goes.
	if err := unplug(); err != nil {
		t.Fatalf("unplug: %v", err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, os.ErrClosed) {
			t.Errorf("driver ended with %v, want a closed port", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("driver did not notice the unplug")
	}
	if _, err := os.Lstat(link); !os.IsNotExist(err) {
		t.Errorf("link still there after unplug: %v", err)
	}

	// Replug at the same link: a new pty, the configured path works again.
	path2, unplug2, err := ServePTYAt(ctx, sim, link)
	if err != nil {
		t.Fatal(err)
	}
	defer unplug2()
	port2, err := serialport.Open(path2, serialport.Mode{})
	if err != nil {
		t.Fatalf("reopening after replug: %v", err)
	}
	defer port2.Close()
	if err := scanner.ProbeGM65(port2); err != nil {
		t.Fatalf("probe after replug: %v", err)
	}
}

func TestScannerIdleFraming(t *testing.T) {
	sim := NewScanner(ScannerOptions{NoSuffix: true})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	host, dev := net.Pipe()
	defer host.Close()
	go sim.Serve(ctx, dev)
	scans, _ := hostScans(ctx, host, scanner.Options{Framing: scanner.Framing{IdleGap: 30 * time.Millisecond}})
	sim.Present("第一行\r\n第二行")
	if s := next(t, scans); s.Text != "第一行\r\n第二行" {
		t.Errorf("scan = %q, want both lines in one code", s.Text)
	}
}
