// Package technician is what a technician does at a terminal, apart from
// staff: the set-up's checks (the network and the clock against the back
// office, every serial port probed, each device role assigned and tested),
// the technician's own credential, the diagnostics and their export to a
// USB stick without personal data, and the reset that never discards an
// unsent submission.
//
// It holds the logic only; the screens are kiosk/ui/setup (first boot) and
// kiosk/ui/techmode (technician mode), and kioskctl exports the same
// diagnostics from a shell.
package technician
