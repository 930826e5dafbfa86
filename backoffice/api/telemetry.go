package api

import "time"

// Heartbeat is POST /v1/heartbeats, about every 60 s. It never carries
// personal data.
type Heartbeat struct {
	Terminal   string    `json:"terminal"`
	Version    string    `json:"version"`
	SentAt     time.Time `json:"sent_at"` // terminal clock, to measure skew
	QueueDepth int       `json:"queue_depth"`
	// OldestPendingAt is when the oldest submission not yet acknowledged
	// was queued (terminal clock); absent when the queue is empty or the
	// terminal does not say.
	OldestPendingAt  *time.Time     `json:"oldest_pending_at,omitempty"`
	CatalogVersion   uint64         `json:"catalog_version"`
	ConfigVersion    uint64         `json:"config_version"`
	LastSyncAt       *time.Time     `json:"last_sync_at,omitempty"`
	Devices          []DeviceStatus `json:"devices"`
	Available        bool           `json:"available"`
	UnavailableCause string         `json:"unavailable_cause,omitempty"`
	// Audit is the head of the terminal's audit chain, anchored by the
	// back office; absent from terminals that do not say.
	Audit *AuditHead `json:"audit,omitempty"`
}

// AuditHead is the last entry of a terminal's audit chain: its sequence
// number and its HMAC-SM3 hash (64 hex digits). The back office keeps each
// one it is sent and raises an alarm when a terminal's chain goes
// backwards (audit-rollback) or forks (audit-fork).
type AuditHead struct {
	Seq  uint64 `json:"seq"`
	Head string `json:"head"`
	// Signature is the terminal's SM2 signature (SM3 digest) of the head,
	// an audit checkpoint (internal/sealed SignCheckpoint), under the SM2
	// key its certificate carries. Required from a terminal whose
	// certificate carries one.
	Signature []byte `json:"signature,omitempty"`
}

// DeviceStatus mirrors kiosk.DeviceStatus on the wire.
type DeviceStatus struct {
	Kind   string `json:"kind"`
	State  string `json:"state"`
	Paper  string `json:"paper,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// HeartbeatResponse tells the terminal the server's time (so it can report
// and tolerate clock skew) and the newest bundle versions, so it polls only
// when something changed.
type HeartbeatResponse struct {
	ServerTime     time.Time `json:"server_time"`
	CatalogVersion uint64    `json:"catalog_version"`
	ConfigVersion  uint64    `json:"config_version"`
	// Held: as in BatchResponse, so an idle terminal notices a restore too.
	Held *int64 `json:"held,omitempty"`
	// AuditAnchor is the highest audit head anchored before this heartbeat
	// (no signature); absent when none. The terminal checks once per start
	// that its log still holds that entry unchanged: a log rewritten while
	// the kiosk was stopped is found even when it reports a higher head.
	AuditAnchor *AuditHead `json:"audit_anchor,omitempty"`
	// Connected: the items connected to department services at the
	// terminal's center (absent from back offices before queries).
	Connected *Connected `json:"connected,omitempty"`
}

// AlarmKind is what needs a person at the terminal.
type AlarmKind string

// Alarm kinds.
const (
	AlarmPaperOut     AlarmKind = "paper-out"
	AlarmDeviceFault  AlarmKind = "device-fault"
	AlarmQueueDamaged AlarmKind = "queue-damaged"
	// AlarmQueueFull: the terminal refuses new submissions (its disk or
	// queue quota is full); what it holds is kept and still sent.
	AlarmQueueFull AlarmKind = "queue-full"
	// AlarmBundleRefused: a signed bundle did not load on the terminal,
	// which keeps what it ran before.
	AlarmBundleRefused AlarmKind = "bundle-refused"
	// AlarmStaffLockout: wrong staff codes locked the staff menu.
	AlarmStaffLockout AlarmKind = "staff-lockout"
	// AlarmAuditUnwritable: the terminal could not write an event to its
	// audit trail; the event is not silently dropped, staff must look.
	AlarmAuditUnwritable AlarmKind = "audit-unwritable"
	// AlarmAuditRewritten: the terminal found, at a start, its audit log's
	// last entry unsealed though its audit key existed (rewritten by
	// someone without the key), or sealed under another key.
	AlarmAuditRewritten AlarmKind = "audit-rewritten"
	// AlarmAuditRollback: the back office saw a terminal's audit chain go
	// backwards (a lower sequence than it anchored): entries were cut off
	// or the log was replaced by an older copy. Raised by the back office.
	AlarmAuditRollback AlarmKind = "audit-rollback"
	// AlarmAuditFork: the back office was sent two heads for the same
	// audit entry of a terminal: its history was rewritten. Raised by the
	// back office.
	AlarmAuditFork AlarmKind = "audit-fork"
)

// Alarm is POST /v1/alarms.
type Alarm struct {
	Terminal string    `json:"terminal"`
	Kind     AlarmKind `json:"kind"`
	Device   string    `json:"device,omitempty"`
	Detail   string    `json:"detail,omitempty"` // plain words for staff, no personal data
	RaisedAt time.Time `json:"raised_at"`
}

// Accepted is the body of a 202 answer.
type Accepted struct {
	ID string `json:"id"`
}
