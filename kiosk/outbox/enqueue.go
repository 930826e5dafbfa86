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
var queueFull = kiosk.Text{
	ZH: "本机暂时无法保存新的申请，请到人工窗口办理。您刚才填写的内容没有提交。",
	EN: "This terminal cannot store new applications right now. Please go to the staffed counter. What you just filled in was not submitted.",
}

// perRecordOverhead estimates the bytes a submission costs beyond its
// sealed body: entry, wrapped key, index entries and the copied pages of a
// copy-on-write commit.
const perRecordOverhead = 16 << 10

// Enqueue stores s durably: it returns nil only after the transaction that
// holds s is fsynced. s must carry an ID and a local receipt number (see
// NewSubmissionID and NextLocalReceipt). Enqueueing the same ID again is a
// no-op, so a caller unsure whether a call succeeded may simply repeat it.
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
	wrapped, body, err := sealRecord(q.opts.Key, s)
	if err != nil {
		return &kiosk.Error{Op: op, Kind: kiosk.KindInternal, Err: err}
	}
	need := int64(len(body)) + perRecordOverhead

	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.db == nil {
		return &kiosk.Error{Op: op, Kind: kiosk.KindInternal, Err: errors.New("queue closed")}
	}
	now := q.opts.Now()
	write := func(tx *bolt.Tx) error {
		entries := tx.Bucket(bucketEntries)
		if entries.Get([]byte(s.ID)) != nil {
			return nil // already stored: repeating a durable Enqueue is harmless
		}
		if used := usedBytes(tx, q.db); used+need > q.opts.QuotaBytes*QuotaFill/100 {
			return errQuota{used: used, need: need}
		}
		receipts := tx.Bucket(bucketReceipts)
		if other := receipts.Get([]byte(s.LocalReceipt)); other != nil {
			return fmt.Errorf("local receipt %s already belongs to %s", s.LocalReceipt, other)
		}
		seq, err := entries.NextSequence()
		if err != nil {
			return err
		}
		e := Entry{
			ID: s.ID, Seq: seq, LocalReceipt: s.LocalReceipt,
			Center: s.Center, Terminal: s.Terminal, Item: s.Item, ItemName: s.ItemName,
			State: kiosk.StatePending, CreatedAt: s.CreatedAt, ChangedAt: now,
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
		if err := receipts.Put([]byte(s.LocalReceipt), []byte(s.ID)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketPending).Put(seqKey(seq), []byte(s.ID)); err != nil {
			return err
		}
		return putEntry(tx, e)
	}
	if q.useBatch {
		err = q.db.Batch(write)
	} else {
		err = q.db.Update(write)
	}
	var quota errQuota
	switch {
	case err == nil:
		return nil
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
