package flow

import (
	"time"

	"github.com/tongban/tongban/kiosk"
)

// View is a snapshot of the session for the screen to render. It holds
// personal data only in masked form, except the form answers the resident
// is editing.
type View struct {
	State   State
	Lang    kiosk.Lang
	Elderly bool
	// HighContrast is the yellow-and-white-on-black look, for low vision.
	HighContrast bool
	Greeting     string // masked name, e.g. 张*明
	// Card is the kind of document the resident was identified by: the
	// screens label its number by it (居住证号码, not 身份证号码).
	Card    kiosk.CardType
	Reading bool // a card is being read: 正在读取，请不要移动身份证

	Item        *kiosk.Item
	Page, Pages int           // form page (0-based) and count
	Fields      []kiosk.Field // the fields of this form page
	Answers     kiosk.Answers // a copy of all answers so far
	Prefilled   map[string]bool
	// AgentOK: on an item's screen, the resident may apply for someone
	// else (代办); Agent: the form under way is one.
	AgentOK     bool
	Agent       bool
	FieldErrors map[string]kiosk.Text
	AllFields   []kiosk.Field // every visible field, for the review screen
	Consent     bool
	HasSign     bool

	// Notice is a plain-words message: an error with its way forward, or
	// information such as 请取走您的身份证.
	Notice   kiosk.Text
	NoticeOK bool // the notice is good news (green), not a problem

	Receipt *kiosk.Receipt
	// Rejected: the back office refused the submission of Receipt while
	// the done screen was up; the screen must not say 已受理.
	Rejected bool
	Status   *kiosk.SubmissionStatus
	Ticket   *kiosk.Ticket
	// Businesses are the businesses to choose on the ticket screen before
	// a number is issued. TicketsClosed: the counters are closed, and the
	// screen shows their Hours and when they open next instead.
	Businesses    []kiosk.Text
	TicketsClosed bool
	Hours         kiosk.Hours
	OpensNext     time.Time // zero: never
	Countdown     int       // seconds left on the countdown overlay; 0 when none
	CardLeft      bool      // the resident's ID card is still on the reader

	StaffReport *StaffReport // the staff menu's figures, once gathered
	// StaffBadges: the staff login takes a badge scan plus PIN;
	// StaffBadgeRead: a badge was scanned and waits for its PIN.
	StaffBadges, StaffBadgeRead bool

	Slots  []kiosk.Slot       // appointment times to choose from, once loaded
	Booked *kiosk.Appointment // the appointment just booked
	// The appointment's steps: the day chosen (zero while choosing it),
	// the time chosen (nil until then: the confirmation shows it), a
	// booking under way, and the place (this terminal's center).
	AppointmentDay time.Time
	ChosenSlot     *kiosk.Slot
	Booking        bool
	Place          string
	// Where the booking is kept, when not this center's counters (a
	// marriage registry, an assessment hospital): the place of the time
	// chosen, of the place chosen, or the only one offered. Places are
	// the places to choose from first, when the times are at several
	// (nil otherwise). BookingForm: the form and review on screen come
	// before choosing the time, and lead to it rather than to signing.
	AtPlace     kiosk.Place
	Places      []kiosk.Place
	BookingForm bool

	// The result and document screens: where the query or document
	// stands, the department's answer (Private values masked), whether a
	// failure may be tried again (重试), and the document's title.
	Phase    Phase
	Result   *kiosk.QueryResult
	Retry    bool
	DocTitle kiosk.Text

	Terminal      kiosk.TerminalState // whether the terminal can serve now
	TerminalWords kiosk.Text          // why not, in plain words
}
