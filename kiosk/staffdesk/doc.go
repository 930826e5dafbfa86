// Package staffdesk is the staff menu's view of the terminal (flow.StaffDesk):
// it checks who signs in (a person's badge and PIN from the roster of the
// signed configuration bundle, or the deprecated shared staff code, under
// one escalating lockout kept across restarts), reports the devices, the
// queue and the running catalog with where it came from, reprints what
// did not print, prints a self-test page, puts quarantined submissions
// back in the queue and stops the kiosk. It holds no resident's data: the
// report has counts, never names or numbers.
package staffdesk
