package kiosk

import (
	"log/slog"
	"time"
)

// ScanKind is what a scanned code turned out to be, and so the flow it is
// routed to.
type ScanKind string

// Scanned-code kinds and the flows they go to.
const (
	// ScanProgress is this system's receipt code (the QR printed on the
	// acceptance receipt): the Query flow shows the submission's progress.
	ScanProgress ScanKind = "progress"
	// ScanAppointment is an appointment code: the Appointment flow checks
	// the resident in.
	ScanAppointment ScanKind = "appointment"
	// ScanSuishenma is a 随申码 shown on a phone: the Identify flow sends
	// the token to the back office, which alone may verify it.
	ScanSuishenma ScanKind = "suishenma"
	// ScanECertificate is an e-certificate code (电子亮证): the current
	// item's materials step sends the token to the back office to verify.
	ScanECertificate ScanKind = "e-certificate"
	// ScanWebLink is some other web address: never opened on the
	// terminal; the resident is told to open it on their phone.
	ScanWebLink ScanKind = "web-link"
	// ScanStaffBadge is a staff member's badge (TBSTAFF1:<number>:<secret>):
	// only the staff login takes it, with the member's PIN; elsewhere it is
	// not acted on.
	ScanStaffBadge ScanKind = "staff-badge"
	// ScanOther is anything else: the resident is told the terminal
	// cannot use this code.
	ScanOther ScanKind = "other"
)

// ScannedCode is a classified scan. Token is an opaque credential that
// only the back office may verify: the terminal never trusts, parses or
// logs it.
type ScannedCode struct {
	Kind        ScanKind
	Receipt     string // ScanProgress: the local receipt number
	ProgressKey string // ScanProgress: the key from the receipt's QR link ("" when typed or absent)
	Appointment string // ScanAppointment: the appointment number
	Token       string // ScanSuishenma, ScanECertificate: opaque; ScanStaffBadge: the badge secret
	StaffNumber string // ScanStaffBadge: the staff number printed on the badge
	URL         string // ScanWebLink
}

// LogValue keeps tokens and links out of logs: 随申码 and e-certificate
// tokens identify a resident.
func (c ScannedCode) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("kind", string(c.Kind))}
	if c.Receipt != "" {
		attrs = append(attrs, slog.String("receipt", c.Receipt))
	}
	if c.StaffNumber != "" {
		attrs = append(attrs, slog.String("staff", c.StaffNumber))
	}
	if c.Token != "" {
		attrs = append(attrs, slog.Int("token_len", len(c.Token)))
	}
	return slog.GroupValue(attrs...)
}

// ScanEvent is what the scanner hands the session: a classified code, or
// an *Error with a plain-words message when the code could not be read or
// is malformed.
type ScanEvent struct {
	Code ScannedCode
	Err  error
	At   time.Time // when the code was complete on the wire
}
