package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/tongban/tongban/devices/sim"
)

// simOnPTY serves a simulated reader on a pseudo-terminal and returns the
// path a serial port driver opens.
func simOnPTY(t *testing.T, s *sim.IDCardReader) string {
	t.Helper()
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	// Non-blocking duplicate of the master, so Serve's reads honour deadlines.
	fd, err := unix.Dup(int(master.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	master.Close()
	if err := unix.SetNonblock(fd, true); err != nil {
		t.Fatal(err)
	}
	dev := os.NewFile(uintptr(fd), "ptmx")
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); s.Serve(ctx, dev) }()
	t.Cleanup(func() { cancel(); wg.Wait(); dev.Close(); slave.Close() })
	return slave.Name()
}

func TestIDCardReadEveryCardType(t *testing.T) {
	for name, c := range sim.SampleCards() {
		if name == "resident-expired" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			port := simOnPTY(t, sim.NewIDCardReader(sim.IDCardOptions{Card: &c}))
			var out, errOut bytes.Buffer
			if err := run(context.Background(), []string{"idcard", "read", "--port", port, "--timeout", "5s"}, &out, &errOut); err != nil {
				t.Fatalf("%v\n%s", err, errOut.String())
			}
			var got cardReport
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("%v: %s", err, out.String())
			}
			if got.Number == c.Number || got.Number[:6] != c.Number[:6] || !strings.Contains(got.Number, "*") {
				t.Errorf("number %q not masked", got.Number)
			}
			if got.Address != "" || got.SAMID != "05.01-20240101-0000000042-0000000007" || got.TookMS <= 0 {
				t.Errorf("report %+v", got)
			}
		})
	}
}

func TestIDCardReadReveal(t *testing.T) {
	c := sim.SampleResidentLongTerm()
	port := simOnPTY(t, sim.NewIDCardReader(sim.IDCardOptions{Card: &c}))
	var out bytes.Buffer
	if err := run(context.Background(), []string{"idcard", "read", "--port", port, "--reveal"}, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	var got cardReport
	json.Unmarshal(out.Bytes(), &got)
	if got.Number != c.Number || got.Name != c.Name || got.Address != c.AppendedAddress || got.ValidUntil != "长期" {
		t.Errorf("report %+v", got)
	}
}

// Every failure exits with a message that says what happened.
func TestIDCardReadErrors(t *testing.T) {
	expired := sim.SampleResidentExpired()
	resident := sim.SampleResident()
	tests := []struct {
		name string
		s    *sim.IDCardReader
		args []string
		want string
	}{
		{"no card", sim.NewIDCardReader(sim.IDCardOptions{}), []string{"--timeout", "300ms"}, "没有读到身份证"},
		{"removed mid-read", sim.NewIDCardReader(sim.IDCardOptions{Card: &resident, Faults: sim.IDCardFaults{RemoveMidRead: true}}), nil, "身份证移动了"},
		{"SAM self-test failed", sim.NewIDCardReader(sim.IDCardOptions{Faults: sim.IDCardFaults{SAMSelfTestFailed: true}}), nil, "not ready"},
		{"expired", sim.NewIDCardReader(sim.IDCardOptions{Card: &expired}), nil, "2020年1月1日过期"},
		{"bad baud", sim.NewIDCardReader(sim.IDCardOptions{}), []string{"--baud", "12345"}, "not a speed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port := simOnPTY(t, tt.s)
			args := append([]string{"idcard", "read", "--port", port}, tt.args...)
			err := run(context.Background(), args, &bytes.Buffer{}, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to say %q", err, tt.want)
			}
		})
	}
	if err := run(context.Background(), []string{"idcard", "read"}, &bytes.Buffer{}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "--port") {
		t.Errorf("no port: %v", err)
	}
}
