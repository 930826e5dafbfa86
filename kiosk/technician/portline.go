package technician

import (
	"fmt"

	"github.com/tongban/tongban/kiosk"
)

// Speech is how a screen (the set-up, technician mode) says a probed port
// in its own language.
type Speech struct {
	NoUSB      string // a port that is not on USB
	Silent     string // nothing answered
	CannotOpen string // before the error of a port that would not open
	Paper      string // a paper level after the state, with one %s
	Role       func(kiosk.DeviceKind) string
	// Said is a device state or paper level in the staff screens' words
	// (kiosk/i18n message IDs device.state.* and device.paper.*); nil, or a
	// word it does not have: the fallback.
	Said func(id, fallback string) string
}

func (s Speech) said(id, fallback string) string {
	if s.Said == nil {
		return fallback
	}
	return s.Said(id, fallback)
}

// Line is one probed port as a screen lists it: its path, its USB identity
// and what answered on it, that last part cut to width runes.
func (f Finding) Line(s Speech, width int) string {
	usb := s.NoUSB
	if id := f.Port.USBID(); id != "" {
		usb = "USB " + id
		if f.Port.SerialNumber != "" {
			usb += " S/N " + f.Port.SerialNumber
		}
	}
	what := s.Silent
	switch {
	case f.Err != nil:
		what = s.CannotOpen + " " + f.Err.Error()
	case f.Kind != "":
		what = s.Role(f.Kind)
		if w := s.State(f.Status, f.Answer); w != "" {
			what += " · " + w
		}
	}
	if r := []rune(what); width > 1 && len(r) > width {
		what = string(r[:width-1]) + "…"
	}
	return fmt.Sprintf("%s  %s  %s", f.Port.Path, usb, what)
}

// State is a probed device's state (and paper) in the screen's words; the
// protocol's own words when it reported no state, and beside the state of
// a device that is not working, for the technician.
func (s Speech) State(st kiosk.DeviceStatus, answer string) string {
	if st.State == "" {
		return answer
	}
	w := s.said("device.state."+string(st.State), string(st.State))
	if st.Paper != "" {
		w += fmt.Sprintf(s.Paper, s.said("device.paper."+string(st.Paper), string(st.Paper)))
	}
	if st.State != kiosk.DeviceOnline && answer != "" {
		w += " (" + answer + ")"
	}
	return w
}
