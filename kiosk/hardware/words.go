package hardware

import "github.com/tongban/tongban/kiosk"

// Plain words for greyed items and the out-of-service screen (UX.md §1:
// what happened, what to do now, where else to go).

var (
	backOfficeWords   = kiosk.Msg("browse.unavailable_network")
	genericWords      = kiosk.Msg("browse.unavailable_generic")
	faceWords         = kiosk.Msg("browse.needs_face")
	paperOutWords     = kiosk.Msg("browse.unavailable_printer")
	paperJamWords     = kiosk.Msg("browse.unavailable_printer_jam")
	outOfServiceWords = kiosk.Msg("terminal.out_of_service")
	consumablesWords  = kiosk.Msg("terminal.no_paper")
	hoursWords        = kiosk.Msg("terminal.closed")
)

// deviceWords explains an unusable device.
func deviceWords(st kiosk.DeviceStatus) kiosk.Text {
	switch st.Kind {
	case kiosk.DevicePrinter:
		switch st.Paper {
		case kiosk.PaperOut:
			return paperOutWords
		case kiosk.PaperJammed:
			return paperJamWords
		}
		return kiosk.Msg("browse.unavailable_printer_fault")
	case kiosk.DeviceA4Printer:
		if st.Paper == kiosk.PaperOut {
			return kiosk.Msg("browse.unavailable_a4_paper")
		}
		return kiosk.Msg("browse.unavailable_a4")
	case kiosk.DeviceIDReader:
		return kiosk.Msg("browse.unavailable_reader")
	case kiosk.DeviceScanner:
		return kiosk.Msg("browse.unavailable_scanner")
	}
	return kiosk.Msg("browse.unavailable_device")
}

// missingWords explains a device this terminal does not have.
func missingWords(kind kiosk.DeviceKind) kiosk.Text {
	switch kind {
	case kiosk.DeviceIDReader:
		return kiosk.Msg("browse.missing_reader")
	case kiosk.DevicePrinter:
		return kiosk.Msg("browse.missing_printer")
	case kiosk.DeviceScanner:
		return kiosk.Msg("browse.missing_scanner")
	case kiosk.DeviceA4Printer:
		return kiosk.Msg("browse.missing_a4")
	}
	return kiosk.Msg("browse.missing_device")
}

// terminalWords explains an unavailable terminal.
func terminalWords(reason string) kiosk.Text {
	switch reason {
	case ReasonConsumables:
		return consumablesWords
	case ReasonHours:
		return hoursWords
	}
	return outOfServiceWords
}

// TerminalWords is what the out-of-service screen says for a terminal
// state; empty while the terminal is available.
func TerminalWords(t kiosk.TerminalState) kiosk.Text {
	if t.Available {
		return kiosk.Text{}
	}
	return terminalWords(t.Reason)
}
