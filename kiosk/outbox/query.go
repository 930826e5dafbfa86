package outbox

import (
	"cmp"
	"context"
	"errors"
	"os"
	"slices"
	"time"

	"github.com/tongban/tongban/kiosk"
	bolt "go.etcd.io/bbolt"
)

var _ kiosk.StatusQuery = (*Outbox)(nil)

// Get returns the entry of a submission by its ID.
func (q *Outbox) Get(id string) (Entry, error) {
	var e Entry
	err := q.view(func(tx *bolt.Tx) (err error) {
		e, err = getEntry(tx, id)
		return err
	})
	return e, err
}

// Find returns the entry of a submission by its local receipt number or,
// once acknowledged, by its official one.
func (q *Outbox) Find(receipt string) (Entry, error) {
	var e Entry
	err := q.view(func(tx *bolt.Tx) (err error) {
		id := tx.Bucket(bucketReceipts).Get([]byte(receipt))
		if id == nil {
			id = tx.Bucket(bucketOfficial).Get([]byte(receipt))
		}
		if id == nil {
			return ErrNotFound
		}
		e, err = getEntry(tx, string(id))
		return err
	})
	return e, err
}

// Status answers a resident's progress query with what the terminal knows.
func (q *Outbox) Status(ctx context.Context, receipt string) (kiosk.SubmissionStatus, error) {
	e, err := q.Find(receipt)
	if errors.Is(err, ErrNotFound) {
		return kiosk.SubmissionStatus{}, &kiosk.Error{Op: "outbox.Status", Kind: kiosk.KindInvalid, Err: err,
			Message: kiosk.Msg("query.receipt_unknown_here")}
	}
	if err != nil {
		return kiosk.SubmissionStatus{}, &kiosk.Error{Op: "outbox.Status", Kind: kiosk.KindInternal, Err: err}
	}
	return kiosk.SubmissionStatus{
		LocalReceipt:    e.LocalReceipt,
		OfficialReceipt: e.Official,
		Item:            e.ItemName,
		State:           e.State,
		Progress:        progress(e.State),
	}, nil
}

func progress(s kiosk.SubmissionState) kiosk.Text {
	switch s {
	case kiosk.StatePending, kiosk.StateSending:
		return kiosk.Msg("query.progress_waiting")
	case kiosk.StateAcknowledged, kiosk.StatePurged:
		return kiosk.Msg("query.progress_received")
	default:
		return kiosk.Msg("query.progress_needs_staff")
	}
}

// List returns every entry, oldest first. Entries hold no personal data.
func (q *Outbox) List() ([]Entry, error) {
	var list []Entry
	err := q.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketEntries).ForEach(func(k, v []byte) error {
			e, err := decodeEntry(string(k), v)
			if err != nil {
				return err
			}
			list = append(list, e)
			return nil
		})
	})
	sortBySeq(list)
	return list, err
}

func sortBySeq(list []Entry) {
	slices.SortFunc(list, func(a, b Entry) int { return cmp.Compare(a.Seq, b.Seq) })
}

// Stats is the queue's health for staff screens and heartbeats.
type Stats struct {
	Pending, Sending, Acknowledged, Quarantined, Purged int
	// OldestUnsent is when the oldest pending or sending submission was
	// created; zero when there is none.
	OldestUnsent time.Time
	FileBytes    int64 // size of the file on disk
	UsedBytes    int64 // FileBytes less free pages
	QuotaBytes   int64
	FreePages    int
	// Stranded counts submissions never acknowledged that wait in damaged
	// queue files moved aside beside this one (see Salvage); staff count
	// them as waiting too.
	Stranded int
}

// Stats counts entries by state and reports the file's use of its quota.
func (q *Outbox) Stats() (Stats, error) {
	st := Stats{QuotaBytes: q.opts.QuotaBytes}
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.db == nil {
		return st, errors.New("outbox: queue closed")
	}
	err := q.db.View(func(tx *bolt.Tx) error {
		st.UsedBytes = usedBytes(tx, q.db)
		return tx.Bucket(bucketEntries).ForEach(func(k, v []byte) error {
			e, err := decodeEntry(string(k), v)
			if err != nil {
				return err
			}
			switch e.State {
			case kiosk.StatePending:
				st.Pending++
			case kiosk.StateSending:
				st.Sending++
			case kiosk.StateAcknowledged:
				st.Acknowledged++
			case kiosk.StateQuarantined:
				st.Quarantined++
			case kiosk.StatePurged:
				st.Purged++
			}
			if (e.State == kiosk.StatePending || e.State == kiosk.StateSending) &&
				(st.OldestUnsent.IsZero() || e.CreatedAt.Before(st.OldestUnsent)) {
				st.OldestUnsent = e.CreatedAt
			}
			return nil
		})
	})
	st.FreePages = q.db.Stats().FreePageN
	q.strandedMu.Lock()
	for _, s := range q.stranded {
		st.Stranded += s.Waiting
	}
	q.strandedMu.Unlock()
	if info, statErr := os.Stat(q.path); statErr == nil {
		st.FileBytes = info.Size()
	}
	return st, err
}
