package terminal

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/outbox"
)

// openQueue opens the offline queue in the data folder, with its terminal
// key in a separate file. A damaged queue file is moved aside by the
// outbox and reported here with an alarm; the kiosk goes on with a fresh
// one.
func (t *Terminal) openQueue() error {
	key, err := outbox.LoadOrCreateKey(filepath.Join(t.cfg.DataDir, "terminal.key"))
	if err != nil {
		return fmt.Errorf("the terminal key: %w", err)
	}
	q, rep, err := outbox.Open(filepath.Join(t.cfg.DataDir, "queue.db"), outbox.Options{Key: key, Logger: t.log, Retention: t.cfg.Retention, Now: t.opts.Clock.Now})
	if err != nil {
		return fmt.Errorf("the offline queue cannot be opened: %w", err)
	}
	t.queue = q
	t.closers = append(t.closers, q.Close)
	if rep.Damaged {
		t.log.Error("the queue file was damaged and moved aside; a fresh queue is in use",
			"moved_to", rep.MovedTo, "problem", rep.Problem)
		t.record(string(audit.QueueDamaged), "", "damaged-queue")
		t.raise(string(api.AlarmQueueDamaged), "queue", "the queue file was damaged and moved aside: "+rep.Problem)
	}
	if rep.Resumed > 0 || rep.Unreadable > 0 {
		t.log.Warn("queue recovered at start", "resumed", rep.Resumed, "quarantined_unreadable", rep.Unreadable)
	}
	return nil
}

// purgeDaily shreds acknowledged submissions past their retention and
// compacts the file, once at start and then every day, on the terminal's
// clock.
func (t *Terminal) purgeDaily(ctx context.Context) {
	for {
		if n, err := t.queue.Purge(t.opts.Clock.Now()); err != nil {
			t.log.Warn("queue purge failed", "err", err)
		} else if n > 0 {
			t.record(string(audit.SubmissionPurged), "", fmt.Sprintf("%d submissions past retention shredded", n))
			if _, err := t.queue.Compact(); err != nil {
				t.log.Warn("queue compaction failed", "err", err)
			} else {
				t.record("queue.compacted", "", "")
			}
			t.log.Info("queue purged", "purged", n)
		}
		if !t.sleep(ctx, 24*time.Hour) {
			return
		}
	}
}

// sleep waits d on the terminal's clock; false when ctx ended first.
func (t *Terminal) sleep(ctx context.Context, d time.Duration) bool {
	done := make(chan struct{})
	timer := t.opts.Clock.AfterFunc(d, func() { close(done) })
	select {
	case <-done:
		return true
	case <-ctx.Done():
		timer.Stop()
		return false
	}
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
