package kiosk

import "time"

// SelfTest is what a technician's printer self-test page shows: which
// terminal this is, what software it runs and how its devices are. It
// holds no resident's data.
type SelfTest struct {
	CenterName string
	Terminal   string
	Versions   []Component    // software and data versions, in print order
	Devices    []DeviceStatus // as the device manager last saw them
	PrintedAt  time.Time
	Lang       Lang
}

// Component is one piece of software or data with its version.
type Component struct {
	Name    string
	Version string
}
