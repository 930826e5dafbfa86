package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Store is what the back office needs from its database.
type Store interface {
	CreateEnrolmentToken(ctx context.Context, t EnrolmentToken) error
	// ConsumeEnrolmentToken marks the token with this hash used by the key
	// with hash key and returns it; a token used by that same key before
	// is returned again (a retry), with the certificate it got if any;
	// ErrNotFound, ErrTokenUsed (another key) or ErrTokenExpired otherwise.
	ConsumeEnrolmentToken(ctx context.Context, hash, key string, now time.Time) (EnrolmentToken, error)
	// CompleteEnrolment records the terminal's enrolment and the
	// certificate its token got, together; ErrTokenUsed when the token
	// has a certificate already.
	CompleteEnrolment(ctx context.Context, hash string, t Terminal, certDER []byte) error
	PutTerminal(ctx context.Context, t Terminal) error
	RenewTerminal(ctx context.Context, id, enrolment string, notAfter time.Time) error
	// CertificateInUse records that a certificate of the terminal's
	// enrolment that starts at notBefore was used, if it is the newest.
	CertificateInUse(ctx context.Context, id, enrolment string, notBefore time.Time) error
	Terminal(ctx context.Context, id string) (Terminal, error)

	// SaveSubmissions stores a batch in one transaction; for each item it
	// returns the official receipt number, new or original.
	SaveSubmissions(ctx context.Context, subs []Submission, now time.Time) ([]Saved, error)
	// SubmissionByReceipt finds a submission by official or local receipt number.
	SubmissionByReceipt(ctx context.Context, receipt string) (Submission, error)
	// Parts returns a 一件事 bundle submission's parts (none for one item).
	Parts(ctx context.Context, terminal, clientID string) ([]Part, error)
	// CountSubmissions counts the submissions of a terminal per client ID:
	// the fault tests use it to prove each one is stored exactly once.
	CountSubmissions(ctx context.Context, terminal string) (map[string]int, error)
	// Held counts the submissions stored for a terminal (reported in batch
	// answers, so the terminal notices a restore that lost some).
	Held(ctx context.Context, terminal string) (int64, error)
	IdempotentAnswer(ctx context.Context, terminal, key string) (IdempotentAnswer, error)
	SaveIdempotentAnswer(ctx context.Context, a IdempotentAnswer) error

	SaveHeartbeat(ctx context.Context, h Heartbeat) error
	LatestHeartbeat(ctx context.Context, terminal string) (Heartbeat, error)
	SaveAlarm(ctx context.Context, a Alarm) (int64, error)
	Alarms(ctx context.Context, terminal string, limit int) ([]Alarm, error)

	// PutBundle stores a signed bundle; its version must be above every
	// stored version of its kind (ErrNotNewer).
	PutBundle(ctx context.Context, b Bundle) error
	LatestBundle(ctx context.Context, kind string) (Bundle, error)

	NextTicket(ctx context.Context, center, service string, now time.Time) (Ticket, error)
	PutSlot(ctx context.Context, s Slot) error
	Slots(ctx context.Context, center string, from, to time.Time) ([]Slot, error)
	Book(ctx context.Context, a Appointment) (Appointment, error)
	// PutPlace, Place, BookablePlaces and PlaceSlots keep the places where
	// appointments are kept and their slots per item (places.go).
	PutPlace(ctx context.Context, p Place) error
	Place(ctx context.Context, id string) (Place, error)
	BookablePlaces(ctx context.Context, center, kind string) ([]Place, error)
	PlaceSlots(ctx context.Context, place, item string, from, to time.Time) ([]Slot, error)
	Appointment(ctx context.Context, id string) (Appointment, error)
	CancelAppointment(ctx context.Context, id string, now time.Time) (Appointment, error)

	PutLicence(ctx context.Context, l Licence) error
	Licences(ctx context.Context, holderType, holderHash string) ([]Licence, error)

	// AnchorAudit keeps a terminal's audit head and says how it compares
	// with those kept before (backwards, forked).
	AnchorAudit(ctx context.Context, a AuditAnchor) (AnchorVerdict, error)
	// RaiseAlarmOnce stores an alarm unless one of its kind is unresolved.
	RaiseAlarmOnce(ctx context.Context, a Alarm) (bool, error)
	// AuditAnchorOf is the highest anchored head of a terminal.
	AuditAnchorOf(ctx context.Context, terminal string) (AuditAnchor, error)
	// RecordLookup and LookupsOf keep the e-licence lookup log.
	RecordLookup(ctx context.Context, r LookupRecord) error
	LookupsOf(ctx context.Context, pseudonym string) ([]LookupRecord, error)
	// UseNonce marks a token nonce used until expires; false: used before.
	UseNonce(ctx context.Context, nonce string, expires, now time.Time) (bool, error)

	Close() error
}

// Errors of the store.
var (
	ErrNotFound         = errors.New("store: not found")
	ErrTokenUsed        = errors.New("store: enrolment token already used")
	ErrTokenExpired     = errors.New("store: enrolment token expired")
	ErrNotNewer         = errors.New("store: bundle version not above the stored one")
	ErrSlotFull         = errors.New("store: appointment slot is full")
	ErrAlreadyCancelled = errors.New("store: appointment already cancelled")
)

// EnrolmentToken authorises one terminal to enrol once. Only the hash of the
// token is stored.
type EnrolmentToken struct {
	Hash      string
	Terminal  string
	Center    string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time // zero while unused
	UsedKey   string    // the hash of the key that used it
	Cert      []byte    // the certificate (DER) it got; nil until then
}

// Terminal is an enrolled terminal and its current client certificate.
type Terminal struct {
	ID           string
	Center       string
	CertSerial   string // hex; any other certificate of this terminal is refused
	CertNotAfter time.Time
	EnrolledAt   time.Time
	RevokedAt    time.Time // non-zero: its certificate is refused
	// CertInUse is the start (NotBefore) of the newest certificate of this
	// enrolment seen in use; earlier ones were superseded by a renewal.
	CertInUse time.Time
}

// Submission states.
const (
	StateAccepted = "accepted"
	StateInReview = "in-review"
	StateDone     = "done"
	StateRefused  = "refused"
	// The states the console moves a submission through.
	StateTaken      = "taken"       // 受理: staff took it in
	StateInProgress = "in-progress" // 办理中
	StateReturned   = "returned"    // 退回, with a reason
	StateNeedMore   = "need-more"   // 需补件: what to bring
)

// nextStates says which states the console may move a submission to from
// each state. 办结 and 退回 are final.
var nextStates = map[string][]string{
	StateAccepted:   {StateTaken, StateReturned, StateNeedMore},
	StateInReview:   {StateTaken, StateReturned, StateNeedMore},
	StateTaken:      {StateInProgress, StateReturned, StateNeedMore},
	StateInProgress: {StateDone, StateReturned, StateNeedMore},
	StateNeedMore:   {StateTaken, StateReturned},
}

// NextStates lists the states a submission in state may move to.
func NextStates(state string) []string { return append([]string(nil), nextStates[state]...) }

// CanMove reports whether a submission may move from one state to another.
func CanMove(from, to string) bool {
	for _, s := range nextStates[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Submission is one stored application.
type Submission struct {
	Terminal        string
	ClientID        string
	LocalReceipt    string
	OfficialReceipt string // set by SaveSubmissions
	Center          string
	AffairsCode     string
	AffairsName     string
	PayloadHash     string // SHA-256 of the canonical payload, hex
	// EarlierHash is the payload's hash as servers before the content
	// digest computed it (SHA-256 of the re-encoded item): a resend of a
	// submission such a server stored is a duplicate, not a conflict.
	// Not stored.
	EarlierHash string
	Payload     []byte // the item as received (personal data), without its signature
	// Signature is the handwritten signature (PNG), stored sealed apart
	// from the payload under a key of its own.
	Signature  []byte
	State      string
	CreatedAt  time.Time // terminal clock
	ReceivedAt time.Time // server clock; set by SaveSubmissions
	// NameMasked and IDMasked are the applicant's name and ID number as
	// lists may show them (测*甲, 310104********1234).
	NameMasked string
	IDMasked   string
	// ReasonZH and ReasonEN say why the state was set (退回, 需补件), for
	// the resident's progress query; StateAt and StateBy when and by whom.
	ReasonZH, ReasonEN string
	StateAt            time.Time
	StateBy            string
	// Parts are a 一件事 bundle's parts, to store with it (No, AffairsCode
	// and AffairsName are read); read them back with DB.Parts.
	Parts []Part
}

// Saved is the outcome of saving one submission.
type Saved struct {
	OfficialReceipt string
	Duplicate       bool // it was stored before; OfficialReceipt is the original
	// Conflict: stored before with a different payload. The new one is not
	// stored; OfficialReceipt is the original's.
	Conflict bool
}

// IdempotentAnswer is the stored answer to a batch, replayed when the same
// Idempotency-Key comes again.
type IdempotentAnswer struct {
	Terminal    string
	Key         string
	RequestHash string
	Status      int
	Body        []byte
	CreatedAt   time.Time
}

// Heartbeat is the latest heartbeat of a terminal, kept as its JSON body.
type Heartbeat struct {
	Terminal   string
	ReceivedAt time.Time
	Body       []byte
	// Available: every device usable. Each minute with a heartbeat is
	// kept with it, for the availability report.
	Available bool
}

// Availability is how many minutes of a day (Shanghai) a terminal sent a
// heartbeat saying every device was usable, out of the minutes it sent any.
type Availability struct {
	Terminal  string
	Day       string
	Available int
	Reported  int
}

// Alarm is a raised alarm.
type Alarm struct {
	ID         int64
	Terminal   string
	Kind       string
	Device     string
	Detail     string
	RaisedAt   time.Time // terminal clock
	ReceivedAt time.Time // server clock
	State      string    // open, acknowledged, resolved
	AckedBy    string
	AckedAt    time.Time
	ResolvedBy string
	ResolvedAt time.Time
}

// Alarm states.
const (
	AlarmOpen     = "open"
	AlarmAcked    = "acknowledged"
	AlarmResolved = "resolved"
)

// Bundle is a signed bundle envelope (package bundle) as published.
type Bundle struct {
	Kind        string
	Version     uint64
	Data        []byte
	PublishedAt time.Time
}

// Ticket is an issued counter queue number.
type Ticket struct {
	Center   string
	Service  string
	Seq      int
	Waiting  int
	IssuedAt time.Time
	Day      string // YYYY-MM-DD in Shanghai
	State    string // waiting, called, served, skipped
	Counter  string // the service window that called it
	CalledAt time.Time
	Calls    int // how often it was called (recalls count)
	DoneAt   time.Time
}

// Ticket states.
const (
	TicketWaiting = "waiting"
	TicketCalled  = "called"
	TicketServed  = "served"
	TicketSkipped = "skipped"
)

// Number is the ticket as printed: the service letter and three digits.
func (t Ticket) Number() string { return fmt.Sprintf("%s%03d", t.Service, t.Seq) }

// Slot is an appointment slot.
type Slot struct {
	ID       string
	Center   string // the center whose counters keep it; "" at a district's place
	Service  string
	Start    time.Time
	Capacity int
	Booked   int
	Place    string // the place (places.go); "" on PutSlot: Center's counters
	Item     string // the item it is kept for; "": any item of the place
}

// Appointment states.
const (
	AppointmentBooked    = "booked"
	AppointmentCancelled = "cancelled"
)

// Appointment is a booking of a slot.
type Appointment struct {
	ID         string
	SlotID     string
	ItemCode   string
	HolderHash string
	State      string
	CreatedAt  time.Time
	Slot       Slot   // filled on read
	Visit      string // "", arrived, no-show
	// Center is the center whose terminal booked it: only that center's
	// terminals read or cancel it.
	Center string
	// PartnerHash is the keyed hash of the other party's ID number (a
	// marriage registration), "" when the item has none.
	PartnerHash string
	// Answers are the item's form as answered at the booking (JSON),
	// personal data; written by Book, read only by AppointmentAnswers.
	Answers []byte
}

// Visits of an appointment, marked at the center.
const (
	VisitArrived = "arrived"
	VisitNoShow  = "no-show"
)

// Licence is an e-licence in the licence table.
type Licence struct {
	CertUUID   string
	HolderType string
	HolderHash string
	CatMain    string
	Name       string
	Issuer     string
	ValidStart string
	ValidEnd   string
}
