package scancode

import "net/url"

// Bases of this system's links (see the package documentation).
const (
	ProgressBase    = "https://tongban.sh.example/q/"
	AppointmentBase = "https://tongban.sh.example/a/"
)

// ProgressLink is what the receipt's QR code holds for a local receipt
// number: a link a phone opens and the kiosk's scanner recognises.
func ProgressLink(receipt string) string { return ProgressBase + url.PathEscape(receipt) }
