//go:build linux

package hardware

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/scanner"
	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/scancode"
)

// scanBudget is what a scan may take from its last byte to the session:
// the screen-transition budget of DESIGN.md §7 (50 ms), since a scan is
// the resident's "tap".
const scanBudget = 50 * time.Millisecond

// BenchmarkScanToSubscriber measures the time from the last byte of a scan
// leaving the scanner to its classified event reaching the session: over
// an in-memory pipe (the software alone) and over a pseudo-terminal with
// the device manager and simulator in the loop (the path a real serial
// scanner takes, minus the wire time: 53 bytes at 9600 baud ≈ 55 ms on the
// wire before the last byte).
func BenchmarkScanToSubscriber(b *testing.B) {
	opts := scanner.Options{Framing: scanner.Framing{Suffix: scanner.SuffixCR}}

	b.Run("pipe", func(b *testing.B) {
		pr, pw := net.Pipe()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		defer pw.Close()
		feed := NewScanFeed(opts, scancode.DefaultRules(), 1, nil)
		go feed.Attach(ctx, pr)
		codes := benchCodes(b.N)
		lat := make([]time.Duration, 0, b.N)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			start := time.Now()
			if _, err := pw.Write(codes[i]); err != nil {
				b.Fatal(err)
			}
			ev := <-feed.Events()
			lat = append(lat, time.Since(start))
			if ev.Err != nil {
				b.Fatal(ev.Err)
			}
		}
		reportLatency(b, lat)
	})

	b.Run("pty+manager", func(b *testing.B) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		link := filepath.Join(b.TempDir(), "scanner")
		dev := sim.NewScanner(sim.ScannerOptions{})
		_, unplug, err := sim.ServePTYAt(ctx, dev, link)
		if err != nil {
			b.Fatal(err)
		}
		defer unplug()
		feed := NewScanFeed(opts, scancode.DefaultRules(), 1, nil)
		m, err := New(Config{Devices: []DeviceSpec{{
			Kind: kiosk.DeviceScanner, Port: serialport.Match{Path: link},
			Mode:  serialport.Mode{Baud: 9600},
			Probe: scanner.ProbeGM65, Attach: feed.Attach,
		}}})
		if err != nil {
			b.Fatal(err)
		}
		done := make(chan struct{})
		go func() { m.Run(ctx); close(done) }()
		defer func() { cancel(); <-done }()
		snaps, unsubscribe := m.Subscribe()
		defer unsubscribe()
		for s := range snaps {
			if s.Devices[kiosk.DeviceScanner].State == kiosk.DeviceOnline {
				break
			}
		}
		codes := benchCodes(b.N)
		lat := make([]time.Duration, 0, b.N)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			start := time.Now()
			dev.PresentBytes(codes[i][:len(codes[i])-1]) // the simulator adds the CR
			ev := <-feed.Events()
			lat = append(lat, time.Since(start))
			if ev.Err != nil {
				b.Fatal(ev.Err)
			}
		}
		reportLatency(b, lat)
	})
}

// benchCodes returns n distinct progress links with their CR, so the
// duplicate window drops none.
func benchCodes(n int) [][]byte {
	codes := make([][]byte, n)
	for i := range codes {
		codes[i] = []byte(scancode.ProgressLink(fmt.Sprintf("XH0123-20261128-%06d", i%1000000), "") + "\r")
	}
	return codes
}

func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	p50 := lat[len(lat)/2]
	p99 := lat[min(len(lat)-1, len(lat)*99/100)]
	b.ReportMetric(float64(p50.Microseconds()), "p50-µs")
	b.ReportMetric(float64(p99.Microseconds()), "p99-µs")
	b.ReportMetric(float64(p99)/float64(scanBudget), "p99/budget")
}
