package terminal

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/technician"
)

// TechnicianSources are what technician mode's diagnostics read of the
// running terminal: the device manager's states, the ports the devices are
// configured on (with their USB identities as the system lists them), the
// offline queue's counts, the back office asked afresh over the uplink's
// mutual TLS, and the versions. list is the system's serial ports
// (serialport.List; nil: none listed).
func (t *Terminal) TechnicianSources(list func() ([]serialport.Port, error)) technician.Sources {
	s := technician.Sources{
		Center: t.cfg.Center, Terminal: t.cfg.Terminal, DataDir: t.cfg.DataDir, Now: t.opts.Clock.Now,
		Versions: t.versions, KeysAtRest: t.KeysAtRest,
		Devices: func() []kiosk.DeviceStatus {
			snap := t.manager.Snapshot()
			var out []kiosk.DeviceStatus
			for _, kind := range []kiosk.DeviceKind{kiosk.DeviceIDReader, kiosk.DevicePrinter, kiosk.DeviceScanner, kiosk.DeviceA4Printer} {
				if st, ok := snap.Devices[kind]; ok {
					out = append(out, st)
				}
			}
			return out
		},
	}
	if list != nil {
		s.Found = func() []technician.Finding {
			ports, _ := list()
			out := make([]technician.Finding, len(ports))
			for i, p := range ports {
				out[i] = technician.Finding{Port: p}
			}
			return out
		}
	}
	s.Assigned = func() technician.Assignment { return t.ConfiguredPorts(list) }
	if t.queue != nil {
		s.Queue = t.queue
	}
	s.Net = t.askBackOffice
	if c := t.client; c != nil {
		s.LastSync = c.LastSync
	}
	return s
}

// askBackOffice sends a heartbeat now: whether the back office answers
// the terminal's own mutual TLS, and the clock difference it measures.
func (t *Terminal) askBackOffice(ctx context.Context) technician.NetResult {
	c := t.client
	if c == nil {
		return technician.NetResult{Problem: technician.ProblemNotEnrolled}
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, err := c.Heartbeat(ctx)
	skew, known := c.Skew()
	return technician.Answered(err, skew, known, 0)
}

// versions are the software's, the catalog's and the configuration
// bundle's.
func (t *Terminal) versions() []kiosk.Component {
	out := []kiosk.Component{{Name: "Tongban", Version: t.opts.Version}}
	if v, _ := t.catalogs.describe(); v != "" {
		out = append(out, kiosk.Component{Name: "catalog", Version: v})
	}
	if c := t.client; c != nil {
		if v := c.InstalledVersion(bundle.KindConfig); v != 0 {
			out = append(out, kiosk.Component{Name: "config", Version: strconv.FormatUint(v, 10)})
		}
	}
	return out
}

// ConfiguredPorts is each device's port as the configuration names it, a
// USB identity resolved among the ports list gives (nil: none listed).
func (t *Terminal) ConfiguredPorts(list func() ([]serialport.Port, error)) technician.Assignment {
	var listed []serialport.Port
	if list != nil {
		listed, _ = list()
	}
	return technician.ConfiguredPorts(t.cfg, listed)
}

// Audit is the terminal's audit log: technician mode records every action
// in the same sealed chain.
func (t *Terminal) Audit() *audit.Log { return t.audit }

// TechnicianReset is the terminal's reset, for actor: refused while the
// queue holds any submission not yet at the back office.
func (t *Terminal) TechnicianReset(actor string) technician.Reset {
	r := technician.Reset{DataDir: t.cfg.DataDir, Terminal: t.cfg.Terminal, Audit: t.audit, Actor: actor}
	if t.queue != nil {
		r.Queue = t.queue
	}
	return r
}

// DataDir is the terminal's data folder.
func (t *Terminal) DataDir() string { return t.cfg.DataDir }

// TechnicianOpener opens a serial port for technician mode's probes and
// tests: a port one of the terminal's own devices holds is borrowed from
// the device manager (between its polls) instead of being opened a second
// time, which the port's lock would refuse; any other port is opened with
// open. list is the system's serial ports, for devices configured by USB
// identity.
func (t *Terminal) TechnicianOpener(list func() ([]serialport.Port, error), open technician.Opener) technician.Opener {
	return func(path string, baud int) (technician.Conn, error) {
		for kind, p := range t.ConfiguredPorts(list) {
			if p == path {
				return t.borrow(kind)
			}
		}
		return open(path, baud)
	}
}

// borrowHold is the longest a device's line is lent: a card test waits
// 30 s for a card.
const borrowHold = 45 * time.Second

// errHeld is a port one of the kiosk's own devices holds.
var errHeld = errors.New("held by the kiosk's own device")

// TechnicianDetect finds the devices again from the running kiosk: every
// listed port and the devices' own ports; a port the kiosk's device
// manager holds is not probed a second time (its reads would race the
// manager's) but reported as the manager last saw its device, which it
// probes with the device's own protocol all along.
func (t *Terminal) TechnicianDetect(list technician.Lister, open technician.Opener, timeout time.Duration) func(ctx context.Context) ([]technician.Finding, error) {
	return func(ctx context.Context) ([]technician.Finding, error) {
		if list == nil {
			list = func() ([]serialport.Port, error) { return nil, nil }
		}
		held := map[string]kiosk.DeviceKind{}
		var extra []string
		for _, role := range technician.Roles {
			if p := t.ConfiguredPorts(list)[role]; p != "" {
				held[p] = role
				extra = append(extra, p)
			}
		}
		opener := func(path string, baud int) (technician.Conn, error) {
			if _, ok := held[path]; ok {
				return nil, errHeld
			}
			return open(path, baud)
		}
		found, err := technician.Detect(ctx, list, extra, opener, timeout)
		snap := t.manager.Snapshot()
		for i, f := range found {
			if kind, ok := held[f.Port.Path]; ok {
				st, _ := snap.Status(kind)
				found[i] = technician.Finding{Port: f.Port, Kind: kind, Name: "the kiosk's " + string(kind), Status: st, Answer: st.Detail}
			}
		}
		return found, err
	}
}

// borrowed is a device's line lent by the manager until Close.
type borrowed struct {
	serialport.Line
	release chan struct{}
	done    chan error
}

func (b borrowed) Close() error {
	close(b.release)
	return <-b.done
}

// borrow takes kind's open line from the device manager; the device is
// not polled until the line is given back.
func (t *Terminal) borrow(kind kiosk.DeviceKind) (technician.Conn, error) {
	got := make(chan serialport.Line, 1)
	b := borrowed{release: make(chan struct{}), done: make(chan error, 1)}
	go func() {
		b.done <- t.manager.Use(t.ctx, kind, func(rw serialport.Line) error {
			got <- rw
			// Given back on Close; never kept past the terminal's end or
			// borrowHold, so an abandoned test cannot stop the device
			// manager for good.
			hold := time.NewTimer(borrowHold)
			defer hold.Stop()
			select {
			case <-b.release:
			case <-t.ctx.Done():
			case <-hold.C:
			}
			return nil
		})
	}()
	select {
	case b.Line = <-got:
		return b, nil
	case err := <-b.done:
		return nil, err
	}
}

// techHold is technician mode's hold on the scanner's codes.
type techHold struct {
	mu     sync.Mutex
	held   bool
	waiter chan kiosk.ScanEvent // a scanner test waiting for a code
}

// take keeps ev from the resident session while technician mode is on,
// handing it to a waiting scanner test.
func (h *techHold) take(ev kiosk.ScanEvent) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.held {
		return false
	}
	if h.waiter != nil {
		select {
		case h.waiter <- ev:
		default:
		}
	}
	return true
}

// HoldForTechnician is on while technician mode is on the screen: a code
// shown to the scanner (a technician's test code) then never reaches the
// resident session underneath.
func (t *Terminal) HoldForTechnician(on bool) {
	t.techHold.mu.Lock()
	t.techHold.held = on
	t.techHold.mu.Unlock()
}

// TechnicianTester tests the devices of the running terminal: the scanner
// by the next code its own scan feed reads (the feed holds the scanner's
// line, so reading it a second time would split the codes), the others
// with base (through TechnicianOpener's borrowed lines). wait bounds the
// scanner's wait; 0: 30 s.
func (t *Terminal) TechnicianTester(base technician.Tester, wait time.Duration) technician.Tester {
	return techTester{t: t, base: base, wait: wait}
}

type techTester struct {
	t    *Terminal
	base technician.Tester
	wait time.Duration
}

func (tt techTester) Test(ctx context.Context, role kiosk.DeviceKind, path string) (string, error) {
	if role != kiosk.DeviceScanner || tt.t.feed == nil {
		return tt.base.Test(ctx, role, path)
	}
	h := &tt.t.techHold
	got := make(chan kiosk.ScanEvent, 1)
	h.mu.Lock()
	h.waiter = got
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		h.waiter = nil
		h.mu.Unlock()
	}()
	wait := tt.wait
	if wait == 0 {
		wait = 30 * time.Second
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case ev := <-got:
		if ev.Err != nil {
			return "", fmt.Errorf("a code was read but cannot be used: %w", ev.Err)
		}
		// The kind only: a 随申码's token is a resident's.
		return "code read (" + string(ev.Code.Kind) + ")", nil
	case <-timer.C:
		return "", technician.ErrNothingPresented
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
