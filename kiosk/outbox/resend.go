package outbox

import (
	"github.com/tongban/tongban/kiosk"
	bolt "go.etcd.io/bbolt"
)

// Settled counts the submissions the back office has acknowledged to this
// queue (acknowledged, or acknowledged and since purged). The uplink
// compares it with how many the back office says it holds: fewer there
// means the back office lost some (restored from an older backup).
func (q *Outbox) Settled() (int, error) {
	st, err := q.Stats()
	if err != nil {
		return 0, err
	}
	return st.Acknowledged + st.Purged, nil
}

// ResendAcknowledged puts every acknowledged submission that still holds
// its data back to pending, keeping its official number, so it is sent
// again; the back office answers a duplicate for those it still has and
// stores again those it lost, under the same number. It returns how many
// were put back and how many were already purged (their data is gone:
// Options.Retention must outlast the back office's backup interval).
func (q *Outbox) ResendAcknowledged() (resent, purged int, err error) {
	now := q.opts.Now()
	err = q.update(func(tx *bolt.Tx) error {
		resent, purged = 0, 0
		var again []Entry
		err := tx.Bucket(bucketEntries).ForEach(func(k, v []byte) error {
			e, err := decodeEntry(string(k), v)
			if err != nil {
				return err
			}
			switch e.State {
			case kiosk.StateAcknowledged:
				again = append(again, e)
			case kiosk.StatePurged:
				purged++
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, e := range again {
			if err := setState(tx, &e, kiosk.StatePending, "", now); err != nil {
				return err
			}
		}
		resent = len(again)
		return nil
	})
	return resent, purged, err
}
