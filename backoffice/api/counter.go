package api

import "time"

// TicketRequest is POST /v1/centers/{center}/tickets: a counter queue number.
type TicketRequest struct {
	Service string `json:"service"` // counter service code, e.g. "A" (综合), "B" (社保)
}

// Ticket is a counter queue number.
type Ticket struct {
	Center   string    `json:"center"`
	Service  string    `json:"service"`
	Number   string    `json:"number"` // e.g. "A017"
	Waiting  int       `json:"waiting"`
	IssuedAt time.Time `json:"issued_at"`
}

// Slot is an appointment slot at a place: a center's counters, or a
// place of the center's district (a marriage registry, an assessment
// hospital).
type Slot struct {
	ID        string    `json:"id"`
	Center    string    `json:"center"`
	Service   string    `json:"service"`
	Start     time.Time `json:"start"`
	Capacity  int       `json:"capacity"`
	Available int       `json:"available"`
	Place     string    `json:"place,omitempty"` // the place's ID (SlotsResponse.Places)
	Item      string    `json:"itemcode,omitempty"`
}

// Kinds of place (the catalog's book_at).
const (
	PlaceCenter             = "center"
	PlaceMarriageRegistry   = "marriage-registry"
	PlaceAssessmentHospital = "assessment-hospital"
)

// Place is where an appointment is kept: its name and address as the
// resident reads them, and its opening hours (kiosk.ParseHours text).
type Place struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	NameZH    string `json:"name_zh"`
	NameEN    string `json:"name_en,omitempty"`
	AddressZH string `json:"address_zh"`
	AddressEN string `json:"address_en,omitempty"`
	Hours     string `json:"hours,omitempty"`
}

// SlotsResponse is GET /v1/centers/{center}/slots?date=YYYY-MM-DD, with
// optional item= (slots kept for that item or any) and at= (a kind of
// place; default center). Places are the places the slots are at.
type SlotsResponse struct {
	Slots  []Slot  `json:"slots"`
	Places []Place `json:"places,omitempty"`
}

// Party is the other party of a booking (the partner of a marriage
// registration): the ID number is sent over TLS and stored only as a
// keyed hash.
type Party struct {
	Name string `json:"name"`
	IDNo string `json:"idno"`
}

// BookRequest is POST /v1/appointments. HolderIDNo is sent over TLS and
// stored only as a keyed hash. Answers are the item's form as answered
// (sealed at rest); Partner is required at a marriage registry.
type BookRequest struct {
	SlotID     string            `json:"slot_id"`
	ItemCode   string            `json:"itemcode"`
	HolderIDNo string            `json:"holder_idno"`
	Answers    map[string]string `json:"answers,omitempty"`
	Partner    *Party            `json:"partner,omitempty"`
}

// Appointment is a booked (or cancelled) appointment.
type Appointment struct {
	ID        string    `json:"id"`
	SlotID    string    `json:"slot_id"`
	Center    string    `json:"center"`
	Service   string    `json:"service"`
	ItemCode  string    `json:"itemcode"`
	Start     time.Time `json:"start"`
	State     string    `json:"state"` // booked, cancelled
	CreatedAt time.Time `json:"created_at"`
	Place     *Place    `json:"place,omitempty"` // where to go; nil: the center's counters
}

// LicenceQuery is POST /v1/licences:query (证照免交), after the e-licence
// library's secQueryCertBaseData: every query names the item it is for, for
// the audit trail.
type LicenceQuery struct {
	HolderType string `json:"holderType"` // "居民身份证" or "统一社会信用代码"
	HolderCode string `json:"holderCode"`
	CatMain    string `json:"catMainCode,omitempty"`
	ItemCode   string `json:"itemCode"`
	ItemName   string `json:"itemName"`
	// Identification is the event ID the back office gave when it
	// verified this holder at this terminal (POST /v1/identifications);
	// a lookup without a live one is refused.
	Identification string `json:"identification"`
}

// Licence is one e-licence of the holder.
type Licence struct {
	CertUUID   string `json:"certUuid"`
	CatMain    string `json:"catMainCode"`
	Name       string `json:"name"`
	Issuer     string `json:"issuer,omitempty"`
	ValidStart string `json:"validStartDay"` // YYYY-MM-DD
	ValidEnd   string `json:"validEndDay"`   // YYYY-MM-DD; empty: no end
}

// LicencesResponse lists the holder's licences.
type LicencesResponse struct {
	Licences []Licence `json:"licences"`
}

// IdentifyRequest is POST /v1/identifications: the text of a scanned
// 随申码 or e-certificate code, which the back office verifies with the
// issuing platform before the terminal may treat it as an identity.
//
// For an ID card read at the terminal, Code is empty and ReaderSAM and
// IDNo name the card reader's SAM (allow-listed for the terminal) and the
// card's number: the event then lets the visit look the resident up.
type IdentifyRequest struct {
	Code      string `json:"code,omitempty"`
	ReaderSAM string `json:"reader_sam,omitempty"`
	IDNo      string `json:"idno,omitempty"`
}

// IdentifyResponse is the verified identity and the identification event
// that later requests of this visit (licence lookups, queries) name.
type IdentifyResponse struct {
	EventID   string    `json:"event_id"`
	Kind      string    `json:"kind"`   // "suishenma", "ecert" or "idcard"
	IDType    string    `json:"idtype"` // "1": 居民身份证
	IDNo      string    `json:"idno"`
	FullName  string    `json:"fullname"`
	ExpiresAt time.Time `json:"expires_at"` // the event's life for lookups
}
