package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/sim"
)

// silentDevice reads what it is sent and never answers.
type silentDevice struct{}

func (silentDevice) Serve(ctx context.Context, rw io.ReadWriter) error {
	go io.Copy(io.Discard, rw) // ends when the pseudo-terminal closes
	<-ctx.Done()
	return nil
}

func TestProbePortSaysWhatAnswered(t *testing.T) {
	printer := func(fault func(*sim.Printer)) sim.Device {
		p, err := sim.NewPrinter(sim.PrinterOptions{})
		if err != nil {
			t.Fatal(err)
		}
		fault(p)
		return p
	}
	tests := []struct {
		name   string
		device sim.Device
		want   string
	}{
		{"printer", printer(func(*sim.Printer) {}), "printer (DLE EOT status) at 115200 baud: online"},
		{"printer, cover open", printer(func(p *sim.Printer) { p.OpenCover() }), "printer (DLE EOT status) at 115200 baud: offline, cover open"},
		{"ID reader", sim.NewIDCardReader(sim.IDCardOptions{}), "ID card reader (SAM status) at 115200 baud: SAM ready"},
		{"ID reader, SAM failed", sim.NewIDCardReader(sim.IDCardOptions{Faults: sim.IDCardFaults{SAMSelfTestFailed: true}}), "SAM answered 60 (SAM self-test failed)"},
		{"ID reader, noisy line", sim.NewIDCardReader(sim.IDCardOptions{Faults: sim.IDCardFaults{Garbage: true}}), "SAM ready"},
		{"scanner", sim.NewScanner(sim.ScannerOptions{}), "scanner (GM65 register read) at 9600 baud"},
		{"nothing answers", silentDevice{}, "no known protocol"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, closeFn, err := sim.ServePTY(t.Context(), tt.device)
			if err != nil {
				t.Skipf("no pseudo-terminal here: %v", err)
			}
			defer closeFn()
			if got := probePort(t.Context(), path, 150*time.Millisecond); !strings.Contains(got, tt.want) {
				t.Errorf("probePort = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPortsListsExtraPorts(t *testing.T) {
	var out bytes.Buffer
	err := runPorts(context.Background(), []string{"-probe=false", "-port", "/dev/kiosk/printer"}, &out, io.Discard)
	if err != nil || !strings.Contains(out.String(), "/dev/kiosk/printer") || !strings.Contains(out.String(), "ANSWERED") {
		t.Errorf("ports: %v\n%s", err, out.String())
	}
	if got := probePort(context.Background(), "/nonexistent/tty", 100*time.Millisecond); !strings.Contains(got, "cannot open") {
		t.Errorf("probePort on nothing = %q", got)
	}
}
