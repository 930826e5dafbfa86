package hardware

import (
	"time"

	"github.com/tongban/tongban/kiosk"
)

// Snapshot is the published state of the terminal's devices and
// connectivity. Subscribers must not modify Devices.
type Snapshot struct {
	Devices    map[kiosk.DeviceKind]kiosk.DeviceStatus
	BackOffice bool // the back office answered lately
	Terminal   kiosk.TerminalState
	At         time.Time
}

// Status returns the status of a configured device; ok is false for a
// kind this terminal does not have.
func (s Snapshot) Status(kind kiosk.DeviceKind) (st kiosk.DeviceStatus, ok bool) {
	st, ok = s.Devices[kind]
	return st, ok
}

// Terminal-state reasons (CUSS OUT_OF_SERVICE_* reasons).
const (
	ReasonHardware    = "hardware"
	ReasonConsumables = "consumables"
	ReasonBackOffice  = "back-office"
	ReasonHours       = "hours"
)

// terminalState is available unless an essential device is unusable:
// consumables when it is a printer without paper, hardware otherwise.
func terminalState(devices map[kiosk.DeviceKind]kiosk.DeviceStatus, essential map[kiosk.DeviceKind]bool) kiosk.TerminalState {
	reason := ""
	for _, kind := range []kiosk.DeviceKind{kiosk.DeviceIDReader, kiosk.DevicePrinter, kiosk.DeviceScanner} {
		st, ok := devices[kind]
		if !ok || !essential[kind] || st.Usable() {
			continue
		}
		if paperProblem(st) && reason == "" {
			reason = ReasonConsumables
		} else if !paperProblem(st) {
			reason = ReasonHardware // hardware outranks consumables
		}
	}
	// Kinds outside the known three, in no particular order.
	for kind, st := range devices {
		if essential[kind] && !st.Usable() && kind != kiosk.DeviceIDReader && kind != kiosk.DevicePrinter && kind != kiosk.DeviceScanner {
			reason = ReasonHardware
		}
	}
	if reason == "" {
		return kiosk.TerminalState{Available: true}
	}
	return kiosk.TerminalState{Available: false, Reason: reason}
}

// paperProblem reports a printer that works but has no usable paper.
func paperProblem(st kiosk.DeviceStatus) bool {
	return st.Kind.Printer() &&
		(st.State == kiosk.DeviceOnline || st.State == kiosk.DeviceBusy || st.State == kiosk.DeviceUserError) &&
		(st.Paper == kiosk.PaperOut || st.Paper == kiosk.PaperJammed)
}
