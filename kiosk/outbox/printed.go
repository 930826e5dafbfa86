package outbox

import (
	"fmt"

	"github.com/tongban/tongban/kiosk"
	bolt "go.etcd.io/bbolt"
)

// MarkPrinted records, durably, that the receipt of the submission with
// this local receipt number was printed whole. Marking again is a no-op.
func (q *Outbox) MarkPrinted(receipt string) error {
	return q.update(func(tx *bolt.Tx) error {
		id := tx.Bucket(bucketReceipts).Get([]byte(receipt))
		if id == nil {
			return fmt.Errorf("%w: receipt %s", ErrNotFound, receipt)
		}
		e, err := getEntry(tx, string(id))
		if err != nil || !e.Unprinted {
			return err
		}
		e.Unprinted = false
		return putEntry(tx, e)
	})
}

// Unprinted returns the submissions whose receipt has not been printed
// whole and can still be (the record is not purged), oldest first.
func (q *Outbox) Unprinted() ([]Entry, error) {
	all, err := q.List()
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, e := range all {
		if e.Unprinted && e.hasBody() {
			out = append(out, e)
		}
	}
	return out, nil
}

// Open returns the stored submission with this ID, decrypted, for
// reprinting its receipt. A purged submission no longer opens.
func (q *Outbox) Open(id string) (kiosk.Submission, error) {
	var s kiosk.Submission
	err := q.view(func(tx *bolt.Tx) error {
		e, err := getEntry(tx, id)
		if err != nil {
			return err
		}
		if !e.hasBody() {
			return fmt.Errorf("%w: %s is purged", ErrNotFound, id)
		}
		s, err = openRecord(q.keys(), id, tx.Bucket(bucketKeys).Get([]byte(id)), tx.Bucket(bucketBodies).Get([]byte(id)))
		return err
	})
	return s, err
}
