package terminal

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/config"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/provision"
	"github.com/tongban/tongban/kiosk/technician"
)

// TestTechnicianSeesTheRunningTerminal: technician mode's diagnostics come
// from the terminal itself (its devices, its queue, a heartbeat over its
// own uplink, its versions), and its reset is refused while a submission
// waits, then done once none does, each attempt in the audit trail.
func TestTechnicianSeesTheRunningTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: starts simulators and the uplink")
	}
	ctx := context.Background()
	t.Run("back office down, a submission waiting", func(t *testing.T) {
		st := newSimTerminal(t, func(cfg *config.Config) { cfg.BackOffice = enrolThenStop(t, cfg) })
		st.visit(t)
		d := technician.Collect(ctx, st.TechnicianSources(nil))
		if d.BackOffice.Reachable || d.BackOffice.Problem != technician.ProblemRefused {
			t.Errorf("back office %+v: want unreachable, refused", d.BackOffice)
		}
		if d.Queue.Waiting != 1 || d.Queue.OldestWaiting.IsZero() {
			t.Errorf("queue %+v: want one waiting, with its age", d.Queue)
		}
		conf := filepath.Join(st.cfg.DataDir, provision.ConfigName)
		if err := os.WriteFile(conf, []byte("center.code = XH01\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		r := st.TechnicianReset("technician")
		var q technician.QueuedError
		if err := r.Run(r.Phrase()); !errors.As(err, &q) || q.Waiting != 1 {
			t.Fatalf("reset with a submission waiting: %v; want refused naming 1 waiting", err)
		}
		if _, err := os.Stat(conf); err != nil {
			t.Fatalf("a refused reset removed the configuration: %v", err)
		}
	})
	t.Run("simulated back office", func(t *testing.T) {
		st := newSimTerminal(t, nil)
		listed := []serialport.Port{{Path: "/dev/ttyUSB7", IsUSB: true, VID: "1a86", PID: "7523"}}
		d := technician.Collect(ctx, st.TechnicianSources(func() ([]serialport.Port, error) { return listed, nil }))
		if !d.BackOffice.Reachable || !d.BackOffice.SkewKnown || d.BackOffice.Problem != technician.ProblemNone {
			t.Errorf("back office %+v: want reachable with the clock measured", d.BackOffice)
		}
		var kinds []kiosk.DeviceKind
		for _, dev := range d.Devices {
			kinds = append(kinds, dev.Kind)
			if dev.State == "" {
				t.Errorf("device %s has no state", dev.Kind)
			}
		}
		for _, want := range []kiosk.DeviceKind{kiosk.DeviceIDReader, kiosk.DevicePrinter, kiosk.DeviceScanner} {
			if !slices.Contains(kinds, want) {
				t.Errorf("devices %v: %s missing", kinds, want)
			}
		}
		if len(d.Versions) < 2 || d.Versions[0] != (kiosk.Component{Name: "Tongban", Version: "test"}) || d.Versions[1].Name != "catalog" {
			t.Errorf("versions %v: want the software's and the catalog's", d.Versions)
		}
		if d.Terminal != st.cfg.Terminal || d.Disk.TotalBytes == 0 {
			t.Errorf("terminal %q, disk %+v", d.Terminal, d.Disk)
		}
		conf := filepath.Join(st.cfg.DataDir, provision.ConfigName)
		if err := os.WriteFile(conf, []byte("center.code = XH01\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		r := st.TechnicianReset("technician")
		if err := r.Run("RESET"); !errors.Is(err, technician.ErrConfirmation) {
			t.Fatalf("reset with the wrong phrase: %v", err)
		}
		if err := r.Run(r.Phrase()); err != nil {
			t.Fatalf("reset with an empty queue: %v", err)
		}
		if _, err := os.Stat(conf); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("after the reset the configuration is still there: %v", err)
		}
		var resets int
		for _, k := range auditKinds(t, filepath.Join(st.cfg.DataDir, "audit.log")) {
			if k == audit.TechnicianAction {
				resets++
			}
		}
		if resets != 2 {
			t.Errorf("%d technician actions in the audit trail, want 2 (the refused reset and the reset)", resets)
		}
	})
}

// While technician mode holds the scanner, codes never reach the resident
// session: the scanner test gets the next one from the kiosk's own feed (its
// kind only), a code with no test waiting is dropped, and once technician
// mode is left the session hears codes again.
func TestTechnicianHoldsTheScanner(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: starts simulators")
	}
	st := newSimTerminal(t, nil)
	st.waitState(t, flow.Attract)
	eventually(t, "the scanner online", func() (bool, string) {
		s, ok := st.manager.Snapshot().Status(kiosk.DeviceScanner)
		return ok && s.State == kiosk.DeviceOnline, string(s.State)
	})
	st.HoldForTechnician(true)
	tester := st.TechnicianTester(nil, 5*time.Second)
	type result struct {
		got string
		err error
	}
	done := make(chan result, 1)
	go func() {
		got, err := tester.Test(context.Background(), kiosk.DeviceScanner, "")
		done <- result{got, err}
	}()
	time.Sleep(100 * time.Millisecond) // the test is waiting
	st.sims.Scanner.Present("https://www.example.com/")
	r := <-done
	if r.err != nil || r.got != "code read (web-link)" {
		t.Fatalf("scanner test: %q, %v", r.got, r.err)
	}
	st.sims.Scanner.Present("https://www.example.com/again")
	time.Sleep(500 * time.Millisecond)
	if v := st.session.View(); v.State != flow.Attract || !v.Notice.IsZero() {
		t.Fatalf("a code shown during technician mode reached the session: %v %q", v.State, v.Notice.ZH)
	}
	st.HoldForTechnician(false)
	st.sims.Scanner.Present("https://www.example.com/after")
	eventually(t, "the session hears the scanner again", func() (bool, string) {
		v := st.session.View()
		return !v.Notice.IsZero() || v.State != flow.Attract, v.State.String()
	})
}
