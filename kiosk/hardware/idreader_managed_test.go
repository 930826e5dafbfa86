//go:build linux

package hardware

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// TestWatchRemovalsOnTheManagersClock reads a card through the device
// manager from a simulated reader on a pseudo-terminal, and watches it on
// the manager's fake clock: the card is reported on the reader, then taken
// away once, and nothing more until the next card is read; a second card
// placed, read and removed is reported the same way; and the watcher ends
// with its context.
func TestWatchRemovalsOnTheManagersClock(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dev := sim.NewIDCardReader(sim.IDCardOptions{})
	link := filepath.Join(t.TempDir(), "idreader")
	if _, unplug, err := sim.ServePTYAt(ctx, dev, link); err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	} else {
		defer unplug()
	}
	clock := kiosktest.NewClock(time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC))
	m, err := New(Config{
		Devices: []DeviceSpec{{Kind: kiosk.DeviceIDReader, Port: serialport.Match{Path: link},
			Mode: serialport.Mode{Baud: 115200}, Probe: SAMStatusProbe}},
		Clock: clock,
	})
	if err != nil {
		t.Fatal(err)
	}
	managerDone := make(chan struct{})
	go func() { m.Run(ctx); close(managerDone) }()
	snaps, unsubscribe := m.Subscribe()
	defer unsubscribe()
	waitFor(t, snaps, "online", state(kiosk.DeviceIDReader, kiosk.DeviceOnline))

	r := NewManagedIDReader(m, nil, IDReaderOptions{Poll: 10 * time.Millisecond, Now: clock.Now})
	events := make(chan bool, 8)
	watchCtx, stopWatching := context.WithCancel(ctx)
	watchDone := make(chan struct{})
	go func() { r.WatchRemovals(watchCtx, func(p bool) { events <- p }); close(watchDone) }()

	// next advances the fake clock a look at a time until the watcher
	// reports something; quiet reports that it stays silent.
	next := func(want bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			select {
			case got := <-events:
				if got != want {
					t.Fatalf("presence %v, want %v", got, want)
				}
				return
			case <-time.After(20 * time.Millisecond):
				clock.Advance(removalPoll)
			}
		}
		t.Fatalf("no presence report, want %v", want)
	}
	quiet := func() {
		t.Helper()
		for range 5 {
			clock.Advance(removalPoll)
			select {
			case got := <-events:
				t.Fatalf("presence %v reported with no card read", got)
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	read := func() {
		t.Helper()
		readCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if _, err := r.ReadCard(readCtx); err != nil {
			t.Fatalf("ReadCard: %v", err)
		}
	}

	quiet() // nothing read yet: nothing watched
	dev.Place(sim.SampleResident())
	read()
	next(true)
	quiet() // still there: told once
	dev.Remove()
	next(false)
	quiet() // taken: the watch is over

	dev.Place(sim.SamplePermitHK())
	read()
	next(true)
	dev.Remove()
	next(false)

	stopWatching()
	select {
	case <-watchDone:
	case <-time.After(20 * time.Second):
		t.Fatal("WatchRemovals did not end with its context")
	}
	cancel()
	<-managerDone
}
