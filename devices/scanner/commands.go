package scanner

// Host commands, each an optional interface: a module family implements
// the ones it has, and callers find them by type assertion, e.g.
//
//	if t, ok := module.(scanner.Triggerer); ok { err = t.Trigger() }

// Triggerer starts a scan on command (the scanner must be in a host- or
// command-trigger mode).
type Triggerer interface {
	Trigger() error
}

// TriggerStopper ends a scan started by Trigger before it times out.
type TriggerStopper interface {
	StopTrigger() error
}

// Illuminator switches the scanner's illumination on or off.
type Illuminator interface {
	SetIllumination(on bool) error
}

// Beeper makes the scanner beep now, e.g. to confirm a code the kiosk
// accepted.
type Beeper interface {
	Beep() error
}

// ReadBeepSwitch switches the beep on a good read on or off (a quiet
// terminal at night, or the kiosk beeping only for codes it accepts).
type ReadBeepSwitch interface {
	SetReadBeep(on bool) error
}
