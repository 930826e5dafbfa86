package terminal

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/config"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/form"
	"github.com/tongban/tongban/kiosk/hardware"
	"github.com/tongban/tongban/kiosk/i18n"
	"github.com/tongban/tongban/kiosk/intake"
	"github.com/tongban/tongban/kiosk/keystore"
	"github.com/tongban/tongban/kiosk/outbox"
	"github.com/tongban/tongban/kiosk/pinyin"
	"github.com/tongban/tongban/kiosk/scancode"
	"github.com/tongban/tongban/kiosk/staffdesk"
	"github.com/tongban/tongban/kiosk/ui"
	"github.com/tongban/tongban/kiosk/uplink"
)

// Surroundings are simulated devices and, optionally, a back office: what
// a developer's machine has instead of a terminal's hardware.
type Surroundings interface {
	// DevicePorts are the serial paths of the ID reader, printer and scanner.
	DevicePorts() (reader, printer, scanner string)
	// BackOffice is a back office to use instead of the enrolled one, and
	// the keys its bundles are signed with; ok false: none.
	BackOffice() (url string, keys []bundle.PublicKey, ok bool)
	Close() error
}

// Options are what New needs besides the configuration.
type Options struct {
	Logger  *slog.Logger // nil: discard
	Clock   kiosk.Clock  // nil: the system clock
	Version string       // the kiosk software's version, for heartbeats and the self-test page
	// Exit stops the kiosk from the staff menu. Nil: the menu cannot stop it.
	Exit func()
	// Simulate starts the simulated surroundings in dir when the
	// configuration says simulate. Nil (a production build): a simulated
	// configuration is refused.
	Simulate func(ctx context.Context, dir string, log *slog.Logger) (Surroundings, error)
	// CatalogFS is the catalog when no bundle is installed; nil: the
	// embedded services-catalog.
	CatalogFS fs.FS
	// HeartbeatEvery is the uplink's heartbeat period; 0: 15 s.
	HeartbeatEvery time.Duration
	// ConfirmWait bounds the wait for the official receipt number; 0: 2 s.
	ConfirmWait time.Duration
	// TPM, when set, seals the queue's keys and the identity's private
	// keys instead of the device queue.tpm names (tests: swtpm).
	TPM keystore.Sealer

	failAt string // tests: New fails right after the step of this name
	// beforeEnqueue, in tests, runs as the intake starts storing a
	// submission (the kill loops pick that moment).
	beforeEnqueue func()
}

// Terminal is a wired kiosk terminal. Close stops it.
type Terminal struct {
	cfg  config.Config
	opts Options
	log  *slog.Logger

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	// closers run last first, after every goroutine has stopped.
	closers   []func() error
	closeOnce sync.Once

	session  *flow.Session
	ui       ui.Options
	manager  *hardware.Manager
	reader   *hardware.ManagedIDReader
	printer  *hardware.ManagedPrinter
	feed     *hardware.ScanFeed
	a4       *hardware.A4Printer // nil without an A4 queue configured
	queue    *outbox.Outbox
	audit    *audit.Log
	client   *uplink.Client // nil: no back office reachable from this set-up
	catalogs *catalogs
	staff    *staffdesk.Desk // nil: no staff menu
	sims     Surroundings
	alarms   []alarm // raised before the uplink runs
	// auditBroken is set while audit writes fail, so one alarm covers a run
	// of failures and a new one is raised after a recovery.
	auditBroken atomic.Bool
	// connChanged wakes forwardDevices when a heartbeat changed what the
	// center has connected (connectedChanged).
	connChanged chan struct{}
	// techHold keeps scans from the resident session while technician
	// mode is on the screen, and gives them to its scanner test.
	techHold techHold
	// tpm seals the keys at rest (nil: none); keysAtRest says how they
	// are kept, for the log and diagnostics.
	tpm        keystore.Sealer
	keysAtRest string
	epochs     *keystore.Dir // the queue's day keys
}

type alarm struct{ kind, device, detail string }

// errForced is New's error at Options.failAt.
var errForced = errors.New("terminal: forced failure (test)")

// New builds the terminal from cfg and starts its goroutines. What can
// fail without stopping residents from being served (a device, the back
// office) is logged in plain words and shown as device status instead; an
// error means the terminal cannot serve at all, and everything already
// started has been stopped again.
func New(parent context.Context, cfg config.Config, opts Options) (_ *Terminal, err error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Clock == nil {
		opts.Clock = kiosk.SystemClock{}
	}
	if opts.HeartbeatEvery <= 0 {
		opts.HeartbeatEvery = 15 * time.Second
	}
	ctx, cancel := context.WithCancel(parent)
	t := &Terminal{cfg: cfg, opts: opts, log: opts.Logger, ctx: ctx, cancel: cancel, catalogs: &catalogs{}, connChanged: make(chan struct{}, 1)}
	defer func() {
		if err != nil {
			t.Close()
		}
	}()
	steps := []struct {
		name string
		run  func() error
	}{
		{"simulation", t.startSimulation},
		{"devices", t.startDevices},
		{"audit", t.openAudit},
		{"tpm", t.openTPM},
		{"queue", t.openQueue},
		{"uplink", t.prepareUplink},
		{"catalog", t.loadCatalog},
		{"session", t.buildSession},
		{"run", t.run},
	}
	for _, s := range steps {
		if err := s.run(); err != nil {
			return nil, err
		}
		if opts.failAt == s.name {
			return nil, fmt.Errorf("after %s: %w", s.name, errForced)
		}
	}
	return t, nil
}

// Close stops every goroutine the terminal started, then closes what it
// opened, last opened first. It may be called more than once.
func (t *Terminal) Close() error {
	var errs []error
	t.closeOnce.Do(func() {
		t.cancel()
		t.wg.Wait()
		for i := len(t.closers) - 1; i >= 0; i-- {
			errs = append(errs, t.closers[i]())
		}
	})
	return errors.Join(errs...)
}

// goRun runs f in a goroutine Close waits for.
func (t *Terminal) goRun(f func(ctx context.Context)) {
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		f(t.ctx)
	}()
}

// Session is the resident session the screens render.
func (t *Terminal) Session() *flow.Session { return t.session }

// UIOptions are the screens' options (browser, gate, words, places...).
func (t *Terminal) UIOptions() ui.Options { return t.ui }

// Manager is the device manager.
func (t *Terminal) Manager() *hardware.Manager { return t.manager }

// A4 is the A4 printer (PrintPDF, Wait), or nil when the configuration
// names no CUPS queue (a4.queue): then the A4 items are greyed.
func (t *Terminal) A4() *hardware.A4Printer { return t.a4 }

// Queue is the offline queue.
func (t *Terminal) Queue() *outbox.Outbox { return t.queue }

// Simulated tells whether the terminal runs in simulated surroundings.
func (t *Terminal) Simulated() bool { return t.sims != nil }

// Catalog is the running catalog's version and where it came from.
func (t *Terminal) Catalog() (version, source string) { return t.catalogs.describe() }

func (t *Terminal) startSimulation() error {
	if !t.cfg.Simulate {
		return nil
	}
	if t.opts.Simulate == nil {
		return errors.New("the configuration says simulate, but this kiosk was built without simulation (build it with -tags sim, as `make run` does)")
	}
	s, err := t.opts.Simulate(t.ctx, t.cfg.DataDir, t.log)
	if err != nil {
		return fmt.Errorf("the simulated devices did not start: %w", err)
	}
	t.sims = s
	t.closers = append(t.closers, s.Close)
	t.cfg.IDReader.Port, t.cfg.Printer.Port, t.cfg.Scanner.Port = s.DevicePorts()
	t.cfg.IDReader.USB, t.cfg.Printer.USB, t.cfg.Scanner.USB = "", "", ""
	return nil
}

// openAudit opens the audit log, sealed with the terminal's audit key.
// The key is kept in the terminal's key store, as the queue key is
// (outbox.LoadOrCreateKey: a 0600 file in the data folder, apart from the
// log): auditKeyFile.
func (t *Terminal) openAudit() error {
	keyPath := filepath.Join(t.cfg.DataDir, auditKeyFile)
	_, statErr := os.Stat(keyPath)
	key, err := outbox.LoadOrCreateKey(keyPath)
	if err != nil {
		return fmt.Errorf("the audit key: %w", err)
	}
	l, err := audit.OpenWith(filepath.Join(t.cfg.DataDir, "audit.log"), audit.Options{Key: key, NewKey: errors.Is(statErr, fs.ErrNotExist), Now: t.opts.Clock.Now})
	if err != nil {
		return fmt.Errorf("the audit log cannot be opened: %w", err)
	}
	t.audit = l
	t.closers = append(t.closers, l.Close)
	if f := l.Finding(); f != "" {
		t.log.Error("the audit log was tampered with", "finding", f)
		t.raise(string(alarmAuditRewritten), "audit", clip("at start the audit trail was found rewritten: "+f))
	}
	return nil
}

// auditKeyFile is the audit key's file in the data folder.
const auditKeyFile = "audit.key"

// actorOf is who did what the audit records: a staff event names the
// staff number (or staffdesk.SharedCodeID) its ref carries, as
// "staff:<number>"; a staff event before any sign-in (a failed try) is
// "staff".
func actorOf(kind, ref string) string {
	switch {
	case strings.HasPrefix(kind, "staff.") && ref != "":
		return "staff:" + ref
	case strings.HasPrefix(kind, "staff."):
		return "staff"
	case strings.HasPrefix(kind, "queue.") || strings.HasPrefix(kind, "config.") || kind == string(audit.SubmissionPurged) || kind == "catalog.replaced" || kind == "catalog.refused":
		return "system"
	}
	return "resident"
}

// record appends to the audit log; a failure is logged, never shown.
func (t *Terminal) record(kind, ref, detail string) {
	actor := actorOf(kind, ref)
	if err := t.audit.Append(audit.Event{Kind: audit.Kind(kind), Actor: actor, Ref: ref, Detail: detail}); err != nil {
		t.log.Error("audit entry not written", "kind", kind, "err", err)
		// Never a silently dropped line: staff are told, once per run of
		// failures, which kind of event went unrecorded.
		if t.auditBroken.CompareAndSwap(false, true) {
			t.raise(string(alarmAuditUnwritable), "", clip("the audit trail could not record a "+kind+" event: "+err.Error()))
		}
		return
	}
	t.auditBroken.Store(false)
}

// raise sends an alarm to staff through the uplink, or keeps it for the
// uplink's start.
func (t *Terminal) raise(kind, device, detail string) {
	if t.client != nil {
		t.client.Alarm(alarmKind(kind), device, detail)
		return
	}
	t.alarms = append(t.alarms, alarm{kind, device, detail})
}

func (t *Terminal) buildSession() error {
	places, err := form.LoadPlaces()
	if err != nil {
		return fmt.Errorf("the district list does not load: %w", err)
	}
	words, err := i18n.Load()
	if err != nil {
		return fmt.Errorf("the screens' words do not load: %w", err)
	}
	var sender intake.Sender
	if t.client != nil {
		sender = t.client
	}
	in, err := intake.New(intake.Config{
		Queue: fullAlarm{t.queue, t.raise, new(atomic.Bool), t.opts.beforeEnqueue}, Sender: sender, Audit: t.record, Logger: t.log, Wait: t.opts.ConfirmWait,
		Refused: func(err error) bool {
			var r *uplink.RefusedError
			return errors.As(err, &r)
		},
	})
	if err != nil {
		return err
	}
	gate := func(it kiosk.Item) (bool, kiosk.Text) {
		a := t.manager.Snapshot().Availability(it)
		return a.Available, a.Reason
	}
	var staff flow.StaffDesk
	if d, err := staffdesk.New(staffdesk.Config{
		CodeHash: t.cfg.StaffCodeHash, CodeSHA256: t.cfg.StaffCodeSHA256, Simulated: t.sims != nil,
		CenterName: t.cfg.CenterName, Terminal: t.cfg.Terminal, Version: t.opts.Version,
		Devices: t.manager, Printer: t.printer, Queue: t.queue, Receipts: queueReceipts{t}, Catalog: t.catalogs.describe,
		Exit: t.exit, Now: t.opts.Clock.Now,
		Alarm:  func(kind, detail string) { t.raise(kind, "", detail) },
		Badges: t.cfg.StaffBadges, Center: t.cfg.Center, Staff: t.installedStaff(),
		Locks: staffdesk.LockFile(filepath.Join(t.cfg.DataDir, "staff-lock.json")),
	}); d != nil {
		if err != nil {
			t.log.Warn("staff credentials skipped", "err", err)
		}
		staff, t.staff = d, d
		if t.cfg.StaffBadges && t.cfg.StaffCodeHash != "" {
			t.log.Warn("staff.code_hash is deprecated: the shared code names nobody in the audit; remove it once every member of staff has a badge")
		}
	} else {
		t.log.Info("no staff menu on this terminal", "why", err)
	}
	deps := flow.Deps{
		Terminal:    flow.Terminal{CenterName: t.cfg.CenterName, Center: t.cfg.Center, Code: t.cfg.Terminal},
		Clock:       t.opts.Clock,
		Logger:      t.log,
		Reader:      t.reader,
		Intake:      in,
		Printer:     t.printer,
		Catalog:     t.catalogs,
		Forms:       form.Rules{Today: t.opts.Clock.Now, Places: places},
		Audit:       t.record,
		Eligible:    t.catalogs.eligible,
		Gate:        gate,
		Status:      statusQuery{t.client, t.queue},
		Staff:       staff,
		ProgressURL: scancode.ProgressLink,
		ConfirmWait: t.opts.ConfirmWait,
		Hours:       t.cfg.CounterHours(),
	}
	if t.client != nil {
		deps.Tickets, deps.Appointments = tickets{t.client}, appointments{t.client}
		deps.Identifier = t.client
		deps.CardIdentifier = t.client // each card read vouched for by the back office, in the background
		deps.Departments, deps.Connected = t.client, t.client.Connected
	}
	if t.a4 != nil { // never a nil pointer inside the interface
		deps.A4 = t.a4
	}
	t.session = flow.New(deps)
	t.ui = ui.Options{Browser: t.catalogs, Gate: gate, Pinyin: pinyin.Suggestions, PinyinRest: pinyin.Rest, Places: places, Clock: t.opts.Clock, Words: words}
	return nil
}

func (t *Terminal) exit() {
	if t.opts.Exit != nil {
		t.log.Info("kiosk stopped from the staff menu")
		t.opts.Exit()
	}
}

// run starts the goroutines that serve the session.
func (t *Terminal) run() error {
	t.goRun(func(ctx context.Context) {
		if err := t.manager.Run(ctx); err != nil && ctx.Err() == nil {
			t.log.Error("device manager stopped", "err", err)
		}
	})
	t.goRun(func(ctx context.Context) { forwardScans(ctx, t.feed, t.session, t.techHold.take) })
	t.goRun(func(ctx context.Context) { t.reader.WatchRemovals(ctx, t.session.CardPresence) })
	t.goRun(func(ctx context.Context) { forwardDevices(ctx, t.manager, t.session, t.log, t.connChanged) })
	t.goRun(t.purgeDaily)
	t.goRun(t.swapCatalogs)
	if t.client != nil {
		for _, a := range t.alarms {
			t.client.Alarm(alarmKind(a.kind), a.device, a.detail)
		}
		t.alarms = nil
		t.goRun(func(ctx context.Context) {
			if err := t.client.Run(ctx); err != nil && ctx.Err() == nil {
				t.log.Error("uplink stopped", "err", err)
			}
		})
	}
	return nil
}
