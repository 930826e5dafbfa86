package outbox

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/tongban/tongban/kiosk"
	bolt "go.etcd.io/bbolt"
)

// Purge shreds the personal data of submissions acknowledged at least
// Retention before now: their sealed body and data key are deleted and the
// entry stays as a tombstone (IDs, receipt numbers, state purged) so a
// progress query still finds it. It returns how many were purged.
// Quarantined submissions are never purged: staff decide about them.
func (q *Outbox) Purge(now time.Time) (int, error) {
	purged := 0
	err := q.update(func(tx *bolt.Tx) error {
		purged = 0
		entries, bodies, keys := tx.Bucket(bucketEntries), tx.Bucket(bucketBodies), tx.Bucket(bucketKeys)
		var due []Entry
		err := entries.ForEach(func(k, v []byte) error {
			e, err := decodeEntry(string(k), v)
			if err != nil {
				return err
			}
			if e.State == kiosk.StateAcknowledged && !now.Before(e.AckedAt.Add(q.opts.Retention)) {
				due = append(due, e)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, e := range due {
			// The key first: without it the body is unreadable wherever a
			// copy of its page survives.
			if err := keys.Delete([]byte(e.ID)); err != nil {
				return err
			}
			if err := bodies.Delete([]byte(e.ID)); err != nil {
				return err
			}
			e.PurgedAt = now
			if err := setState(tx, &e, kiosk.StatePurged, "", now); err != nil {
				return err
			}
			purged++
		}
		return nil
	})
	if purged > 0 && err == nil {
		q.log.Info("purged acknowledged submissions", "count", purged)
	}
	return purged, err
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
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return rep, err
	}
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{FreelistType: bolt.FreelistMapType})
	if err != nil {
		return rep, fmt.Errorf("outbox: compact: %w", err)
	}
	if err := bolt.Compact(dst, q.db, 4<<20); err != nil {
		dst.Close()
		os.Remove(tmp)
		return rep, fmt.Errorf("outbox: compact: %w", err)
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		os.Remove(tmp)
		return rep, err
	}
	if err := dst.Close(); err != nil {
		os.Remove(tmp)
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
	q.log.Info("queue compacted", "before_bytes", rep.Before, "after_bytes", rep.After)
	return rep, nil
}
