package hardware

import "github.com/tongban/tongban/kiosk"

// Availability says whether an item can be served now, and if not, why.
type Availability struct {
	Available bool
	Reason    kiosk.Text // plain words for the greyed tile, with a way forward
}

// deviceFor maps an item's need to the device that serves it.
func deviceFor(need kiosk.Need) (kiosk.DeviceKind, bool) {
	switch need {
	case kiosk.NeedIDReader:
		return kiosk.DeviceIDReader, true
	case kiosk.NeedPrinter:
		return kiosk.DevicePrinter, true
	case kiosk.NeedScanner:
		return kiosk.DeviceScanner, true
	case kiosk.NeedA4Printer:
		return kiosk.DeviceA4Printer, true
	}
	return "", false
}

// Availability tells whether item it can be served with the devices and
// connectivity of this snapshot. The first unmet need, in the order the
// item lists them, gives the reason.
func (s Snapshot) Availability(it kiosk.Item) Availability {
	if !s.Terminal.Available {
		return Availability{Reason: terminalWords(s.Terminal.Reason)}
	}
	for _, need := range it.Needs {
		if need == kiosk.NeedFace {
			// No terminal has a verified face match yet: holding
			// someone's card must not be enough, so the counter checks.
			return Availability{Reason: faceWords}
		}
		if need == kiosk.NeedBackOffice {
			if !s.BackOffice {
				return Availability{Reason: backOfficeWords}
			}
			continue
		}
		kind, known := deviceFor(need)
		if !known {
			return Availability{Reason: genericWords}
		}
		st, ok := s.Devices[kind]
		if !ok {
			return Availability{Reason: missingWords(kind)}
		}
		if !st.Usable() {
			return Availability{Reason: deviceWords(st)}
		}
	}
	return Availability{Available: true}
}
