package outbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// Entry is what the queue knows of a submission without opening it: IDs,
// receipt numbers, the item and the state. It holds no personal data, so
// staff screens, kioskctl and telemetry may show it.
type Entry struct {
	ID           string                `json:"id"`
	Seq          uint64                `json:"seq"` // local FIFO order
	LocalReceipt string                `json:"local_receipt"`
	Official     string                `json:"official,omitempty"` // back office receipt number
	Center       string                `json:"center,omitempty"`
	Terminal     string                `json:"terminal,omitempty"`
	Item         kiosk.ItemCode        `json:"item"`
	ItemName     kiosk.Text            `json:"item_name"`
	State        kiosk.SubmissionState `json:"state"`
	Reason       string                `json:"reason,omitempty"` // why quarantined, for staff
	Attempts     int                   `json:"attempts,omitempty"`
	CreatedAt    time.Time             `json:"created_at"`
	ChangedAt    time.Time             `json:"changed_at"` // last state change
	AckedAt      time.Time             `json:"acked_at,omitzero"`
	PurgedAt     time.Time             `json:"purged_at,omitzero"`
	// Unprinted: the receipt of this submission has not been printed
	// whole yet (Add sets it, MarkPrinted clears it). It is kept here, not
	// in the printer's memory, so a kill while printing leaves the
	// receipt listed for reprint after the restart.
	Unprinted bool `json:"unprinted,omitempty"`
}

func knownState(s kiosk.SubmissionState) bool {
	switch s {
	case kiosk.StatePending, kiosk.StateSending, kiosk.StateAcknowledged,
		kiosk.StateQuarantined, kiosk.StatePurged:
		return true
	}
	return false
}

// hasBody reports whether an entry in this state still holds its sealed
// submission and data key.
func (e Entry) hasBody() bool { return e.State != kiosk.StatePurged }

func encodeEntry(e Entry) ([]byte, error) { return json.Marshal(e) }

// decodeEntry parses stored entry bytes, checking that the entry is one the
// queue could have written: a damaged value gives an error, never a panic.
func decodeEntry(id string, b []byte) (Entry, error) {
	var e Entry
	if err := json.Unmarshal(b, &e); err != nil {
		return Entry{}, fmt.Errorf("entry %s: %w", id, err)
	}
	switch {
	case e.ID != id:
		return Entry{}, fmt.Errorf("entry %s: holds ID %q", id, e.ID)
	case !knownState(e.State):
		return Entry{}, fmt.Errorf("entry %s: unknown state %q", id, e.State)
	case e.Seq == 0:
		return Entry{}, fmt.Errorf("entry %s: no sequence number", id)
	case e.LocalReceipt == "":
		return Entry{}, fmt.Errorf("entry %s: no local receipt", id)
	}
	return e, nil
}

// openRecord decrypts a stored record: the wrapped data key and the sealed
// body of submission id, under the terminal key. It is the decoder of the
// only bytes the queue reads back from disk that carry personal data.
func openRecord(k keyring, id string, wrapped, body []byte) (kiosk.Submission, error) {
	dek, err := k.unwrap(id, wrapped)
	if err != nil {
		return kiosk.Submission{}, err
	}
	defer wipe(dek)
	plain, err := open(dek, "body", id, body)
	if err != nil {
		return kiosk.Submission{}, err
	}
	defer wipe(plain)
	var s kiosk.Submission
	if err := json.Unmarshal(plain, &s); err != nil {
		return kiosk.Submission{}, fmt.Errorf("record %s: %w", id, err)
	}
	if s.ID != id {
		return kiosk.Submission{}, errors.New("record holds another submission's ID")
	}
	return s, nil
}

// sealRecord encrypts s under a fresh data key and returns the wrapped key
// and the sealed body. Only the fields the submission sends are sealed
// (Submission.Sent: the applicant's and the 代办 agent's Identity.Sent):
// the cards' addresses and the rest stay out of the queue.
func sealRecord(k keyring, s kiosk.Submission) (wrapped, body []byte, err error) {
	s = s.Sent()
	plain, err := json.Marshal(s)
	if err != nil {
		return nil, nil, err
	}
	defer wipe(plain)
	dek, wrapped, err := k.newDataKey(s.ID)
	if err != nil {
		return nil, nil, err
	}
	defer wipe(dek)
	body, err = seal(dek, "body", s.ID, plain)
	return wrapped, body, err
}
