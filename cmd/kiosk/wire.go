package main

import (
	"context"
	"fmt"
	"github.com/tongban/tongban/kiosk/config"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/devices/scanner"
	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/catalog"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/form"
	"github.com/tongban/tongban/kiosk/hardware"
	"github.com/tongban/tongban/kiosk/i18n"
	"github.com/tongban/tongban/kiosk/outbox"
	"github.com/tongban/tongban/kiosk/pinyin"
	"github.com/tongban/tongban/kiosk/scancode"
	"github.com/tongban/tongban/kiosk/ui"
	servicescatalog "github.com/tongban/tongban/services-catalog"
)

// terminal is everything the kiosk runs, wired together.
type terminal struct {
	session   *flow.Session
	uiOptions ui.Options
	manager   *hardware.Manager
	closers   []func() error
	cancel    context.CancelFunc
	sims      *simulators // nil on real devices
	reader    *hardware.ManagedIDReader
	queue     *outbox.Outbox
	alarms    []string                       // raised at start, sent with the first heartbeat
	exit      func()                         // stops the kiosk (staff menu)
	record    func(kind, ref, detail string) // appends to the audit log
}

// ready is called once the attract screen is first drawn.
func (t *terminal) ready() {}

// Close stops everything the terminal started, last started first.
func (t *terminal) Close() error {
	t.cancel()
	for i := len(t.closers) - 1; i >= 0; i-- {
		_ = t.closers[i]()
	}
	return nil
}

// wire builds the terminal from its configuration. What can fail without
// stopping residents from being served (a device, the back office) is
// logged in plain words and shown as device status instead.
func wire(parent context.Context, cfg config.Config, log *slog.Logger, exit func()) (*terminal, error) {
	ctx, cancel := context.WithCancel(parent)
	t := &terminal{cancel: cancel, exit: exit}
	clock := kiosk.SystemClock{}

	cat, err := catalog.Load(servicescatalog.FS())
	if err != nil {
		cancel()
		return nil, fmt.Errorf("the services catalog does not load: %w", err)
	}
	log.Info("catalog loaded", "version", cat.Version(), "items", cat.Len())

	if cfg.Simulate {
		t.sims, err = startSimulators(ctx, filepath.Join(cfg.DataDir, "dev"), log)
		if err != nil {
			cancel()
			return nil, err
		}
		t.closers = append(t.closers, t.sims.close)
		cfg.IDReader.Port, cfg.Printer.Port, cfg.Scanner.Port = t.sims.readerPath, t.sims.printerPath, t.sims.scannerPath
	}

	profile, err := escpos.ProfileForWidth(cfg.PaperWidth)
	if err != nil {
		cancel()
		return nil, err
	}
	printerCfg := hardware.PrinterConfig{Profile: profile, Logger: log}
	feed := hardware.NewScanFeed(scanner.Options{Framing: scanner.Framing{Suffix: scanner.SuffixCR}}, scancode.DefaultRules(), 4, log)
	specs := []hardware.DeviceSpec{
		{Kind: kiosk.DevicePrinter, Port: matchOf(cfg.Printer), Mode: serialport.Mode{Baud: cfg.Printer.Baud, ReadTimeout: 200 * time.Millisecond},
			Status: hardware.PrinterStatus(printerCfg), Essential: false},
		{Kind: kiosk.DeviceScanner, Port: matchOf(cfg.Scanner), Mode: serialport.Mode{Baud: cfg.Scanner.Baud, ReadTimeout: 200 * time.Millisecond},
			Attach: feed.Attach},
	}
	specs = append(specs, readerSpec(cfg))
	t.manager, err = hardware.New(hardware.Config{Devices: specs, Clock: clock, Logger: log})
	if err != nil {
		cancel()
		return nil, fmt.Errorf("device manager: %w", err)
	}
	go func() {
		if err := t.manager.Run(ctx); err != nil && ctx.Err() == nil {
			log.Error("device manager stopped", "err", err)
		}
	}()
	printer := hardware.NewManagedPrinter(t.manager, printerCfg)

	auditLog, err := audit.Open(filepath.Join(cfg.DataDir, "audit.log"), clock.Now)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("the audit log cannot be opened: %w", err)
	}
	t.closers = append(t.closers, auditLog.Close)
	record := func(kind, ref, detail string) {
		actor := "resident"
		switch {
		case strings.HasPrefix(kind, "staff."):
			actor = "staff"
		case strings.HasPrefix(kind, "queue.") || kind == string(audit.SubmissionPurged):
			actor = "system"
		}
		if err := auditLog.Append(audit.Event{Kind: audit.Kind(kind), Actor: actor, Ref: ref, Detail: detail}); err != nil {
			log.Error("audit entry not written", "kind", kind, "err", err)
		}
	}
	t.record = record
	queue, numbers, err := openQueue(ctx, cfg, log, t, record)
	if err != nil {
		cancel()
		return nil, err
	}
	for _, a := range t.alarms {
		record(string(audit.QueueDamaged), "", a)
	}
	confirmer, tickets, status, bookings := startUplink(ctx, cfg, log, t)

	places, err := form.LoadPlaces()
	if err != nil {
		cancel()
		return nil, fmt.Errorf("the district list does not load: %w", err)
	}

	gate := func(it kiosk.Item) (bool, kiosk.Text) {
		a := t.manager.Snapshot().Availability(it)
		return a.Available, a.Reason
	}
	t.session = flow.New(flow.Deps{
		Terminal:     flow.Terminal{CenterName: cfg.CenterName, Center: cfg.Center, Code: cfg.Terminal},
		Clock:        clock,
		Logger:       log,
		Reader:       newCardReader(t, log),
		Queue:        queue,
		Printer:      printer,
		Catalog:      cat,
		Forms:        form.Rules{Today: clock.Now, Places: places},
		Audit:        record,
		Eligible:     eligibility(cat),
		Gate:         gate,
		Numbers:      numbers,
		Confirmer:    confirmer,
		Status:       status,
		Tickets:      tickets,
		Staff:        newStaffDesk(cfg, t, printer, cat),
		Appointments: bookings,
		ProgressURL:  scancode.ProgressLink,
	})
	t.reader.OnPresence = t.session.CardPresence
	go forwardScans(ctx, feed, t.session)
	go forwardDevices(ctx, t.manager, t.session, log)
	words, err := i18n.Load()
	if err != nil {
		cancel()
		return nil, fmt.Errorf("the screens' words do not load: %w", err)
	}
	t.uiOptions = ui.Options{Browser: ui.CatalogBrowser(cat), Gate: gate, Pinyin: pinyin.Candidates, Places: places, Clock: clock, Words: words}
	return t, nil
}

func matchOf(d config.DeviceConfig) serialport.Match {
	m := serialport.Match{Path: d.Port, SerialNumber: d.Serial}
	if d.USB != "" {
		m.VID, m.PID = d.USB[:4], d.USB[5:]
	}
	return m
}

// eligibility asks the catalog's rules before a form starts.
func eligibility(cat *catalog.Catalog) flow.Eligibility {
	return func(it kiosk.Item, who kiosk.Identity, today time.Time) (bool, kiosk.Text) {
		v, err := cat.Eligible(it.Code, who, nil, today)
		if err != nil {
			return false, kiosk.MessageOf(err)
		}
		if v.OK() {
			return true, kiosk.Text{}
		}
		return false, kiosk.MessageOf(v.Err())
	}
}

// forwardScans feeds the scanner's events into the session.
func forwardScans(ctx context.Context, feed *hardware.ScanFeed, s *flow.Session) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-feed.Events():
			if ev.Err != nil {
				s.ScanFailed(ev.Err)
				continue
			}
			s.Scanned(ev.Code)
		}
	}
}

// forwardDevices tells the session of every change in the devices or the
// back office, so what the resident sees follows within the manager's poll.
func forwardDevices(ctx context.Context, m *hardware.Manager, s *flow.Session, log *slog.Logger) {
	snaps, stop := m.Subscribe()
	defer stop()
	reachable := false
	for {
		select {
		case <-ctx.Done():
			return
		case snap, ok := <-snaps:
			if !ok {
				return
			}
			if snap.BackOffice != reachable {
				reachable = snap.BackOffice
				log.Info("back office", "reachable", reachable)
			}
			s.DevicesChanged(snap.Terminal, hardware.TerminalWords(snap.Terminal))
		}
	}
}
