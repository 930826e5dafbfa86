package hardware

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// fakePrinter is a printer whose paper and presence the test controls; its
// StatusProbe reads them as the ESC/POS status request would.
type fakePrinter struct {
	paper   atomic.Value // kiosk.Paper
	plugged atomic.Bool
	opens   atomic.Int32
}

func newFakePrinter() *fakePrinter {
	p := &fakePrinter{}
	p.paper.Store(kiosk.PaperFull)
	p.plugged.Store(true)
	return p
}

func (p *fakePrinter) open(path string, m serialport.Mode) (Port, error) {
	if !p.plugged.Load() {
		return nil, serialport.ErrNotFound
	}
	p.opens.Add(1)
	return nopConn{}, nil
}

func (p *fakePrinter) status(rw serialport.Line) (kiosk.DeviceStatus, error) {
	if !p.plugged.Load() {
		return kiosk.DeviceStatus{}, errors.New("no answer")
	}
	paper := p.paper.Load().(kiosk.Paper)
	st := kiosk.DeviceStatus{State: kiosk.DeviceOnline, Paper: paper}
	if paper == kiosk.PaperOut {
		st.State = kiosk.DeviceUserError
	}
	return st, nil
}

type nopConn struct{}

func (nopConn) Read(p []byte) (int, error)      { return 0, io.EOF }
func (nopConn) Write(p []byte) (int, error)     { return len(p), nil }
func (nopConn) Close() error                    { return nil }
func (nopConn) SetReadDeadline(time.Time) error { return nil }

// alwaysOpen opens an ID reader that is always there.
func alwaysOpen(string, serialport.Mode) (Port, error) { return nopConn{}, nil }

// waitFor reads snapshots until one satisfies ok. The deadline only
// guards against a hang; nothing here measures time.
func waitFor(t *testing.T, snaps <-chan Snapshot, what string, ok func(Snapshot) bool) Snapshot {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case s := <-snaps:
			if ok(s) {
				return s
			}
		case <-deadline:
			t.Fatalf("never saw %s", what)
		}
	}
}

func state(kind kiosk.DeviceKind, want kiosk.DeviceState) func(Snapshot) bool {
	return func(s Snapshot) bool { return s.Devices[kind].State == want }
}

var (
	itemPrinted = kiosk.Item{Code: "A1", Needs: []kiosk.Need{kiosk.NeedIDReader, kiosk.NeedPrinter}}
	itemQuery   = kiosk.Item{Code: "Q1", Needs: []kiosk.Need{kiosk.NeedIDReader}}
	itemOnline  = kiosk.Item{Code: "O1", Needs: []kiosk.Need{kiosk.NeedBackOffice}}
)

// startManager runs a manager with a fake printer (and an ID reader that
// always answers) until the test ends.
func startManager(t *testing.T, printer *fakePrinter, essential bool) (*Manager, <-chan Snapshot) {
	t.Helper()
	m, err := New(Config{
		Devices: []DeviceSpec{
			{Kind: kiosk.DevicePrinter, Port: serialport.Match{Path: "/dev/kiosk/printer"}, Status: printer.status, Essential: essential},
			{Kind: kiosk.DeviceIDReader, Port: serialport.Match{Path: "/dev/kiosk/idreader"}, Probe: func(serialport.Line) error { return nil }},
		},
		PollInterval: 2 * time.Millisecond,
		Backoff:      Backoff{Min: time.Millisecond, Max: 5 * time.Millisecond},
		Open: func(path string, mode serialport.Mode) (Port, error) {
			if path == "/dev/kiosk/printer" {
				return printer.open(path, mode)
			}
			return alwaysOpen(path, mode)
		},
		Exists: func(path string) bool { return path != "/dev/kiosk/printer" || printer.plugged.Load() },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); m.Run(ctx) }()
	snaps, unsubscribe := m.Subscribe()
	t.Cleanup(func() { unsubscribe(); cancel(); wg.Wait() })
	return m, snaps
}

func TestPaperOutDrivesTerminalAndItems(t *testing.T) {
	printer := newFakePrinter()
	m, snaps := startManager(t, printer, true)
	m.SetBackOffice(true)

	s := waitFor(t, snaps, "both devices online", func(s Snapshot) bool {
		return s.Devices[kiosk.DevicePrinter].State == kiosk.DeviceOnline && s.Devices[kiosk.DeviceIDReader].State == kiosk.DeviceOnline && s.BackOffice
	})
	if !s.Terminal.Available {
		t.Fatalf("terminal %+v with everything online", s.Terminal)
	}
	for _, it := range []kiosk.Item{itemPrinted, itemQuery, itemOnline} {
		if a := s.Availability(it); !a.Available {
			t.Errorf("item %s unavailable with everything online: %s", it.Code, a.Reason.ZH)
		}
	}

	printer.paper.Store(kiosk.PaperLow)
	s = waitFor(t, snaps, "paper low", func(s Snapshot) bool { return s.Devices[kiosk.DevicePrinter].Paper == kiosk.PaperLow })
	if !s.Terminal.Available || !s.Availability(itemPrinted).Available {
		t.Errorf("paper low must not stop service: terminal %+v", s.Terminal)
	}

	printer.paper.Store(kiosk.PaperOut)
	s = waitFor(t, snaps, "paper out", func(s Snapshot) bool { return s.Devices[kiosk.DevicePrinter].Paper == kiosk.PaperOut })
	if s.Terminal.Available || s.Terminal.Reason != ReasonConsumables {
		t.Errorf("terminal = %+v with the essential printer out of paper, want unavailable for consumables", s.Terminal)
	}
	if a := s.Availability(itemQuery); a.Available || a.Reason != consumablesWords {
		t.Errorf("item while the terminal is out of service: %+v", a)
	}

	printer.paper.Store(kiosk.PaperFull)
	s = waitFor(t, snaps, "paper back", func(s Snapshot) bool { return s.Devices[kiosk.DevicePrinter].Paper == kiosk.PaperFull })
	if !s.Terminal.Available || !s.Availability(itemPrinted).Available {
		t.Errorf("service did not come back with paper: %+v", s.Terminal)
	}
	if n := printer.opens.Load(); n != 1 {
		t.Errorf("printer opened %d times; paper changes need no reconnect", n)
	}
}

func TestPaperOutGreysOnlyItemsThatPrint(t *testing.T) {
	printer := newFakePrinter()
	m, snaps := startManager(t, printer, false)
	m.SetBackOffice(true)
	waitFor(t, snaps, "printer online", state(kiosk.DevicePrinter, kiosk.DeviceOnline))

	printer.paper.Store(kiosk.PaperOut)
	s := waitFor(t, snaps, "paper out", func(s Snapshot) bool { return s.Devices[kiosk.DevicePrinter].Paper == kiosk.PaperOut })
	if !s.Terminal.Available {
		t.Errorf("terminal %+v: a non-essential printer must not stop the terminal", s.Terminal)
	}
	a := s.Availability(itemPrinted)
	if r := kiosktest.Words(t, a.Reason); a.Available || r.ZH != "打印机缺纸，暂不能办理此事项，请到人工窗口" || r.EN == r.ZH {
		t.Errorf("printed item = %+v, want greyed for paper", a)
	}
	if a := s.Availability(itemQuery); !a.Available {
		t.Errorf("item without printing greyed: %s", a.Reason.ZH)
	}

	m.SetBackOffice(false)
	s = waitFor(t, snaps, "back office down", func(s Snapshot) bool { return !s.BackOffice })
	if a := s.Availability(itemOnline); a.Available || a.Reason != backOfficeWords {
		t.Errorf("online-only item with the back office down: %+v", a)
	}

	printer.paper.Store(kiosk.PaperFull)
	s = waitFor(t, snaps, "paper back", func(s Snapshot) bool { return s.Devices[kiosk.DevicePrinter].Paper == kiosk.PaperFull })
	if a := s.Availability(itemPrinted); !a.Available {
		t.Errorf("printed item did not come back: %s", a.Reason.ZH)
	}
}

func TestUnplugWithFakes(t *testing.T) {
	printer := newFakePrinter()
	m, snaps := startManager(t, printer, true)
	waitFor(t, snaps, "printer online", state(kiosk.DevicePrinter, kiosk.DeviceOnline))

	printer.plugged.Store(false)
	s := waitFor(t, snaps, "printer gone", state(kiosk.DevicePrinter, kiosk.DeviceNoDevice))
	if s.Terminal.Available || s.Terminal.Reason != ReasonHardware {
		t.Errorf("terminal = %+v without its essential printer", s.Terminal)
	}
	err := m.Use(context.Background(), kiosk.DevicePrinter, func(serialport.Line) error { t.Error("used an unplugged printer"); return nil })
	if kiosk.KindOf(err) != kiosk.KindDevice || kiosktest.Words(t, kiosk.MessageOf(err)).ZH == "" {
		t.Errorf("Use of an unplugged printer = %v, want a KindDevice *kiosk.Error", err)
	}

	printer.plugged.Store(true)
	waitFor(t, snaps, "printer back", state(kiosk.DevicePrinter, kiosk.DeviceOnline))
	used := false
	if err := m.Use(context.Background(), kiosk.DevicePrinter, func(rw serialport.Line) error { used = rw != nil; return nil }); err != nil || !used {
		t.Errorf("Use after replug = %v, used %v", err, used)
	}
}

func TestFindByUSBIdentity(t *testing.T) {
	var present atomic.Bool
	present.Store(true)
	list := func() ([]serialport.Port, error) {
		ports := []serialport.Port{{Path: "/dev/ttyUSB0", IsUSB: true, VID: "10c4", PID: "ea60"}}
		if present.Load() {
			ports = append(ports, serialport.Port{Path: "/dev/ttyUSB1", IsUSB: true, VID: "1a86", PID: "7523", SerialNumber: "P1"})
		}
		return ports, nil
	}
	var opened atomic.Value
	m, err := New(Config{
		Devices: []DeviceSpec{{Kind: kiosk.DevicePrinter, Port: serialport.Match{VID: "1A86", PID: "7523", SerialNumber: "P1"},
			Probe: func(serialport.Line) error {
				if !present.Load() {
					return errors.New("gone")
				}
				return nil
			}}},
		PollInterval: 2 * time.Millisecond,
		Backoff:      Backoff{Min: time.Millisecond, Max: 2 * time.Millisecond},
		List:         list,
		Open: func(path string, _ serialport.Mode) (Port, error) {
			opened.Store(path)
			return nopConn{}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	snaps, unsubscribe := m.Subscribe()
	defer unsubscribe()

	waitFor(t, snaps, "online", state(kiosk.DevicePrinter, kiosk.DeviceOnline))
	if got := opened.Load(); got != "/dev/ttyUSB1" {
		t.Errorf("opened %v, want the port with the configured identity", got)
	}
	present.Store(false)
	waitFor(t, snaps, "no device", state(kiosk.DevicePrinter, kiosk.DeviceNoDevice))
	present.Store(true)
	waitFor(t, snaps, "online again", state(kiosk.DevicePrinter, kiosk.DeviceOnline))
}

func TestProbeFailureIsOfflineAndOpenErrorsAreExplained(t *testing.T) {
	tests := []struct {
		name    string
		openErr error
		probe   error
		want    kiosk.DeviceState
	}{
		{"answers nothing", nil, errors.New("timeout"), kiosk.DeviceOffline},
		{"port busy", serialport.ErrBusy, nil, kiosk.DeviceHardwareError},
		{"no permission", serialport.ErrPermission, nil, kiosk.DeviceHardwareError},
		{"vanished between listing and opening", serialport.ErrNotFound, nil, kiosk.DeviceNoDevice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := New(Config{
				Devices: []DeviceSpec{{Kind: kiosk.DeviceIDReader, Port: serialport.Match{Path: "/dev/x"},
					Probe: func(serialport.Line) error { return tt.probe }}},
				Backoff: Backoff{Min: time.Millisecond, Max: time.Millisecond},
				Exists:  func(string) bool { return true },
				Open: func(string, serialport.Mode) (Port, error) {
					if tt.openErr != nil {
						return nil, tt.openErr
					}
					return nopConn{}, nil
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { m.Run(ctx); close(done) }()
			defer func() { cancel(); <-done }()
			snaps, unsubscribe := m.Subscribe()
			defer unsubscribe()
			s := waitFor(t, snaps, string(tt.want), func(s Snapshot) bool { return s.Devices[kiosk.DeviceIDReader].Detail != "正在检测" })
			if got := s.Devices[kiosk.DeviceIDReader]; got.State != tt.want || got.Detail == "" {
				t.Errorf("status = %+v, want %s with a detail", got, tt.want)
			}
		})
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for name, cfg := range map[string]Config{
		"no kind":   {Devices: []DeviceSpec{{Port: serialport.Match{Path: "/dev/x"}}}},
		"no port":   {Devices: []DeviceSpec{{Kind: kiosk.DevicePrinter}}},
		"twice":     {Devices: []DeviceSpec{{Kind: kiosk.DevicePrinter, Port: serialport.Match{Path: "/a"}}, {Kind: kiosk.DevicePrinter, Port: serialport.Match{Path: "/b"}}}},
		"vid alone": {Devices: []DeviceSpec{{Kind: kiosk.DevicePrinter, Port: serialport.Match{VID: "1a86"}}}},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}
