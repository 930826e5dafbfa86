package kiosk

// ItemCode identifies a service item on this terminal (the Shanghai local
// implementation code or affairs code).
type ItemCode string

// Action is what a resident can do with an item at the kiosk.
type Action string

// Kiosk actions (reference/catalog.md §1.2, kiosk extension).
const (
	ActionApply       Action = "apply"
	ActionQuery       Action = "query"
	ActionPrint       Action = "print"
	ActionAppointment Action = "appointment"
	ActionTicket      Action = "ticket"
	ActionGuide       Action = "guide"
)

// Need is a device or connection an item requires to be served now.
type Need string

// Needs an item may declare.
const (
	NeedIDReader   Need = "id-reader"
	NeedPrinter    Need = "printer"
	NeedScanner    Need = "scanner"
	NeedBackOffice Need = "back-office" // online only; otherwise the queue accepts it offline
)

// Material is a document the applicant must provide.
type Material struct {
	Name     Text `json:"name"`
	Required bool `json:"required"`
	// FromLicenceLibrary is true when the e-licence library supplies it
	// (证照免交): the resident need not bring it.
	FromLicenceLibrary bool `json:"from_licence_library,omitempty"`
	Note               Text `json:"note,omitempty"`
}

// TimeLimit is a promised or legal processing time.
type TimeLimit struct {
	Days int    `json:"days"`           // 0 means handled on the spot (当场办结)
	Unit string `json:"unit,omitempty"` // "working-days" (default), "calendar-days", "months"
}

// Item is one government service item as the kiosk shows and serves it.
// The catalog package loads and validates these; the schema follows
// reference/catalog.md §1 (GB/T 39046—2020 plus the kiosk extensions).
type Item struct {
	Code        ItemCode   `json:"code"`
	Name        Text       `json:"name"`
	Summary     Text       `json:"summary"` // one line: what it is for
	Department  string     `json:"department"`
	Actions     []Action   `json:"actions"`
	Needs       []Need     `json:"needs,omitempty"`
	WhoCanApply Text       `json:"who_can_apply"`
	Materials   []Material `json:"materials,omitempty"`
	Promise     TimeLimit  `json:"promise"`
	AfterDone   Text       `json:"after_done"` // what happens next
	Contact     string     `json:"contact,omitempty"`
	Form        []Field    `json:"form,omitempty"`
	LifeEvents  []string   `json:"life_events,omitempty"`
	Popularity  int        `json:"popularity,omitempty"`
}

// Can reports whether the item offers action a at the kiosk.
func (it Item) Can(a Action) bool {
	for _, x := range it.Actions {
		if x == a {
			return true
		}
	}
	return false
}

// FieldType is the kind of value a form field takes.
type FieldType string

// Field types of the form engine.
const (
	FieldText      FieldType = "text"
	FieldNumber    FieldType = "number"
	FieldDate      FieldType = "date"
	FieldChoice    FieldType = "choice"
	FieldYesNo     FieldType = "yesno"
	FieldPhone     FieldType = "phone"
	FieldIDNumber  FieldType = "id-number"
	FieldBank      FieldType = "bank-account"
	FieldAddress   FieldType = "address"
	FieldFamily    FieldType = "family"
	FieldSignature FieldType = "signature"
	FieldConsent   FieldType = "consent"
)

// Prefill names the identity field a form field is filled from; such a
// field is shown read-only and never typed again.
type Prefill string

// Prefill sources.
const (
	PrefillName      Prefill = "name"
	PrefillSex       Prefill = "sex"
	PrefillBirthDate Prefill = "birth-date"
	PrefillAddress   Prefill = "address"
	PrefillIDNumber  Prefill = "id-number"
)

// Option is one choice of a choice field.
type Option struct {
	Value string `json:"value"`
	Label Text   `json:"label"`
}

// Field is one question of an item's form.
type Field struct {
	ID       string    `json:"id"`
	Type     FieldType `json:"type"`
	Label    Text      `json:"label"`
	Help     Text      `json:"help,omitempty"`
	Required bool      `json:"required,omitempty"`
	Prefill  Prefill   `json:"prefill,omitempty"`
	Options  []Option  `json:"options,omitempty"`
	// VisibleIf is a condition on other answers, e.g. `has_spouse == "yes"`.
	VisibleIf string `json:"visible_if,omitempty"`
	Min       *int   `json:"min,omitempty"` // number: smallest value; text: fewest characters
	Max       *int   `json:"max,omitempty"` // number: largest value; text: most characters
}

// Answers are a form's values by field ID, as entered (strings).
type Answers map[string]string
