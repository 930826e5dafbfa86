package intake

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// Queue stores a new submission durably, assigning its ID and local
// receipt number in the transaction that stores it (kiosk/outbox Add).
type Queue interface {
	Add(ctx context.Context, s kiosk.Submission) (kiosk.Submission, error)
}

// Sender uploads one stored submission and returns its official receipt
// number (kiosk/uplink Client.Send).
type Sender interface {
	Send(ctx context.Context, s kiosk.Submission) (official string, err error)
}

// Config wires an Intake. Queue is required; without a Sender every
// submission is accepted as queued.
type Config struct {
	Queue  Queue
	Sender Sender
	// Refused tells whether an error of Sender is a refusal of the
	// content (uplink.RefusedError); nil: never.
	Refused func(error) bool
	// Audit appends to the audit log (kind, a reference that is never a
	// person, detail). Nil: nothing recorded.
	Audit  func(kind, ref, detail string)
	Logger *slog.Logger // nil: discard
	// Wait bounds the wait for the back office's answer; 0: 2 s. The
	// caller's context may end it sooner.
	Wait time.Duration
}

// Intake accepts submissions. It is safe for concurrent use.
type Intake struct{ cfg Config }

// New returns an Intake.
func New(cfg Config) (*Intake, error) {
	if cfg.Queue == nil {
		return nil, errors.New("intake: a queue is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Audit == nil {
		cfg.Audit = func(kind, ref, detail string) {}
	}
	if cfg.Refused == nil {
		cfg.Refused = func(error) bool { return false }
	}
	if cfg.Wait <= 0 {
		cfg.Wait = 2 * time.Second
	}
	return &Intake{cfg: cfg}, nil
}

// Words for the resident when the back office refuses the content.
var msgRefused = kiosk.Msg("submit.refused")

// Accept stores s, records it, sends it and returns what the receipt
// needs. s's ID and LocalReceipt are assigned here. See the package doc
// for what each failure means.
func (in *Intake) Accept(ctx context.Context, s kiosk.Submission) (kiosk.Accepted, error) {
	const op = "intake.Accept"
	stored, err := in.cfg.Queue.Add(ctx, s)
	if err != nil {
		in.cfg.Logger.Warn("submission not stored", "kind", int(kiosk.KindOf(err)), "err", err)
		var ke *kiosk.Error
		if errors.As(err, &ke) {
			return kiosk.Accepted{}, err
		}
		return kiosk.Accepted{}, &kiosk.Error{Op: op, Kind: kiosk.KindInternal, Err: err}
	}
	acc := kiosk.Accepted{ID: stored.ID, LocalReceipt: stored.LocalReceipt, Queued: true}
	in.cfg.Logger.Info("submission accepted", "id", stored.ID, "receipt", stored.LocalReceipt, "item", string(stored.Item))
	in.cfg.Audit("submission.accepted", stored.ID, stored.LocalReceipt)
	if in.cfg.Sender == nil {
		return acc, nil
	}
	sctx, cancel := context.WithTimeout(ctx, in.cfg.Wait)
	defer cancel()
	official, err := in.cfg.Sender.Send(sctx, stored)
	switch {
	case err == nil && official != "":
		acc.Official, acc.Queued = official, false
	case err != nil && in.cfg.Refused(err):
		in.cfg.Logger.Warn("submission refused by the back office; quarantined for staff", "id", stored.ID, "receipt", stored.LocalReceipt)
		return kiosk.Accepted{}, &kiosk.Error{Op: op, Kind: kiosk.KindInvalid, Message: msgRefused, Err: err}
	case err != nil:
		in.cfg.Logger.Info("submission queued; the back office did not confirm it in time", "receipt", stored.LocalReceipt, "err", err)
	}
	return acc, nil
}
