package outbox

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/tongban/tongban/kiosk"
	bolt "go.etcd.io/bbolt"
)

// NewSubmissionID returns a fresh client-generated submission ID: a UUIDv7,
// whose time-ordered prefix keeps the queue's keys in arrival order.
func NewSubmissionID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("outbox: new submission ID: %w", err)
	}
	return id.String(), nil
}

// NextLocalReceipt returns the next local receipt number for terminal on
// now's date (in now's time zone): terminal code, date, and the day's
// sequence, e.g. SH-XH-0001-20260701-0042. The counter is committed durably
// before it is returned, so a number is never handed out twice, even across
// a power cut or a clock set back.
func (q *Outbox) NextLocalReceipt(terminal string, now time.Time) (string, error) {
	if terminal == "" || strings.ContainsAny(terminal, "/ \t\n") {
		return "", errors.New("outbox: a terminal code without spaces or slashes is needed for receipt numbers")
	}
	day := now.In(kiosk.Shanghai).Format("20060102")
	name := []byte("receipt/" + terminal + "/" + day)
	var receipt string
	err := q.update(func(tx *bolt.Tx) error {
		counters, receipts := tx.Bucket(bucketCounters), tx.Bucket(bucketReceipts)
		var n uint64
		if v := counters.Get(name); len(v) == 8 {
			n = binary.BigEndian.Uint64(v)
		}
		for {
			n++
			receipt = fmt.Sprintf("%s-%s-%04d", terminal, day, n)
			if receipts.Get([]byte(receipt)) == nil {
				break
			}
		}
		var v [8]byte
		binary.BigEndian.PutUint64(v[:], n)
		return counters.Put(name, v[:])
	})
	return receipt, err
}
