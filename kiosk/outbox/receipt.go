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

// NextLocalReceipt reserves the next local receipt number for terminal on
// now's date (in Shanghai): terminal code, date, and the day's sequence,
// e.g. SH-XH-0001-20260701-0042. The counter is committed durably before it
// is returned, so a number is never handed out twice, even across a power
// cut or a clock set back. Tools that build submissions themselves use it;
// the terminal numbers a new submission in Add's own transaction instead.
func (q *Outbox) NextLocalReceipt(terminal string, now time.Time) (string, error) {
	if err := checkTerminalCode(terminal); err != nil {
		return "", err
	}
	var receipt string
	err := q.update(func(tx *bolt.Tx) error {
		var err error
		receipt, err = nextReceipt(tx, terminal, now)
		return err
	})
	return receipt, err
}

func checkTerminalCode(terminal string) error {
	if terminal == "" || strings.ContainsAny(terminal, "/ \t\n") {
		return errors.New("outbox: a terminal code without spaces or slashes is needed for receipt numbers")
	}
	return nil
}

// nextReceipt advances terminal's counter for now's day in tx and returns
// the first number of that day no submission holds.
func nextReceipt(tx *bolt.Tx, terminal string, now time.Time) (string, error) {
	day := now.In(kiosk.Shanghai).Format("20060102")
	name := []byte("receipt/" + terminal + "/" + day)
	counters, receipts := tx.Bucket(bucketCounters), tx.Bucket(bucketReceipts)
	var n uint64
	if v := counters.Get(name); len(v) == 8 {
		n = binary.BigEndian.Uint64(v)
	}
	var receipt string
	for {
		n++
		receipt = fmt.Sprintf("%s-%s-%04d", terminal, day, n)
		if receipts.Get([]byte(receipt)) == nil {
			break
		}
	}
	var v [8]byte
	binary.BigEndian.PutUint64(v[:], n)
	return receipt, counters.Put(name, v[:])
}
