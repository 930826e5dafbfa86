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
	ID     string
	Center string
	Item   Text
	Start  time.Time
}
