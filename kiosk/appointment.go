package kiosk

import "time"

// Slot is a time a center can see a resident for an appointment.
type Slot struct {
	ID        string
	Start     time.Time
	Available int // places left
}

// Appointment is a booked slot (预约), printed as a slip with its number.
type Appointment struct {
	ID         string // the short number the back office gave, read out at the counter
	Center     string
	CenterName string // the place, as the slip says it
	Item       Text
	Start      time.Time
	Bring      []Text // what to bring to the counter
	Lang       Lang
}
