package outbox

import (
	"errors"
	"os"
	"syscall"

	"github.com/tongban/tongban/internal/durable"
	bolt "go.etcd.io/bbolt"
)

// A full disk must not stop the queue from freeing space: acknowledging,
// purging and compacting all write pages (bbolt copies what it changes).
// The queue keeps a reserve file of ReserveBytes beside the database,
// written with real bytes (a sparse file would reserve nothing). When a
// state change finds the disk full, the reserve is given up and the change
// retried; new submissions are refused (with the queue-full message, so
// the resident is sent to the counter) for as long as the reserve cannot
// be made again, which happens once purge and compaction have shrunk the
// file.

// The two reserve files: one given up for state changes, one for the copy
// a compaction writes (without it, the space purges free inside the file
// could never be given back to a full disk).
const (
	reserveState   = ".reserve"
	reserveCompact = ".reserve-compact"
)

// noSpace reports whether err is the disk (or its quota) being full.
func noSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// haveReserve makes sure both reserve files are there, whole; false when
// they cannot be made (the disk is full).
func (q *Outbox) haveReserve() bool {
	if q.opts.ReserveBytes <= 0 {
		return true
	}
	for _, suffix := range []string{reserveState, reserveCompact} {
		p := q.path + suffix
		if info, err := os.Stat(p); err == nil && info.Size() >= q.opts.ReserveBytes {
			continue
		}
		if err := durable.WriteFile(p, make([]byte, q.opts.ReserveBytes), 0o600); err != nil {
			os.Remove(p)
			q.log.Warn("the disk reserve for the queue cannot be made; new submissions are refused until space is freed", "err", err)
			return false
		}
	}
	return true
}

// releaseReserve gives the space of one reserve file back to the file
// system; false when there was none to give.
func (q *Outbox) releaseReserve(suffix string) bool {
	p := q.path + suffix
	if _, err := os.Stat(p); err != nil {
		return false
	}
	if err := os.Remove(p); err != nil {
		return false
	}
	if err := syncDir(dirOf(p)); err != nil {
		return false
	}
	q.log.Warn("the disk is full: the queue's reserve was given up so that sync and purge can go on")
	return true
}

// updateFreeing runs a state change; on a full disk it gives up the
// reserve and tries once more. Callers hold q.mu.
func (q *Outbox) updateFreeing(fn func(tx *bolt.Tx) error) error {
	err := q.db.Update(fn)
	if err != nil && noSpace(err) && q.releaseReserve(reserveState) {
		err = q.db.Update(fn)
	}
	return err
}
