package uplink

import (
	"context"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/kiosk"
)

func TestHeartbeatAndAlarms(t *testing.T) {
	bo := startBackOffice(t)
	ctx := context.Background()
	printer := kiosk.DeviceStatus{Kind: kiosk.DevicePrinter, State: kiosk.DeviceOnline, Paper: kiosk.PaperFull}
	reader := kiosk.DeviceStatus{Kind: kiosk.DeviceIDReader, State: kiosk.DeviceOnline}
	// The terminal's clock is three hours behind the real one.
	clock := &fakeClock{now: time.Now().Add(-3 * time.Hour)}
	q := newFakeQueue(submissions(4)...)
	c := newClient(t, bo.URL, q, clock, func(c *Config) {
		c.Devices = func() []kiosk.DeviceStatus { return []kiosk.DeviceStatus{printer, reader} }
		c.State = func() kiosk.TerminalState {
			return kiosk.TerminalState{Available: printer.Usable(), Reason: "consumables"}
		}
	})
	bo.Server.PublishBundle(ctx, bundle.KindCatalog, []byte(`{}`))
	steps := []struct {
		paper       kiosk.Paper
		readerState kiosk.DeviceState
		alarms      int // total alarms stored so far
	}{
		{kiosk.PaperFull, kiosk.DeviceOnline, 0},
		{kiosk.PaperOut, kiosk.DeviceOnline, 1},
		{kiosk.PaperOut, kiosk.DeviceOnline, 1}, // same episode: no new alarm
		{kiosk.PaperOut, kiosk.DeviceHardwareError, 2},
		{kiosk.PaperFull, kiosk.DeviceOnline, 2},
		{kiosk.PaperJammed, kiosk.DeviceOnline, 3}, // a new episode
	}
	for i, s := range steps {
		printer.Paper, reader.State = s.paper, s.readerState
		resp, err := c.Heartbeat(ctx)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if resp.CatalogVersion != 1 {
			t.Errorf("step %d: catalog version %d", i, resp.CatalogVersion)
		}
		if err := c.DeliverAlarms(ctx); err != nil {
			t.Fatalf("step %d: alarms: %v", i, err)
		}
		alarms, _ := bo.Store.Alarms(ctx, testTerminal, 10)
		if len(alarms) != s.alarms {
			t.Errorf("step %d: %d alarms, want %d", i, len(alarms), s.alarms)
		}
	}
	skew, ok := c.Skew()
	if !ok || skew < 3*time.Hour-time.Minute || skew > 3*time.Hour+time.Minute {
		t.Errorf("skew %v (%v), want about 3h", skew, ok)
	}
	hb, err := bo.Store.LatestHeartbeat(ctx, testTerminal)
	if err != nil || len(hb.Body) == 0 {
		t.Fatalf("heartbeat not stored: %v", err)
	}
	if err := c.RaiseAlarm(ctx, "queue-damaged", "queue", "bbolt check failed"); err != nil {
		t.Fatal(err)
	}
	if alarms, _ := bo.Store.Alarms(ctx, testTerminal, 1); alarms[0].Kind != "queue-damaged" {
		t.Errorf("queue alarm: %+v", alarms)
	}
}
