// Package techmode is technician mode on the terminal's screen, apart from
// the staff menu: the technician's own code, the diagnostics (devices,
// queue, last sync, back office and clock, versions, disk), their export
// to a USB stick without personal data, finding and testing the devices
// again, and the reset that refuses while submissions wait. The logic is
// kiosk/technician's; every action goes to the audit trail.
package techmode
