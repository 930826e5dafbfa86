package kiosk

import "time"

// BookAt is where an item's appointments are kept (the catalog's book_at).
type BookAt string

// Places an item may be booked at.
const (
	// BookAtCenter: the center's own counters, the default.
	BookAtCenter BookAt = "center"
	// BookAtMarriageRegistry: the district's marriage registry (婚姻登记
	// 机关), where marriages and divorces are registered.
	BookAtMarriageRegistry BookAt = "marriage-registry"
	// BookAtAssessmentHospital: a hospital designated for disability
	// assessments (残疾评定).
	BookAtAssessmentHospital BookAt = "assessment-hospital"
)

// Place is where an appointment is kept: its name and address as the
// resident reads them, and its opening hours.
type Place struct {
	ID      string
	Kind    BookAt
	Name    Text
	Address Text
	Hours   Hours // zero: not known (the back office's slots are kept inside them)
}

// IsZero reports whether no place is named (the center's own counters).
func (p Place) IsZero() bool { return p.ID == "" && p.Name.IsZero() }

// Slot is a time a center can see a resident for an appointment.
type Slot struct {
	ID        string
	Start     time.Time
	Available int   // places left
	Place     Place // where; zero: the center's own counters
}

// Appointment is a booked slot (预约), printed as a slip with its number.
type Appointment struct {
	ID         string // the short number the back office gave, read out at the counter
	Center     string
	CenterName string // the center, as the slip's heading says it
	Item       Text
	Start      time.Time
	Bring      []Text // what to bring to the counter
	Lang       Lang
	// Place is where to go, when not the center's own counters (a
	// marriage registry, an assessment hospital): its name and address
	// are on the screen, the slip and in the spoken words.
	Place Place
}

// PlaceName is where the appointment is kept, in words: the place's name,
// or the center's when it is at the center's counters.
func (a Appointment) PlaceName() Text {
	if !a.Place.Name.IsZero() {
		return a.Place.Name
	}
	return Text{ZH: a.CenterName}
}

// The fields of a booking form that name the other party of a marriage
// registration: an item booked at a marriage registry asks both, and the
// booking sends them as the partner.
const (
	PartnerNameField = "partner_name"
	PartnerIDField   = "partner_id"
)
