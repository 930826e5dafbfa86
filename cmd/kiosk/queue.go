package main

import (
	"context"
	"fmt"
	"github.com/tongban/tongban/kiosk/config"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/outbox"
)

// openQueue opens the offline queue in the data folder, with its terminal
// key in a separate file. A damaged queue file is moved aside by the
// outbox and reported here; the kiosk goes on with a fresh one.
func openQueue(ctx context.Context, cfg config.Config, log *slog.Logger, t *terminal, record func(kind, ref, detail string)) (*outbox.Outbox, flow.Numbering, error) {
	key, err := outbox.LoadOrCreateKey(filepath.Join(cfg.DataDir, "terminal.key"))
	if err != nil {
		return nil, nil, fmt.Errorf("the terminal key: %w", err)
	}
	q, rep, err := outbox.Open(filepath.Join(cfg.DataDir, "queue.db"), outbox.Options{Key: key, Logger: log, Retention: cfg.Retention})
	if err != nil {
		return nil, nil, fmt.Errorf("the offline queue cannot be opened: %w", err)
	}
	t.closers = append(t.closers, q.Close)
	t.queue = q
	if rep.Damaged {
		log.Error("the queue file was damaged and moved aside; a fresh queue is in use",
			"moved_to", rep.MovedTo, "problem", rep.Problem)
		t.alarms = append(t.alarms, "damaged-queue")
	}
	if rep.Resumed > 0 || rep.Unreadable > 0 {
		log.Warn("queue recovered at start", "resumed", rep.Resumed, "quarantined_unreadable", rep.Unreadable)
	}
	numbers := func(now time.Time) (string, string, error) {
		id, err := outbox.NewSubmissionID()
		if err != nil {
			return "", "", err
		}
		local, err := q.NextLocalReceipt(cfg.Terminal, now)
		return id, local, err
	}
	go purgeDaily(ctx, q, log, record)
	return q, numbers, nil
}

// purgeDaily shreds acknowledged submissions past their retention and
// compacts the file, once at start and then every day.
func purgeDaily(ctx context.Context, q *outbox.Outbox, log *slog.Logger, record func(kind, ref, detail string)) {
	for {
		if n, err := q.Purge(time.Now()); err != nil {
			log.Warn("queue purge failed", "err", err)
		} else if n > 0 {
			record("submission.purged", "", fmt.Sprintf("%d submissions past retention shredded", n))
			if _, err := q.Compact(); err != nil {
				log.Warn("queue compaction failed", "err", err)
			} else {
				record("queue.compacted", "", "")
			}
			log.Info("queue purged", "purged", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(24 * time.Hour):
		}
	}
}
