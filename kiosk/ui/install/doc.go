// Package install is the screen on which a technician, booted from the USB
// stick, copies the system to the terminal's internal disk: the disks
// listed with their size and model, one chosen, erased only once its name
// is typed on the on-screen keyboard, the copy's progress, and the result:
// verified and ready to restart, or what went wrong in plain words with
// nothing claimed done. The work is kiosk/install's; technician mode opens
// this screen (Show) and every erase goes to the audit trail.
package install
