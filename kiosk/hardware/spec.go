package hardware

import (
	"context"
	"fmt"
	"io"

	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
)

// Port is an open device port: a *serialport.Conn, or a fake in tests.
type Port interface {
	serialport.Line
	io.Closer
}

// Probe confirms that the device on rw speaks its kind's protocol (the ID
// reader answers a SAM status request, the scanner module a register
// read). An error means the device did not answer as expected. A probe
// reads rw with a deadline, so it never hangs.
type Probe func(rw serialport.Line) error

// StatusProbe is a Probe that also reports what the device says of itself:
// the printer's paper, a cover open, a hardware fault. It returns the
// status to publish (Kind is filled in by the manager; a zero State means
// online), or an error when the device did not answer.
type StatusProbe func(rw serialport.Line) (kiosk.DeviceStatus, error)

// DeviceSpec is one configured device.
type DeviceSpec struct {
	Kind kiosk.DeviceKind
	Port serialport.Match // where to find it: a path, or a USB identity
	Mode serialport.Mode  // how to open it
	// Probe or Status confirm the device after opening and, unless Attach
	// is set, are repeated every poll interval to notice faults and
	// unplugs. Status wins when both are set; with neither, a port that
	// opens counts as the device.
	Probe  Probe
	Status StatusProbe
	// Attach, when set, is given the open port once the device is
	// confirmed and runs until ctx ends (return nil) or the port fails
	// (return the error); meanwhile the device is not polled. The scanner,
	// which streams codes unasked, works this way.
	Attach func(ctx context.Context, rw serialport.Line) error
	// Watch, when set, stands for a device that is not on a serial port
	// (the A4 printer, behind CUPS): the manager neither finds nor opens a
	// port (Port is ignored) but runs Watch until ctx ends, publishing each
	// status it reports (Kind is filled in by the manager).
	Watch func(ctx context.Context, report func(kiosk.DeviceStatus))
	// Essential devices make the whole terminal unavailable while they are
	// not usable; others only grey out the items that need them.
	Essential bool
}

// Validate reports a spec the manager cannot use.
func (s DeviceSpec) Validate() error {
	if s.Kind == "" {
		return fmt.Errorf("device spec without a kind")
	}
	if s.Watch != nil {
		return nil
	}
	if err := s.Port.Validate(); err != nil {
		return fmt.Errorf("%s: %w", s.Kind, err)
	}
	return nil
}

// check runs the spec's probe on rw and returns the status to publish.
func (s DeviceSpec) check(rw serialport.Line) (kiosk.DeviceStatus, error) {
	st := kiosk.DeviceStatus{State: kiosk.DeviceOnline}
	switch {
	case s.Status != nil:
		got, err := s.Status(rw)
		if err != nil {
			return kiosk.DeviceStatus{}, err
		}
		st = got
		if st.State == "" {
			st.State = kiosk.DeviceOnline
		}
	case s.Probe != nil:
		if err := s.Probe(rw); err != nil {
			return kiosk.DeviceStatus{}, err
		}
	}
	st.Kind = s.Kind
	return st, nil
}
