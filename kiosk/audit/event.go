package audit

import (
	"errors"
	"fmt"
	"regexp"
	"time"
)

// Kind names what happened. Kinds are stable strings: they are read back by
// auditors and tools.
type Kind string

// The audited events.
const (
	SessionStarted        Kind = "session.started"
	SessionEnded          Kind = "session.ended"
	SubmissionAccepted    Kind = "submission.accepted"
	ReceiptPrinted        Kind = "receipt.printed"
	SubmissionSynced      Kind = "submission.synced"
	SubmissionQuarantined Kind = "submission.quarantined"
	SubmissionRetried     Kind = "submission.retried"
	SubmissionPurged      Kind = "submission.purged"
	QueueDamaged          Kind = "queue.damaged"
	QueueCompacted        Kind = "queue.compacted"
	StaffLogin            Kind = "staff.login"
	StaffLogout           Kind = "staff.logout"
	StaffAction           Kind = "staff.action"
	TechnicianLogin       Kind = "technician.login"
	TechnicianLogout      Kind = "technician.logout"
	TechnicianAction      Kind = "technician.action"
	LogOpened             Kind = "audit.opened"
	// LogRepaired records that Open cut a torn tail (a write cut short by a
	// power cut, or bytes that are no entry) back to the last whole entry.
	LogRepaired Kind = "audit.repaired"
	// LogKeyed records that a log begun without a key (the old SM3-only
	// chain) continues from here sealed with HMAC-SM3 under the
	// terminal's audit key.
	LogKeyed Kind = "audit.keyed"
)

// Event is what a caller records.
type Event struct {
	Kind   Kind
	Actor  string // "resident", "system", "staff:<staff id>", "technician:<id>"
	Ref    string // submission ID, receipt number or session ID; never a person
	Detail string // plain words; no personal data
}

// Entry is one line of the log as stored.
type Entry struct {
	Seq    uint64    `json:"seq"`
	At     time.Time `json:"at"`
	Kind   Kind      `json:"kind"`
	Actor  string    `json:"actor,omitempty"`
	Ref    string    `json:"ref,omitempty"`
	Detail string    `json:"detail,omitempty"`
	Prev   string    `json:"prev"` // hex hash (SM3 or HMAC-SM3) of the previous entry
	// MAC is "hmac-sm3" for an entry sealed with the terminal's audit key;
	// absent for an entry of the old unkeyed chain.
	MAC string `json:"mac,omitempty"`
}

var (
	kindPattern = regexp.MustCompile(`^[a-z][a-z-]*(\.[a-z][a-z-]*)+$`)
	// An 18-character ID number (or 15-digit old one) anywhere, or an
	// 11-digit mobile number standing alone.
	idNumberPattern = regexp.MustCompile(`(^|\D)(\d{15}|\d{17}[\dXx])($|[^\dXx])`) // a whole 15- or 18-character number, not part of a longer one
	mobilePattern   = regexp.MustCompile(`(^|\D)1[3-9]\d{9}($|\D)`)
)

const maxField = 512

func (e Event) validate() error {
	if !kindPattern.MatchString(string(e.Kind)) {
		return fmt.Errorf("audit: kind %q is not of the form area.action", e.Kind)
	}
	for name, v := range map[string]string{"actor": e.Actor, "ref": e.Ref, "detail": e.Detail} {
		if len(v) > maxField {
			return fmt.Errorf("audit: %s longer than %d bytes", name, maxField)
		}
		if idNumberPattern.MatchString(v) {
			return errors.New("audit: " + name + " looks like it holds an ID number; audit entries carry IDs of submissions, not of people")
		}
		if name != "ref" && mobilePattern.MatchString(v) {
			return errors.New("audit: " + name + " looks like it holds a phone number")
		}
	}
	return nil
}
