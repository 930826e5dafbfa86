package outbox

import (
	"errors"
	"fmt"
	"time"

	"github.com/tongban/tongban/kiosk"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// ErrNotFound is returned for an ID or receipt number the queue does not hold.
var ErrNotFound = errors.New("outbox: no such submission")

// errState reports a transition the state machine does not allow.
type errState struct {
	id       string
	from, to kiosk.SubmissionState
}

func (e errState) Error() string {
	return fmt.Sprintf("outbox: submission %s is %s and cannot become %s", e.id, e.from, e.to)
}

// update runs fn in one durable write transaction under the read lock.
func (q *Outbox) update(fn func(tx *bolt.Tx) error) error {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.db == nil {
		return errors.New("outbox: queue closed")
	}
	return q.updateFreeing(fn)
}

func (q *Outbox) view(fn func(tx *bolt.Tx) error) error {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.db == nil {
		return errors.New("outbox: queue closed")
	}
	return q.db.View(fn)
}

func getEntry(tx *bolt.Tx, id string) (Entry, error) {
	raw := tx.Bucket(bucketEntries).Get([]byte(id))
	if raw == nil {
		return Entry{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return decodeEntry(id, raw)
}

// NextBatch takes up to max pending submissions, oldest first, marks them
// sending and returns them decrypted for upload. The state change is durable
// before NextBatch returns; after a crash Open puts them back to pending.
// A record that no longer opens is quarantined with the reason instead of
// being returned.
//
// When the file is at its size limit a large batch may not fit in one
// transaction; NextBatch then halves the batch until it does.
func (q *Outbox) NextBatch(max int) ([]kiosk.Submission, error) {
	for {
		batch, err := q.nextBatch(max)
		if errors.Is(err, berrors.ErrMaxSizeReached) && max > 1 {
			max /= 2
			continue
		}
		return batch, err
	}
}

func (q *Outbox) nextBatch(max int) ([]kiosk.Submission, error) {
	if max <= 0 {
		return nil, nil
	}
	var batch []kiosk.Submission
	now := q.opts.Now()
	err := q.update(func(tx *bolt.Tx) error {
		batch = batch[:0]
		var ids []string
		c := tx.Bucket(bucketPending).Cursor()
		for k, v := c.First(); k != nil && len(ids) < max; k, v = c.Next() {
			ids = append(ids, string(v))
		}
		for _, id := range ids {
			e, err := getEntry(tx, id)
			if err != nil {
				return err
			}
			s, err := openRecord(q.keys(), id, tx.Bucket(bucketKeys).Get([]byte(id)), tx.Bucket(bucketBodies).Get([]byte(id)))
			if err != nil {
				q.log.Error("queued record does not open; quarantined", "id", id, "err", err)
				if err := setState(tx, &e, kiosk.StateQuarantined, "record damaged: it does not open", now); err != nil {
					return err
				}
				continue
			}
			e.Attempts++
			if err := setState(tx, &e, kiosk.StateSending, "", now); err != nil {
				return err
			}
			batch = append(batch, s)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return batch, nil
}

// Acknowledge records the back office's receipt number for a submission:
// it is acknowledged and will be purged after the retention period.
// Acknowledging again with the same number is a no-op.
func (q *Outbox) Acknowledge(id, official string) error {
	return q.Apply([]kiosk.Ack{{ID: id, OfficialReceipt: official}})
}

// Quarantine sets a submission aside after a permanent rejection, with the
// reason staff will read. It stays, with its data, until staff retry it.
func (q *Outbox) Quarantine(id, reason string) error {
	return q.Apply([]kiosk.Ack{{ID: id, Rejected: true, Reason: reason}})
}

// Release puts submissions that were being sent back to pending after a
// transient failure (no network, a 5xx, a timeout).
func (q *Outbox) Release(ids []string) error {
	acks := make([]kiosk.Ack, len(ids))
	for i, id := range ids {
		acks[i] = kiosk.Ack{ID: id, Retryable: true}
	}
	return q.Apply(acks)
}

// Retry puts a quarantined submission back to pending: a staff action
// after the cause was fixed.
func (q *Outbox) Retry(id string) error {
	return q.update(func(tx *bolt.Tx) error {
		e, err := getEntry(tx, id)
		if err != nil {
			return err
		}
		if e.State != kiosk.StateQuarantined {
			return errState{id, e.State, kiosk.StatePending}
		}
		return setState(tx, &e, kiosk.StatePending, "", q.opts.Now())
	})
}

// Apply records the back office's answers for a batch in one durable
// transaction: an official receipt (new or duplicate) acknowledges, a
// rejection quarantines with its reason, a retryable answer puts the
// submission back to pending. An unknown ID or a forbidden transition
// fails the whole call and changes nothing.
func (q *Outbox) Apply(acks []kiosk.Ack) error {
	now := q.opts.Now()
	return q.update(func(tx *bolt.Tx) error {
		for _, a := range acks {
			e, err := getEntry(tx, a.ID)
			if err != nil {
				return err
			}
			switch {
			case a.Rejected:
				if e.State == kiosk.StateAcknowledged || e.State == kiosk.StatePurged {
					return errState{e.ID, e.State, kiosk.StateQuarantined}
				}
				reason := a.Reason
				if reason == "" {
					reason = "rejected by the back office without a reason"
				}
				if err := setState(tx, &e, kiosk.StateQuarantined, reason, now); err != nil {
					return err
				}
			case a.Retryable:
				switch e.State {
				case kiosk.StateSending:
					if err := setState(tx, &e, kiosk.StatePending, "", now); err != nil {
						return err
					}
				case kiosk.StatePending, kiosk.StateAcknowledged, kiosk.StatePurged, kiosk.StateQuarantined:
					// already settled or already waiting: nothing to undo
				}
			default:
				if a.OfficialReceipt == "" {
					return fmt.Errorf("outbox: acknowledgement of %s without an official receipt number", a.ID)
				}
				if err := acknowledge(tx, &e, a.OfficialReceipt, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func acknowledge(tx *bolt.Tx, e *Entry, official string, now time.Time) error {
	switch e.State {
	case kiosk.StateAcknowledged, kiosk.StatePurged:
		if e.Official == official {
			return nil
		}
		return fmt.Errorf("outbox: submission %s already has official receipt %s, not %s", e.ID, e.Official, official)
	}
	if other := tx.Bucket(bucketOfficial).Get([]byte(official)); other != nil && string(other) != e.ID {
		return fmt.Errorf("outbox: official receipt %s already belongs to %s", official, other)
	}
	if err := tx.Bucket(bucketOfficial).Put([]byte(official), []byte(e.ID)); err != nil {
		return err
	}
	e.Official, e.AckedAt = official, now
	return setState(tx, e, kiosk.StateAcknowledged, "", now)
}
