package kiosk

// DeviceKind names a peripheral of the terminal.
type DeviceKind string

// The terminal's peripherals.
const (
	DeviceIDReader DeviceKind = "id-reader"
	DevicePrinter  DeviceKind = "printer"
	DeviceScanner  DeviceKind = "scanner"
	// DeviceA4Printer prints documents on A4 through a CUPS queue; a
	// terminal without one configured has no A4 items.
	DeviceA4Printer DeviceKind = "a4-printer"
)

// Printer reports a kind that prints on paper: the receipt printer or the
// A4 printer.
func (k DeviceKind) Printer() bool { return k == DevicePrinter || k == DeviceA4Printer }

// DeviceState follows CEN/XFS and CUSS device status.
type DeviceState string

// Device states.
const (
	DeviceOnline        DeviceState = "online"
	DeviceOffline       DeviceState = "offline"
	DeviceNoDevice      DeviceState = "no-device"
	DeviceHardwareError DeviceState = "hardware-error"
	DeviceUserError     DeviceState = "user-error"
	DeviceBusy          DeviceState = "busy"
)

// Paper is the state of a printer's paper supply.
type Paper string

// Paper supply states.
const (
	PaperUnknown Paper = ""
	PaperFull    Paper = "full"
	PaperLow     Paper = "low"
	PaperOut     Paper = "out"
	PaperJammed  Paper = "jammed"
)

// DeviceStatus is one device's status as published by the device manager.
type DeviceStatus struct {
	Kind   DeviceKind  `json:"kind"`
	State  DeviceState `json:"state"`
	Paper  Paper       `json:"paper,omitempty"`  // printers only (receipt and A4)
	Detail string      `json:"detail,omitempty"` // plain words for staff, no personal data
}

// Usable reports whether the device can serve a resident now.
func (s DeviceStatus) Usable() bool {
	if s.State != DeviceOnline && s.State != DeviceBusy {
		return false
	}
	return !s.Kind.Printer() || (s.Paper != PaperOut && s.Paper != PaperJammed)
}

// TerminalState is `available` or `unavailable` with a reason.
type TerminalState struct {
	Available bool   `json:"available"`
	Reason    string `json:"reason,omitempty"` // hardware, consumables, back-office, hours
}
