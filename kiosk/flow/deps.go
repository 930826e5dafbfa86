package flow

import (
	"context"
	"log/slog"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// Catalog finds items by code.
type Catalog interface {
	Item(code kiosk.ItemCode) (kiosk.Item, bool)
}

// Forms pages and validates an item's form for a resident.
type Forms interface {
	// Pages returns the visible fields of the form, at most a few per page.
	Pages(item kiosk.Item, who kiosk.Identity, a kiosk.Answers) [][]kiosk.Field
	// Validate checks fields against the answers and returns a message per
	// field ID that is wrong.
	Validate(item kiosk.Item, fields []kiosk.Field, who kiosk.Identity, a kiosk.Answers) map[string]kiosk.Text
	// Prefill returns the answers the ID card already gives.
	Prefill(item kiosk.Item, who kiosk.Identity) kiosk.Answers
}

// AgentForms is what Forms also offers when residents may apply on
// someone else's behalf (代办); a Forms without it offers no 代办.
type AgentForms interface {
	// ForAgent returns the item with the form an agent fills in (the
	// applicant's name and ID number typed, the relation declared, nothing
	// prefilled from the agent's card), and false when the item must be
	// done in person.
	ForAgent(item kiosk.Item) (kiosk.Item, bool)
	// Principal is the applicant, read from the answers of that form.
	Principal(item kiosk.Item, a kiosk.Answers) kiosk.Identity
	// PrincipalIDField names the field of that form with the applicant's
	// ID number.
	PrincipalIDField(item kiosk.Item) string
}

// AgentRelationField is the answer of a 代办 form that declares what the
// applicant is to the agent (form.FieldAgentRelation).
const AgentRelationField = "agent_relation"

// Eligibility tells whether a resident may apply for an item today with the
// answers given so far (nil before the form starts), and if not, why and
// where to go instead. Rules that read answers not given yet must not
// refuse: the session asks again at the review with every answer.
type Eligibility func(item kiosk.Item, who kiosk.Identity, answers kiosk.Answers, today time.Time) (ok bool, reason kiosk.Text)

// Gate tells whether an item can be served now with the devices and
// connection the terminal has, and if not, why.
type Gate func(item kiosk.Item) (ok bool, reason kiosk.Text)

// Numbering hands out a new submission ID and local receipt number.
type Numbering func(now time.Time) (id, localReceipt string, err error)

// Confirmer asks the back office to confirm a queued submission at once, so
// the receipt can carry the official number. It may fail: the queue holds
// the submission and syncs it later.
type Confirmer interface {
	Confirm(ctx context.Context, id string) (official string, err error)
}

// Intake accepts a resident's submission: it stores it durably, assigning
// its ID and local receipt number in the same transaction, records it in
// the audit log, then sends this very submission to the back office and
// waits for its answer no longer than ctx allows. The submission passed in
// has no ID or LocalReceipt; Accept fills them. A nil error means the
// submission is durable (Accepted.Queued tells whether the back office has
// confirmed it). An error means it was not accepted: its kind and message
// say why in plain words (KindQueueFull, KindInvalid when the back office
// refused its content at once, KindInternal otherwise).
type Intake interface {
	Accept(ctx context.Context, s kiosk.Submission) (kiosk.Accepted, error)
}

// Tickets issues counter queue numbers.
type Tickets interface {
	Take(ctx context.Context, service kiosk.Text) (kiosk.Ticket, error)
}

// Appointments books counter appointments with the back office.
type Appointments interface {
	// Slots lists the free times for item over the next days.
	Slots(ctx context.Context, item kiosk.ItemCode, from time.Time, days int) ([]kiosk.Slot, error)
	// Book takes a slot for the resident.
	Book(ctx context.Context, slotID string, item kiosk.Item, who kiosk.Identity) (kiosk.Appointment, error)
}

// Terminal describes where the terminal stands.
type Terminal struct {
	CenterName string
	Center     string // center code
	Code       string // terminal code
}

// Deps are the session's collaborators. Reader, Queue and Printer are
// required; the others may be nil, which switches their feature off.
type Deps struct {
	Terminal  Terminal
	Clock     kiosk.Clock
	Logger    *slog.Logger
	Reader    kiosk.CardReader
	Queue     kiosk.Queue
	Intake    Intake // replaces Queue, Numbers and Confirmer (terminal-core issue)
	Printer   kiosk.ReceiptPrinter
	Catalog   Catalog
	Forms     Forms
	Eligible  Eligibility
	Gate      Gate
	Numbers   Numbering
	Confirmer Confirmer
	Status    kiosk.StatusQuery
	// Identifier has the back office verify a scanned 随申码; nil: such a
	// code is refused and the resident sent to the card or the counter.
	Identifier Identifier
	// CardIdentifier has the back office vouch for each card read, in the
	// background; nil: cards are not vouched for, and queries and
	// documents are offered as the other gates say.
	CardIdentifier CardIdentifier
	Tickets        Tickets
	Staff          StaffDesk    // nil: no staff menu
	Appointments   Appointments // nil: no booking at the kiosk
	ProgressURL    func(localReceipt, clientID string) string
	// Hours are the counters' opening hours (the configuration's): tickets
	// only while open, appointments only inside them. Zero: the default.
	Hours kiosk.Hours
	// Audit, when set, records what happened in the append-only audit log:
	// kinds such as "session.started", with a reference that is never a
	// person (a submission ID or receipt number).
	Audit func(kind, ref, detail string)
	// Driver runs the session's effects (card reads, submissions, prints,
	// queries); nil starts a goroutine for each. Tests pass one that keeps
	// them, to run them one by one.
	Driver Driver
	// Departments answers the items' queries and issues their documents
	// through the back office (uplink.Client); nil: none is served here.
	Departments kiosk.Departments
	// Connected says which items' queries and documents this center has
	// connected (from the configuration bundle); nil: none.
	Connected func() kiosk.Connected
	// A4 prints documents on A4 (hardware.A4Printer); nil: there is no
	// A4 printer and documents are greyed.
	A4 A4Printer
	// ConfirmWait bounds how long the done screen waits for the official
	// receipt number before printing the receipt as queued.
	ConfirmWait time.Duration
}

// Identifier turns a scanned 随申码 or e-certificate code into an identity
// the back office verified (uplink.Client.Identify). An error is shown to
// the resident: it says in plain words what to do instead.
type Identifier interface {
	Identify(ctx context.Context, code string) (kiosk.Identity, error)
}
