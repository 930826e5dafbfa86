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
