package outbox

import (
	"context"
	"errors"
	"fmt"

	"github.com/tongban/tongban/kiosk"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

var _ kiosk.Queue = (*Outbox)(nil)

// queueFull is what the resident reads when the queue refuses a submission.
var queueFull = kiosk.Msg("submit.queue_full")

// perRecordOverhead estimates the bytes a submission costs beyond its
// sealed body: entry, wrapped key, index entries and the copied pages of a
// copy-on-write commit.
const perRecordOverhead = 16 << 10

// Add stores a new submission durably and returns it as stored: the queue
// assigns its client ID (a UUIDv7) and its local receipt number (s.Terminal,
// the date of s.CreatedAt in Shanghai, the day's sequence) in the very
// transaction that stores it, so a number is never handed out without its
// submission, nor twice, even across a power cut or a clock set back. The
// ID and LocalReceipt of s are ignored. It returns only after the commit is
// fsynced. A zero CreatedAt is the queue's clock.
//
// When the queue is near its quota it refuses with a *kiosk.Error of kind
// KindQueueFull whose message sends the resident to the counter.
func (q *Outbox) Add(ctx context.Context, s kiosk.Submission) (kiosk.Submission, error) {
	const op = "outbox.Add"
	if err := ctx.Err(); err != nil {
		return kiosk.Submission{}, &kiosk.Error{Op: op, Kind: kiosk.KindTransient, Err: err}
	}
	if err := checkTerminalCode(s.Terminal); err != nil {
		return kiosk.Submission{}, &kiosk.Error{Op: op, Kind: kiosk.KindInternal, Err: err}
	}
	id, err := NewSubmissionID()
	if err != nil {
		return kiosk.Submission{}, &kiosk.Error{Op: op, Kind: kiosk.KindInternal, Err: err}
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = q.opts.Now()
	}
	s.ID, s.LocalReceipt = id, ""
	stored := s
	q.epochMu.Lock()
	defer q.epochMu.Unlock()
	err = q.write(op, func(tx *bolt.Tx) error {
		// Under Batch this may run again in a new transaction: number and
		// seal afresh each time, from what this transaction sees.
		local, err := nextReceipt(tx, s.Terminal, s.CreatedAt)
		if err != nil {
			return err
		}
		rec := s
		rec.LocalReceipt = local
		wrapped, body, err := sealRecord(q.keys(), rec)
		if err != nil {
			return err
		}
		if err := q.store(tx, rec, wrapped, body, true); err != nil {
			return err
		}
		stored = rec
		return nil
	})
	if err != nil {
		return kiosk.Submission{}, err
	}
	return stored, nil
}

// Enqueue stores s durably: it returns nil only after the transaction that
// holds s is fsynced. s must carry an ID and a local receipt number; a new
// submission goes through Add instead, which assigns both in its
// transaction. Enqueueing the same ID again is a no-op, so a caller unsure
// whether a call succeeded may simply repeat it.
//
// When the queue is near its quota it refuses with a *kiosk.Error of kind
// KindQueueFull whose message sends the resident to the counter.
func (q *Outbox) Enqueue(ctx context.Context, s kiosk.Submission) error {
	const op = "outbox.Enqueue"
	if err := ctx.Err(); err != nil {
		return &kiosk.Error{Op: op, Kind: kiosk.KindTransient, Err: err}
	}
	if s.ID == "" || s.LocalReceipt == "" {
		return &kiosk.Error{Op: op, Kind: kiosk.KindInternal, Err: errors.New("submission without ID or local receipt")}
	}
	q.epochMu.Lock()
	defer q.epochMu.Unlock()
	wrapped, body, err := sealRecord(q.keys(), s)
	if err != nil {
		return &kiosk.Error{Op: op, Kind: kiosk.KindInternal, Err: err}
	}
	return q.write(op, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketEntries).Get([]byte(s.ID)) != nil {
			return nil // already stored: repeating a durable Enqueue is harmless
		}
		if other := tx.Bucket(bucketReceipts).Get([]byte(s.LocalReceipt)); other != nil {
			return fmt.Errorf("local receipt %s already belongs to %s", s.LocalReceipt, other)
		}
		return q.store(tx, s, wrapped, body, false)
	})
}

// store puts a sealed submission and its index entries in tx, within the
// quota. unprinted marks a new submission whose receipt is still to print.
func (q *Outbox) store(tx *bolt.Tx, s kiosk.Submission, wrapped, body []byte, unprinted bool) error {
	need := int64(len(body)) + perRecordOverhead
	if used := usedBytes(tx, q.db); used+need > q.opts.QuotaBytes*QuotaFill/100 {
		return errQuota{used: used, need: need}
	}
	entries := tx.Bucket(bucketEntries)
	seq, err := entries.NextSequence()
	if err != nil {
		return err
	}
	now := q.opts.Now()
	e := Entry{
		ID: s.ID, Seq: seq, LocalReceipt: s.LocalReceipt,
		Center: s.Center, Terminal: s.Terminal, Item: s.Item, ItemName: s.ItemName,
		State: kiosk.StatePending, CreatedAt: s.CreatedAt, ChangedAt: now,
		Unprinted: unprinted,
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = now
	}
	if err := tx.Bucket(bucketKeys).Put([]byte(s.ID), wrapped); err != nil {
		return err
	}
	if err := tx.Bucket(bucketBodies).Put([]byte(s.ID), body); err != nil {
		return err
	}
	if err := tx.Bucket(bucketReceipts).Put([]byte(s.LocalReceipt), []byte(s.ID)); err != nil {
		return err
	}
	if err := tx.Bucket(bucketPending).Put(seqKey(seq), []byte(s.ID)); err != nil {
		return err
	}
	return putEntry(tx, e)
}

// write commits fn durably and maps its failure to a *kiosk.Error.
func (q *Outbox) write(op string, fn func(tx *bolt.Tx) error) error {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.db == nil {
		return &kiosk.Error{Op: op, Kind: kiosk.KindInternal, Err: errors.New("queue closed")}
	}
	// New work only while the disk keeps its reserve for state changes.
	if !q.haveReserve() {
		return &kiosk.Error{Op: op, Kind: kiosk.KindQueueFull, Message: queueFull, Err: errDiskFull}
	}
	var err error
	if q.useBatch {
		err = q.db.Batch(fn)
	} else {
		err = q.db.Update(fn)
	}
	var quota errQuota
	switch {
	case err == nil:
		return nil
	case noSpace(err):
		q.log.Warn("the disk is full; refusing new submissions", "err", err)
		return &kiosk.Error{Op: op, Kind: kiosk.KindQueueFull, Message: queueFull, Err: err}
	case errors.As(err, &quota):
		q.log.Warn("queue quota reached; refusing new submissions", "used_bytes", quota.used, "quota_bytes", q.opts.QuotaBytes)
		return &kiosk.Error{Op: op, Kind: kiosk.KindQueueFull, Message: queueFull, Err: err}
	case errors.Is(err, berrors.ErrMaxSizeReached):
		q.log.Warn("queue file reached its size limit; refusing new submissions", "quota_bytes", q.opts.QuotaBytes)
		return &kiosk.Error{Op: op, Kind: kiosk.KindQueueFull, Message: queueFull, Err: err}
	default:
		return &kiosk.Error{Op: op, Kind: kiosk.KindInternal, Err: err}
	}
}

// errDiskFull: the reserve beside the queue cannot be made.
var errDiskFull = errors.New("outbox: the disk is full (no room for the queue's reserve)")

type errQuota struct{ used, need int64 }

func (e errQuota) Error() string {
	return fmt.Sprintf("queue quota: %d bytes in use, %d more needed", e.used, e.need)
}

// usedBytes is the file's high-water mark less its free pages: the space
// the queue really occupies.
func usedBytes(tx *bolt.Tx, db *bolt.DB) int64 {
	free := int64(db.Stats().FreePageN) * int64(db.Info().PageSize)
	return tx.Size() - free
}
