package serialport

import (
	"fmt"
	"strings"
)

// Match says which port is a configured device. Path alone names a fixed
// port (or a udev symlink such as /dev/kiosk/printer, or a simulator's
// pseudo-terminal); otherwise VID and PID pick USB ports, narrowed by
// SerialNumber and PhysicalPath when they are set.
type Match struct {
	Path         string `json:"path,omitempty"`
	VID          string `json:"vid,omitempty"`
	PID          string `json:"pid,omitempty"`
	SerialNumber string `json:"serial_number,omitempty"`
	PhysicalPath string `json:"physical_path,omitempty"`
}

// ByUSB reports whether the match looks ports up by USB identity rather
// than by a fixed path.
func (m Match) ByUSB() bool { return m.Path == "" }

// Validate reports a match that cannot find anything.
func (m Match) Validate() error {
	if m.Path != "" {
		return nil
	}
	if m.VID == "" || m.PID == "" {
		return fmt.Errorf("device match needs a path, or both a USB vendor ID and product ID")
	}
	return nil
}

// Matches reports whether port p is the configured device.
func (m Match) Matches(p Port) bool {
	if m.Path != "" {
		return p.Path == m.Path
	}
	return m.VID != "" && m.PID != "" &&
		strings.EqualFold(m.VID, p.VID) && strings.EqualFold(m.PID, p.PID) &&
		(m.SerialNumber == "" || m.SerialNumber == p.SerialNumber) &&
		(m.PhysicalPath == "" || m.PhysicalPath == p.PhysicalPath)
}

// Find returns the ports that match m, in the order given.
func Find(ports []Port, m Match) []Port {
	var found []Port
	for _, p := range ports {
		if m.Matches(p) {
			found = append(found, p)
		}
	}
	return found
}

func (m Match) String() string {
	if m.Path != "" {
		return m.Path
	}
	s := strings.ToLower(m.VID + ":" + m.PID)
	if m.SerialNumber != "" {
		s += " serial " + m.SerialNumber
	}
	if m.PhysicalPath != "" {
		s += " at " + m.PhysicalPath
	}
	return s
}
