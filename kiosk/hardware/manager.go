package hardware

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"sync"
	"time"

	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
)

// DefaultPollInterval is how often an online device is probed when
// Config.PollInterval is 0: well under the one second in which a pulled
// paper roll must reach the screen.
const DefaultPollInterval = 400 * time.Millisecond

// Config configures a Manager. Open, List and Exists default to the real
// serial ports and file system; tests replace them.
type Config struct {
	Devices      []DeviceSpec
	PollInterval time.Duration // 0 means DefaultPollInterval
	Backoff      Backoff
	Clock        kiosk.Clock  // nil means kiosk.SystemClock
	Logger       *slog.Logger // nil discards

	Open   func(path string, m serialport.Mode) (Port, error)
	List   func() ([]serialport.Port, error)
	Exists func(path string) bool
}

// Manager finds, confirms, watches and reconnects the terminal's devices
// and publishes their status. Create it with New, start it with Run.
type Manager struct {
	cfg     Config
	clock   kiosk.Clock
	log     *slog.Logger
	devices map[kiosk.DeviceKind]*device

	mu         sync.Mutex
	statuses   map[kiosk.DeviceKind]kiosk.DeviceStatus
	essential  map[kiosk.DeviceKind]bool
	backOffice bool
	subs       map[chan Snapshot]struct{}
	rescan     chan struct{} // closed and replaced by Rescan
}

// device is one configured device and its open port, if any.
type device struct {
	spec DeviceSpec
	// use is a one-slot semaphore serialising the manager's probes with
	// drivers' Use of conn.
	use  chan struct{}
	conn Port          // nil while not online; guarded by use
	poke chan struct{} // asks the poll loop to probe now
}

// New checks the configuration and returns a manager. Every configured
// device starts offline until Run has confirmed it.
func New(cfg Config) (*Manager, error) {
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	cfg.Backoff = cfg.Backoff.withDefaults()
	if cfg.Open == nil {
		cfg.Open = openSerial
	}
	if cfg.List == nil {
		cfg.List = serialport.List
	}
	if cfg.Exists == nil {
		cfg.Exists = func(path string) bool { _, err := os.Stat(path); return err == nil }
	}
	m := &Manager{
		cfg:       cfg,
		clock:     cfg.Clock,
		log:       cfg.Logger,
		devices:   make(map[kiosk.DeviceKind]*device),
		statuses:  make(map[kiosk.DeviceKind]kiosk.DeviceStatus),
		essential: make(map[kiosk.DeviceKind]bool),
		subs:      make(map[chan Snapshot]struct{}),
		rescan:    make(chan struct{}),
	}
	if m.clock == nil {
		m.clock = kiosk.SystemClock{}
	}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	for _, spec := range cfg.Devices {
		if err := spec.Validate(); err != nil {
			return nil, fmt.Errorf("device manager: %w", err)
		}
		if _, dup := m.devices[spec.Kind]; dup {
			return nil, fmt.Errorf("device manager: %s configured twice", spec.Kind)
		}
		m.devices[spec.Kind] = &device{spec: spec, use: make(chan struct{}, 1), poke: make(chan struct{}, 1)}
		m.statuses[spec.Kind] = kiosk.DeviceStatus{Kind: spec.Kind, State: kiosk.DeviceOffline, Detail: "正在检测"}
		m.essential[spec.Kind] = spec.Essential
	}
	return m, nil
}

// Run looks after every device until ctx ends, then closes their ports.
// It returns nil.
func (m *Manager) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, d := range m.devices {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.supervise(ctx, d)
		}()
	}
	wg.Wait()
	return nil
}

// Subscribe returns a channel that holds the latest snapshot: the current
// one at once, then each change. A slow reader misses intermediate
// snapshots, never the latest. cancel stops the subscription.
func (m *Manager) Subscribe() (snapshots <-chan Snapshot, cancel func()) {
	ch := make(chan Snapshot, 1)
	m.mu.Lock()
	m.subs[ch] = struct{}{}
	ch <- m.snapshotLocked()
	m.mu.Unlock()
	return ch, func() {
		m.mu.Lock()
		delete(m.subs, ch)
		m.mu.Unlock()
	}
}

// Snapshot returns the current state.
func (m *Manager) Snapshot() Snapshot {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.snapshotLocked()
}

// SetBackOffice records whether the back office is reachable (the uplink
// calls it after each heartbeat) and publishes the change.
func (m *Manager) SetBackOffice(online bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.backOffice == online {
		return
	}
	m.backOffice = online
	m.publishLocked()
}

// Rescan makes every device that is being looked for try again now,
// e.g. on a udev "add" event.
func (m *Manager) Rescan() {
	m.mu.Lock()
	close(m.rescan)
	m.rescan = make(chan struct{})
	m.mu.Unlock()
}

// Use runs fn with the open port of an online device, serialised with the
// manager's probes. A device that is not online gives a *kiosk.Error of
// kind KindDevice with plain words. When fn fails, the device is probed at
// once, so a dead port is noticed without waiting for the next poll. For a
// device with an Attach reader (the scanner), fn should only write.
func (m *Manager) Use(ctx context.Context, kind kiosk.DeviceKind, fn func(rw serialport.Line) error) error {
	d, ok := m.devices[kind]
	if !ok {
		return &kiosk.Error{Op: "hardware.Use", Kind: kiosk.KindDevice, Message: missingWords(kind)}
	}
	select {
	case d.use <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-d.use }()
	if d.conn == nil {
		return &kiosk.Error{Op: "hardware.Use", Kind: kiosk.KindDevice, Message: deviceWords(kiosk.DeviceStatus{Kind: kind})}
	}
	err := fn(d.conn)
	if err != nil {
		select {
		case d.poke <- struct{}{}:
		default:
		}
	}
	return err
}

func (m *Manager) snapshotLocked() Snapshot {
	devices := maps.Clone(m.statuses)
	return Snapshot{
		Devices:    devices,
		BackOffice: m.backOffice,
		Terminal:   terminalState(devices, m.essential),
		At:         m.clock.Now(),
	}
}

// setStatus records a device's status and publishes it if it changed.
func (m *Manager) setStatus(st kiosk.DeviceStatus) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.statuses[st.Kind] == st {
		return
	}
	m.statuses[st.Kind] = st
	m.log.Info("device status", "kind", st.Kind, "state", st.State, "paper", st.Paper, "detail", st.Detail)
	m.publishLocked()
}

func (m *Manager) publishLocked() {
	snap := m.snapshotLocked()
	for ch := range m.subs {
		sendLatest(ch, snap)
	}
}

// sendLatest puts s in a one-slot channel, replacing an unread snapshot.
func sendLatest(ch chan Snapshot, s Snapshot) {
	for {
		select {
		case ch <- s:
			return
		default:
		}
		select {
		case <-ch:
		default:
		}
	}
}

// rescanC returns the channel the next Rescan closes.
func (m *Manager) rescanC() <-chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.rescan
}

// sleep waits for d, a poke, a rescan or the end of ctx.
func (m *Manager) sleep(ctx context.Context, d time.Duration, poke <-chan struct{}) {
	fired := make(chan struct{})
	t := m.clock.AfterFunc(d, func() { close(fired) })
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-fired:
	case <-poke:
	case <-m.rescanC():
	}
}

var errNoPort = errors.New("no matching port")

// openSerial opens a real serial port.
func openSerial(path string, m serialport.Mode) (Port, error) {
	c, err := serialport.Open(path, m)
	if err != nil {
		return nil, err
	}
	return c, nil
}
