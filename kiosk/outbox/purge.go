package outbox

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/tongban/tongban/kiosk"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Purge shreds the personal data of submissions acknowledged at least
// Retention before now: their sealed body and data key are deleted and the
// entry stays as a tombstone (IDs, receipt numbers, state purged) so a
// progress query still finds it. It returns how many were purged.
// Quarantined submissions are never purged: staff decide about them.
func (q *Outbox) Purge(now time.Time) (int, error) {
	var due []string
	err := q.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketEntries).ForEach(func(k, v []byte) error {
			e, err := decodeEntry(string(k), v)
			if err != nil {
				return err
			}
			if q.purgeDue(e, now) {
				due = append(due, e.ID)
			}
			return nil
		})
	})
	if err != nil {
		return 0, err
	}
	// Purge in chunks: each deletion rewrites pages, and a queue at its size
	// limit has room for only so many in one transaction.
	purged, chunk := 0, purgeChunk
	for len(due) > 0 {
		n := min(chunk, len(due))
		done := 0
		err := q.update(func(tx *bolt.Tx) (err error) {
			done, err = q.purgeIDs(tx, due[:n], now)
			return err
		})
		if errors.Is(err, berrors.ErrMaxSizeReached) && chunk > 1 {
			chunk /= 2
			continue
		}
		if err != nil {
			return purged, err
		}
		purged += done
		due = due[n:]
	}
	if purged > 0 {
		q.log.Info("purged acknowledged submissions", "count", purged)
	}
	if _, err := q.ShredEpochs(); err != nil {
		return purged, err
	}
	return purged, nil
}

// ShredEpochs shreds the key of every epoch but the newest under which no
// record is still held (waiting, sending, acknowledged within the grace or
// quarantined), and returns the epochs shredded. Purge calls it; without
// Options.Epochs it does nothing. A copy of the queue file taken before
// the shred no longer opens for those epochs' records.
func (q *Outbox) ShredEpochs() ([]uint32, error) {
	if q.opts.Epochs == nil {
		return nil, nil
	}
	q.epochMu.Lock()
	defer q.epochMu.Unlock()
	list, err := q.opts.Epochs.Epochs()
	if err != nil || len(list) < 2 {
		return nil, err
	}
	used := map[uint32]bool{}
	err = q.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketKeys).ForEach(func(_, v []byte) error {
			if e, ok := epochOf(v); ok {
				used[e] = true
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	var shredded []uint32
	for _, e := range list[:len(list)-1] {
		if used[e] {
			continue
		}
		if err := q.opts.Epochs.Shred(e); err != nil {
			return shredded, fmt.Errorf("outbox: shredding key epoch %d: %w", e, err)
		}
		shredded = append(shredded, e)
	}
	if len(shredded) > 0 {
		q.log.Info("shredded queue key epochs", "epochs", shredded)
	}
	return shredded, nil
}

const purgeChunk = 256

func (q *Outbox) purgeDue(e Entry, now time.Time) bool {
	return e.State == kiosk.StateAcknowledged && !now.Before(e.AckedAt.Add(q.opts.Retention))
}

func (q *Outbox) purgeIDs(tx *bolt.Tx, ids []string, now time.Time) (int, error) {
	bodies, keys := tx.Bucket(bucketBodies), tx.Bucket(bucketKeys)
	done := 0
	for _, id := range ids {
		e, err := getEntry(tx, id)
		if err != nil {
			return done, err
		}
		if !q.purgeDue(e, now) {
			continue
		}
		// The key first: without it the body is unreadable wherever a copy
		// of its page survives.
		if err := keys.Delete([]byte(e.ID)); err != nil {
			return done, err
		}
		if err := bodies.Delete([]byte(e.ID)); err != nil {
			return done, err
		}
		e.PurgedAt = now
		if err := setState(tx, &e, kiosk.StatePurged, "", now); err != nil {
			return done, err
		}
		done++
	}
	return done, nil
}

// compactTo writes a compacted, synced copy of the queue to tmp; on any
// failure tmp is removed (a full disk left an empty copy behind).
func (q *Outbox) compactTo(tmp string) (err error) {
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{FreelistType: bolt.FreelistMapType})
	if err != nil {
		return fmt.Errorf("outbox: compact: %w", err)
	}
	if err := bolt.Compact(dst, q.db, 4<<20); err != nil {
		dst.Close()
		return fmt.Errorf("outbox: compact: %w", err)
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// CompactReport gives the file size before and after a compaction.
type CompactReport struct {
	Before, After int64
}

// Compact rewrites the queue into a new file holding only live pages and
// swaps it in, so the file shrinks after purges and freed pages holding old
// ciphertext are gone. The copy is synced before the rename; a crash leaves
// either the old file or the new one, and a stale copy is removed by the
// next Compact. Other calls wait while it runs.
func (q *Outbox) Compact() (CompactReport, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var rep CompactReport
	if q.db == nil {
		return rep, errors.New("outbox: queue closed")
	}
	if info, err := os.Stat(q.path); err == nil {
		rep.Before = info.Size()
	}
	tmp := q.path + ".compact"
	err := q.compactTo(tmp)
	if err != nil && noSpace(err) && q.releaseReserve(reserveCompact) {
		err = q.compactTo(tmp) // the copy's own reserve, kept for this
	}
	if err != nil {
		return rep, err
	}
	if err := q.db.Close(); err != nil {
		return rep, err
	}
	q.db = nil
	renameErr := os.Rename(tmp, q.path)
	if renameErr == nil {
		renameErr = syncDir(dirOf(q.path))
	}
	db, err := bolt.Open(q.path, 0o600, boltOptions(q.opts))
	if err != nil {
		return rep, fmt.Errorf("outbox: reopening after compaction: %w", err)
	}
	q.db = db
	if renameErr != nil {
		os.Remove(tmp)
		return rep, fmt.Errorf("outbox: compact: %w", renameErr)
	}
	if info, err := os.Stat(q.path); err == nil {
		rep.After = info.Size()
	}
	q.haveReserve() // the space compaction gave back may make room for it again
	q.log.Info("queue compacted", "before_bytes", rep.Before, "after_bytes", rep.After)
	return rep, nil
}
