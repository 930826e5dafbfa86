package main

import (
	"context"
	"fmt"
	"github.com/tongban/tongban/kiosk/config"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/outbox"
	"github.com/tongban/tongban/kiosk/uplink"
)

// version is the kiosk software's version, reported in heartbeats.
const version = "0.1.0"

// startUplink starts the sync to the back office: an in-process one on
// loopback when simulating without an address, else the enrolled one over
// mutual TLS. When the back office cannot be reached or the terminal is
// not enrolled, residents are still served: the queue holds their work.
func startUplink(ctx context.Context, cfg config.Config, log *slog.Logger, t *terminal) (flow.Confirmer, flow.Tickets, kiosk.StatusQuery, flow.Appointments) {
	uc := uplink.Config{
		Terminal: cfg.Terminal, Center: cfg.Center, Version: version, Queue: auditedQueue{t.queue, t.record},
		Clock: kiosk.SystemClock{}, Logger: log,
		BundleDir: filepath.Join(cfg.DataDir, "bundles"),
		Devices: func() []kiosk.DeviceStatus {
			var ds []kiosk.DeviceStatus
			for _, d := range t.manager.Snapshot().Devices {
				ds = append(ds, d)
			}
			return ds
		},
		State:          func() kiosk.TerminalState { return t.manager.Snapshot().Terminal },
		Reachable:      t.manager.SetBackOffice,
		HeartbeatEvery: 15 * time.Second,
		SyncEvery:      cfg.SyncEvery,
	}
	switch {
	case cfg.BackOffice == "" && cfg.Simulate:
		l, err := backoffice.ListenLocal(ctx, backoffice.LocalOptions{Dir: filepath.Join(cfg.DataDir, "backoffice"), Center: cfg.Center, Logger: log.With("side", "backoffice")})
		if err != nil {
			log.Error("the local back office did not start; submissions stay queued", "err", err)
			return nil, nil, t.queue, nil
		}
		uc.BaseURL, uc.BundleKeys = l.URL, []bundle.PublicKey{l.BundleKey}
		log.Info("local back office started", "url", l.URL)
	default:
		id, err := uplink.LoadIdentity(filepath.Join(cfg.DataDir, "identity"))
		if err != nil {
			log.Error("this terminal is not enrolled with the back office; submissions stay queued until it is (kioskctl enrol)", "err", err)
			return nil, nil, t.queue, nil
		}
		uc.BaseURL, uc.HTTP, uc.BundleKeys = id.Server, id.HTTPClient(nil), []bundle.PublicKey{id.BundlePublicKey()}
	}
	c, err := uplink.New(uc)
	if err != nil {
		log.Error("the uplink did not start; submissions stay queued", "err", err)
		return nil, nil, t.queue, nil
	}
	go func() {
		if err := c.Run(ctx); err != nil && ctx.Err() == nil {
			log.Error("uplink stopped", "err", err)
		}
	}()
	return confirmer{c, t.queue}, tickets{c}, statusQuery{c, t.queue}, appointments{c}
}

// confirmer syncs at once after a submission so the receipt can carry the
// official number when the back office is there.
type confirmer struct {
	c *uplink.Client
	q *outbox.Outbox
}

func (f confirmer) Confirm(ctx context.Context, id string) (string, error) {
	if _, err := f.c.SyncOnce(ctx); err != nil {
		f.c.Notify() // the background loop retries with backoff
		return "", err
	}
	e, err := f.q.Get(id)
	if err != nil {
		return "", err
	}
	if e.Official == "" {
		return "", fmt.Errorf("not yet acknowledged")
	}
	return e.Official, nil
}

// tickets issues counter numbers from the back office.
type tickets struct{ c *uplink.Client }

func (t tickets) Take(ctx context.Context, service kiosk.Text) (kiosk.Ticket, error) {
	return t.c.Ticket(ctx, "A", service, kiosk.LangZH) // A: the general counter queue
}

// statusQuery asks the back office, and falls back to what the terminal
// knows when it cannot be reached.
type statusQuery struct {
	c *uplink.Client
	q *outbox.Outbox
}

func (s statusQuery) Status(ctx context.Context, receipt string) (kiosk.SubmissionStatus, error) {
	if st, err := s.c.Status(ctx, receipt); err == nil {
		return st, nil
	}
	return s.q.Status(ctx, receipt)
}

// appointments books counter times with the back office.
type appointments struct{ c *uplink.Client }

func (a appointments) Slots(ctx context.Context, item kiosk.ItemCode, from time.Time, days int) ([]kiosk.Slot, error) {
	var out []kiosk.Slot
	for d := range days {
		slots, err := a.c.Slots(ctx, from.AddDate(0, 0, d))
		if err != nil {
			return nil, err
		}
		for _, s := range slots {
			if s.Available > 0 && s.Start.After(from) {
				out = append(out, kiosk.Slot{ID: s.ID, Start: s.Start, Available: s.Available})
			}
		}
	}
	return out, nil
}

func (a appointments) Book(ctx context.Context, slotID string, item kiosk.Item, who kiosk.Identity) (kiosk.Appointment, error) {
	ap, err := a.c.Book(ctx, slotID, item.Code, who.Number)
	if err != nil {
		return kiosk.Appointment{}, err
	}
	return kiosk.Appointment{ID: ap.ID, Center: ap.Center, Item: item.Name, Start: ap.Start}, nil
}

// auditedQueue records in the audit log what the back office answered for
// each submission: synced with its official number, or quarantined.
type auditedQueue struct {
	*outbox.Outbox
	record func(kind, ref, detail string)
}

func (q auditedQueue) Acknowledge(id, official string) error {
	err := q.Outbox.Acknowledge(id, official)
	if err == nil {
		q.record("submission.synced", id, official)
	}
	return err
}

func (q auditedQueue) Quarantine(id, reason string) error {
	err := q.Outbox.Quarantine(id, reason)
	if err == nil {
		q.record("submission.quarantined", id, "")
	}
	return err
}
