package terminal

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/keystore"
	"github.com/tongban/tongban/kiosk/outbox"
)

// openQueue opens the offline queue in the data folder, with its terminal
// key in a separate file. A damaged queue file is moved aside by the
// outbox and reported here with an alarm; the kiosk goes on with a fresh
// one.
//
// A key is created only for a data folder without a queue. When queue.db
// holds data and its key is missing or damaged, the terminal does not
// start: a new key would not open the queued submissions, and a fresh
// queue beside them would hide them. An alarm is sent to the back office
// first.
func (t *Terminal) openQueue() error {
	keyPath, qPath := filepath.Join(t.cfg.DataDir, "terminal.key"), filepath.Join(t.cfg.DataDir, "queue.db")
	var key []byte
	var err error
	if info, statErr := os.Stat(qPath); statErr == nil && info.Size() > 0 {
		if key, err = outbox.LoadKey(keyPath); err != nil {
			t.log.Error("the terminal key is missing or damaged; the queue was not opened and no new key was made", "key", keyPath, "err", err)
			t.record(string(audit.QueueDamaged), "", "terminal-key-unusable")
			t.raise(string(api.AlarmQueueDamaged), "queue", "the terminal key is missing or damaged: the queue was not opened and the kiosk does not start until terminal.key is restored")
			t.deliverAlarmsNow()
			return fmt.Errorf("the terminal key %s cannot be read (%v): queue.db holds submissions only that key opens, so no new key is made; restore the terminal's own key file", keyPath, err)
		}
	} else if key, err = outbox.LoadOrCreateKey(keyPath); err != nil {
		return fmt.Errorf("the terminal key: %w", err)
	}
	keyDir := t.queueKeyDir()
	keyOpts := keystore.Options{Period: t.cfg.QueueKeyEpoch, Now: t.opts.Clock.Now, Sealer: t.tpm}
	if v, ok := t.tpm.(keystore.Vault); ok {
		keyOpts.Vault = v // the day keys in the TPM itself: a shred there defeats every copy
	}
	epochs, err := keystore.Open(keyDir, keyOpts)
	if err != nil {
		return fmt.Errorf("the queue's key folder: %w", err)
	}
	// Every epoch's key is unsealed now, before the queue looks at its
	// records: a TPM that opens none of them (another machine's disk, a
	// cleared TPM, queue.tpm turned off) touches nothing.
	if opened, errs := epochs.Unlock(); opened == 0 && len(errs) > 0 {
		t.log.Error("no queue key opens; the queue was not opened", "keys", t.keysAtRest, "err", errs[0])
		t.record(string(audit.QueueDamaged), "", "queue-keys-unusable")
		t.raise(string(api.AlarmQueueDamaged), "queue", "no queue key opens on this terminal ("+t.keysAtRest+"): the queue was not opened and the kiosk does not start")
		t.deliverAlarmsNow()
		return fmt.Errorf("the queue's keys in %s do not open (%v): they are sealed by this terminal's TPM, and this is another machine, its TPM was cleared, or queue.tpm is off; the queue was left untouched", keyDir, errs[0])
	} else if len(errs) > 0 {
		t.log.Error("some queue keys do not open; their submissions will be quarantined", "count", len(errs), "err", errs[0])
	}
	q, rep, err := outbox.Open(qPath, outbox.Options{Key: key, Epochs: epochs, Logger: t.log, Retention: t.cfg.Retention, Now: t.opts.Clock.Now})
	if err != nil {
		return fmt.Errorf("the offline queue cannot be opened: %w", err)
	}
	t.queue, t.epochs = q, epochs
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

// deliverAlarmsNow sends the alarms raised so far to the back office, for
// a terminal that is about to refuse to start (no queue to wait with). It
// gives up after a few seconds; the log has the alarm either way.
func (t *Terminal) deliverAlarmsNow() {
	if t.client == nil {
		if err := t.prepareUplink(); err != nil || t.client == nil {
			return
		}
		defer func() { t.client = nil }()
	}
	for _, a := range t.alarms {
		t.client.Alarm(alarmKind(a.kind), a.device, a.detail)
	}
	t.alarms = nil
	ctx, cancel := context.WithTimeout(t.ctx, 5*time.Second)
	defer cancel()
	if err := t.client.DeliverAlarms(ctx); err != nil {
		t.log.Warn("the alarm did not reach the back office", "err", err)
	}
}

// noQueue is the uplink's queue while the terminal has none open: nothing
// to send.
type noQueue struct{}

func (noQueue) NextBatch(int) ([]kiosk.Submission, error) { return nil, nil }
func (noQueue) Acknowledge(string, string) error          { return errors.New("no queue is open") }
func (noQueue) Quarantine(string, string) error           { return errors.New("no queue is open") }
func (noQueue) Release([]string) error                    { return nil }
func (noQueue) Depth() int                                { return 0 }

// purgeDaily shreds acknowledged submissions past their retention and
// compacts the file, once at start and then every purgeEvery, on the
// terminal's clock.
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
		t.warnRotation()
		if !t.sleep(ctx, purgeEvery(t.cfg.Retention)) {
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

// fullAlarm raises an alarm to the back office when the queue refuses a
// new submission because the disk or its quota is full (the resident is
// told to go to the counter by the error's message).
// One alarm per episode: the next after a submission was taken again.
type fullAlarm struct {
	*outbox.Outbox
	raise  func(kind, device, detail string)
	raised *atomic.Bool
	before func() // tests: runs first; nil: nothing
}

func (q fullAlarm) Add(ctx context.Context, s kiosk.Submission) (kiosk.Submission, error) {
	if q.before != nil {
		q.before()
	}
	stored, err := q.Outbox.Add(ctx, s)
	if err == nil {
		q.raised.Store(false)
	}
	if kiosk.KindOf(err) == kiosk.KindQueueFull && !q.raised.Swap(true) {
		q.raise(string(api.AlarmQueueFull), "queue", "the queue refuses new submissions: the disk or the queue's quota is full; what it holds is kept and still sent")
	}
	return stored, err
}

// auditedQueue records in the audit log what the back office answered for
// each submission: synced with its official number, or quarantined.
type auditedQueue struct {
	*outbox.Outbox
	record func(kind, ref, detail string)
	// refused hears of each quarantined submission by its local receipt
	// number, so a done screen still showing it stops saying 已受理.
	refused func(localReceipt string)
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
		if e, gerr := q.Outbox.Get(id); gerr == nil && q.refused != nil {
			q.refused(e.LocalReceipt)
		}
	}
	return err
}

// purgeEvery is how often the purge runs: as often as the grace, so a grace
// of minutes shreds within minutes, but at least once a minute apart and at
// most a day apart.
func purgeEvery(retention time.Duration) time.Duration {
	switch {
	case retention == 0 || retention > 24*time.Hour:
		return 24 * time.Hour
	case retention < time.Minute: // negative: purge at once, checked every minute
		return time.Minute
	}
	return retention
}

// queueKeyDir is where the queue's keys by epoch live: queue.key_dir, or
// DATA/queue-keys.
func (t *Terminal) queueKeyDir() string {
	if t.cfg.QueueKeyDir != "" {
		return t.cfg.QueueKeyDir
	}
	return filepath.Join(t.cfg.DataDir, keystore.DirName)
}

// warnRotation logs a failed renewal of the queue's day key: submissions
// are still taken under the current key, and shredding by day waits until
// a new key can be made (the TPM answers again).
func (t *Terminal) warnRotation() {
	if t.epochs == nil {
		return
	}
	if err := t.epochs.RotationProblem(); err != nil {
		t.log.Warn("the queue's day key could not be renewed; the current one stays in use", "keys", t.keysAtRest, "err", err)
	}
}
