package terminal

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/devices/idcard"
	"github.com/tongban/tongban/devices/ipp"
	"github.com/tongban/tongban/devices/scanner"
	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/config"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/hardware"
	"github.com/tongban/tongban/kiosk/outbox"
	"github.com/tongban/tongban/kiosk/scancode"
)

// startDevices builds the device manager and the adapters the session
// uses; the manager starts looking for the devices in run.
func (t *Terminal) startDevices() error {
	profile, err := escpos.ProfileForWidth(t.cfg.PaperWidth)
	if err != nil {
		return err
	}
	printerCfg := hardware.PrinterConfig{Profile: profile, Logger: t.log, OnPrinted: t.receiptPrinted}
	t.feed = hardware.NewScanFeed(scanner.Options{Framing: scanner.Framing{Suffix: scanner.SuffixCR}}, scancode.DefaultRules(), 4, t.log)
	mode := func(d config.DeviceConfig) serialport.Mode {
		return serialport.Mode{Baud: d.Baud}
	}
	specs := []hardware.DeviceSpec{
		{Kind: kiosk.DevicePrinter, Port: matchOf(t.cfg.Printer), Mode: mode(t.cfg.Printer),
			Status: hardware.PrinterStatus(printerCfg), Essential: false},
		{Kind: kiosk.DeviceScanner, Port: matchOf(t.cfg.Scanner), Mode: mode(t.cfg.Scanner),
			Attach: t.feed.Attach},
		{Kind: kiosk.DeviceIDReader, Port: matchOf(t.cfg.IDReader), Mode: mode(t.cfg.IDReader),
			Probe:     hardware.SAMStatusProbe,
			Essential: false}, // residents can still identify with 随申码
	}
	if a4 := t.cfg.A4; a4.Queue != "" {
		client, err := ipp.New(a4.Server, a4.Queue, ipp.Options{})
		if err != nil {
			return fmt.Errorf("A4 printer: %w", err)
		}
		t.a4 = hardware.NewA4Printer(hardware.A4Config{Queue: client, Name: a4.Queue, Clock: t.opts.Clock, Logger: t.log})
		specs = append(specs, hardware.DeviceSpec{Kind: kiosk.DeviceA4Printer, Watch: t.a4.Watch(0)})
	}
	t.manager, err = hardware.New(hardware.Config{Devices: specs, Clock: t.opts.Clock, Logger: t.log})
	if err != nil {
		return fmt.Errorf("device manager: %w", err)
	}
	t.printer = hardware.NewManagedPrinter(t.manager, printerCfg)
	t.reader = hardware.NewManagedIDReader(t.manager, &idcard.Options{Logger: t.log},
		hardware.IDReaderOptions{Logger: t.log, Read: idcard.ReadOptions{AppendedAddress: true}})
	return nil
}

// receiptPrinted records in the queue that a receipt printed whole, so
// that after a kill the staff menu lists only those that did not.
func (t *Terminal) receiptPrinted(job hardware.PrintJob) {
	if job.Kind != hardware.JobReceipt || t.queue == nil {
		return
	}
	if err := t.queue.MarkPrinted(job.Label); err != nil {
		t.log.Warn("a printed receipt was not marked printed; staff may see it listed for reprint", "receipt", job.Label, "err", err)
	}
}

// queueReceipts are the queue's unprinted receipts for the staff menu.
type queueReceipts struct{ t *Terminal }

func (q queueReceipts) Unprinted() ([]outbox.Entry, error) { return q.t.queue.Unprinted() }

// Receipt rebuilds the receipt of a stored submission as the session
// built it, with the official number once known.
func (q queueReceipts) Receipt(e outbox.Entry) (kiosk.Receipt, error) {
	sub, err := q.t.queue.Open(e.ID)
	if err != nil {
		return kiosk.Receipt{}, err
	}
	it, ok := q.t.catalogs.Item(sub.Item)
	if !ok {
		it = kiosk.Item{Code: sub.Item, Name: sub.ItemName}
	}
	cfg := q.t.cfg
	r := flow.ReceiptOf(flow.Terminal{CenterName: cfg.CenterName, Center: cfg.Center, Code: cfg.Terminal}, it, sub, scancode.ProgressLink)
	if e.Official != "" {
		r.Official, r.Queued = e.Official, false
	}
	return r, nil
}

func matchOf(d config.DeviceConfig) serialport.Match {
	m := serialport.Match{Path: d.Port, SerialNumber: d.Serial}
	if len(d.USB) == 9 {
		m.VID, m.PID = d.USB[:4], d.USB[5:]
	}
	return m
}

// forwardScans feeds the scanner's events into the session, but for those
// divert takes (technician mode's).
func forwardScans(ctx context.Context, feed *hardware.ScanFeed, s *flow.Session, divert func(kiosk.ScanEvent) bool) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-feed.Events():
			if divert != nil && divert(ev) {
				continue
			}
			if ev.Err != nil {
				s.ScanFailed(ev.Err)
				continue
			}
			s.Scanned(ev.Code)
		}
	}
}

// forwardDevices tells the session of every change in the devices or the
// back office, so what the resident sees follows within the manager's poll,
// and of every change in what the center has connected (a signal on
// connected): the screen is then checked again with the devices as last
// told, never with an older snapshot than the session has.
func forwardDevices(ctx context.Context, m *hardware.Manager, s *flow.Session, log *slog.Logger, connected <-chan struct{}) {
	snaps, stop := m.Subscribe()
	defer stop()
	reachable := false
	var last *hardware.Snapshot
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
			last = &snap
			s.DevicesChanged(snap.Terminal, hardware.TerminalWords(snap.Terminal))
		case <-connected:
			if last != nil { // else the first snapshot, pending, checks it
				s.DevicesChanged(last.Terminal, hardware.TerminalWords(last.Terminal))
			}
		}
	}
}
