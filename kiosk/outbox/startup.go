package outbox

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/tongban/tongban/kiosk"
	bolt "go.etcd.io/bbolt"
)

func dirOf(path string) string { return filepath.Dir(path) }

// errWrongKey means no record opens with the terminal key: the key file was
// replaced or belongs to another terminal. Nothing is changed on disk.
var errWrongKey = errors.New("outbox: no record opens with this terminal key; restore the terminal's own key file (the queue was left untouched)")

// resume puts submissions that were being sent back to pending and
// quarantines records whose body or data key is missing or does not open,
// in one durable transaction.
func (q *Outbox) resume(report *StartReport) error {
	now := q.opts.Now()
	return q.db.Update(func(tx *bolt.Tx) error {
		entries, bodies, keys := tx.Bucket(bucketEntries), tx.Bucket(bucketBodies), tx.Bucket(bucketKeys)
		var resume, broken []Entry
		var brokenWhy []string
		live, opened := 0, 0
		err := entries.ForEach(func(k, v []byte) error {
			e, err := decodeEntry(string(k), v)
			if err != nil {
				return err
			}
			if !e.hasBody() {
				return nil
			}
			live++
			wrapped, body := keys.Get(k), bodies.Get(k)
			switch {
			case wrapped == nil || body == nil:
				broken, brokenWhy = append(broken, e), append(brokenWhy, "record damaged: its data is missing")
				return nil
			}
			dek, err := q.keys().unwrap(e.ID, wrapped)
			if err != nil {
				broken, brokenWhy = append(broken, e), append(brokenWhy, "record damaged: its key does not open")
				return nil
			}
			wipe(dek)
			opened++
			if e.State == kiosk.StateSending {
				resume = append(resume, e)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if live > 0 && opened == 0 {
			return errWrongKey
		}
		for _, e := range resume {
			if err := setState(tx, &e, kiosk.StatePending, "", now); err != nil {
				return err
			}
		}
		for i, e := range broken {
			if e.State == kiosk.StateQuarantined {
				continue
			}
			if err := setState(tx, &e, kiosk.StateQuarantined, brokenWhy[i], now); err != nil {
				return err
			}
			report.Unreadable++
		}
		report.Resumed = len(resume)
		return nil
	})
}

// setState moves e to state, keeping the pending index in step, and stores
// it. Reason is kept for quarantine and cleared otherwise.
func setState(tx *bolt.Tx, e *Entry, state kiosk.SubmissionState, reason string, now time.Time) error {
	pending := tx.Bucket(bucketPending)
	if e.State == kiosk.StatePending && state != kiosk.StatePending {
		if err := pending.Delete(seqKey(e.Seq)); err != nil {
			return err
		}
	}
	if state == kiosk.StatePending {
		if err := pending.Put(seqKey(e.Seq), []byte(e.ID)); err != nil {
			return err
		}
	}
	e.State = state
	e.Reason = reason
	e.ChangedAt = now
	return putEntry(tx, *e)
}

func putEntry(tx *bolt.Tx, e Entry) error {
	b, err := encodeEntry(e)
	if err != nil {
		return fmt.Errorf("encoding entry %s: %w", e.ID, err)
	}
	return tx.Bucket(bucketEntries).Put([]byte(e.ID), b)
}
