package terminal

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tongban/tongban/devices/ipp/cupstest"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/config"
)

// TestA4PrinterWired: a terminal configured with a CUPS queue watches it
// as a device, prints through it, and a stopped queue then paper out
// reach the back office as alarms; without a queue there is no A4 printer.
func TestA4PrinterWired(t *testing.T) {
	srv := cupstest.Start(t)
	q := srv.AddQueue(t, "A4")
	st := newSimTerminal(t, func(c *config.Config) { c.A4 = config.A4Config{Queue: q.Name, Server: srv.URL} })
	if st.A4() == nil {
		t.Fatal("no A4 printer with a4.queue set")
	}
	a4 := func() kiosk.DeviceStatus { return st.Manager().Snapshot().Devices[kiosk.DeviceA4Printer] }
	eventually(t, "A4 printer online", func() (bool, string) { s := a4(); return s.Usable(), fmt.Sprint(s) })

	ctx := context.Background()
	job, err := st.A4().PrintPDF(ctx, "户籍证明", cupstest.OnePagePDF("Tongban wired"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.A4().Wait(ctx, job); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(q.Text(t, job), "Tongban wired") {
		t.Error("the printed page lacks its text")
	}

	alarmsOf := func(kind string) int {
		all, _ := st.sims.Office().Store.Alarms(ctx, st.cfg.Terminal, 20)
		n := 0
		for _, a := range all {
			if a.Kind == kind && a.Device == string(kiosk.DeviceA4Printer) {
				n++
			}
		}
		return n
	}
	q.Disable(t, "维护中")
	eventually(t, "A4 printer stopped", func() (bool, string) {
		s := a4()
		return s.State == kiosk.DeviceHardwareError, fmt.Sprint(s)
	})
	if err := st.client.DeliverAlarms(ctx); err != nil {
		t.Fatal(err)
	}
	if n := alarmsOf("device-fault"); n != 1 {
		t.Errorf("%d device-fault alarms for the stopped A4 queue, want 1", n)
	}
	q.Enable(t)

	// Paper runs out while a job prints: a paper-out alarm.
	q.PaperOut(t, true)
	job, err = st.A4().PrintPDF(ctx, "户籍证明", cupstest.OnePagePDF("no paper"))
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "A4 printer out of paper", func() (bool, string) { s := a4(); return s.Paper == kiosk.PaperOut, fmt.Sprint(s) })
	if err := st.client.DeliverAlarms(ctx); err != nil {
		t.Fatal(err)
	}
	if n := alarmsOf("paper-out"); n != 1 {
		t.Errorf("%d paper-out alarms for the A4 printer, want 1", n)
	}
	if err := st.A4().Wait(ctx, job); kiosk.MessageOf(err).ID != "a4.no_paper" {
		t.Errorf("wait without paper: %v", err)
	}
	q.PaperOut(t, false)
}

func TestNoA4PrinterWithoutQueue(t *testing.T) {
	st := newSimTerminal(t, nil)
	if st.A4() != nil {
		t.Error("an A4 printer without a4.queue")
	}
	if _, ok := st.Manager().Snapshot().Devices[kiosk.DeviceA4Printer]; ok {
		t.Error("the device manager watches an A4 printer that is not configured")
	}
}
