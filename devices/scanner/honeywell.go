package scanner

import "io"

// Honeywell sends host commands to Honeywell scanners (Xenon, N3680,
// HF800 and others) in RS-232 mode with manual or serial trigger: SYN T CR
// starts a scan, SYN U CR stops it, SYN BEL CR beeps. Illumination and
// the read beep are menu settings (SYN M CR + tag) whose tags differ by
// model, so they are not offered here.
type Honeywell struct {
	W io.Writer
}

// Honeywell commands (devices.md §4).
var (
	honeywellTriggerOn  = []byte{0x16, 'T', '\r'}
	honeywellTriggerOff = []byte{0x16, 'U', '\r'}
	honeywellBeep       = []byte{0x16, 0x07, '\r'}
)

// Trigger starts a scan.
func (h Honeywell) Trigger() error { return writeAll(h.W, honeywellTriggerOn) }

// StopTrigger stops a scan.
func (h Honeywell) StopTrigger() error { return writeAll(h.W, honeywellTriggerOff) }

// Beep makes the scanner beep once.
func (h Honeywell) Beep() error { return writeAll(h.W, honeywellBeep) }

var (
	_ Triggerer      = Honeywell{}
	_ TriggerStopper = Honeywell{}
	_ Beeper         = Honeywell{}
)

func writeAll(w io.Writer, p []byte) error {
	_, err := w.Write(p)
	return err
}
