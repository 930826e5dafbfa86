//go:build linux

package hardware

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/scanner"
	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/scancode"
)

func nextEvent(t *testing.T, events <-chan kiosk.ScanEvent) kiosk.ScanEvent {
	t.Helper()
	select {
	case ev := <-events:
		return ev
	case <-time.After(20 * time.Second):
		t.Fatal("no scan event")
		return kiosk.ScanEvent{}
	}
}

// TestUnplugReplugOverPTY serves a simulated scanner on a pseudo-terminal
// behind a stable link, as udev gives a real one, and pulls it out and
// plugs it back twice: once as an attached reader (the scanner) and once
// as a polled device. The manager must report online → no-device → online
// and deliver scans again, without a restart.
func TestUnplugReplugOverPTY(t *testing.T) {
	for _, attached := range []bool{true, false} {
		name := "polled"
		if attached {
			name = "attached reader"
		}
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			link := filepath.Join(t.TempDir(), "scanner")
			dev := sim.NewScanner(sim.ScannerOptions{})
			_, unplug, err := sim.ServePTYAt(ctx, dev, link)
			if err != nil {
				t.Fatal(err)
			}

			feed := NewScanFeed(scanner.Options{Framing: scanner.Framing{Suffix: scanner.SuffixCR}}, scancode.DefaultRules(), 8, nil)
			spec := DeviceSpec{
				Kind:  kiosk.DeviceScanner,
				Port:  serialport.Match{Path: link},
				Mode:  serialport.Mode{Baud: 9600},
				Probe: scanner.ProbeGM65,
			}
			if attached {
				spec.Attach = feed.Attach
			}
			m, err := New(Config{
				Devices:      []DeviceSpec{spec},
				PollInterval: 20 * time.Millisecond,
				Backoff:      Backoff{Min: 5 * time.Millisecond, Max: 50 * time.Millisecond},
			})
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			go func() { m.Run(ctx); close(done) }()
			defer func() { cancel(); <-done }()
			snaps, unsubscribe := m.Subscribe()
			defer unsubscribe()

			waitFor(t, snaps, "online", state(kiosk.DeviceScanner, kiosk.DeviceOnline))
			if attached {
				dev.Present(scancode.ProgressLink("XH0123-20261128-0042", ""))
				if ev := nextEvent(t, feed.Events()); ev.Err != nil || ev.Code.Receipt != "XH0123-20261128-0042" {
					t.Fatalf("scan before unplug = %+v", ev)
				}
			}

			if err := unplug(); err != nil {
				t.Fatal(err)
			}
			s := waitFor(t, snaps, "no-device", state(kiosk.DeviceScanner, kiosk.DeviceNoDevice))
			if a := s.Availability(kiosk.Item{Needs: []kiosk.Need{kiosk.NeedScanner}}); a.Available {
				t.Error("item needing the scanner still available while it is unplugged")
			}

			_, unplug, err = sim.ServePTYAt(ctx, dev, link)
			if err != nil {
				t.Fatal(err)
			}
			defer unplug()
			s = waitFor(t, snaps, "online after replug", state(kiosk.DeviceScanner, kiosk.DeviceOnline))
			if a := s.Availability(kiosk.Item{Needs: []kiosk.Need{kiosk.NeedScanner}}); !a.Available {
				t.Errorf("item needing the scanner did not come back: %s", a.Reason.ZH)
			}
			if attached {
				dev.Present("SSM:0123456789abcdef")
				if ev := nextEvent(t, feed.Events()); ev.Err != nil || ev.Code.Kind != kiosk.ScanSuishenma {
					t.Fatalf("scan after replug = %+v", ev)
				}
			}
		})
	}
}
