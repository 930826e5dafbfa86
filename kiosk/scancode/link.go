package scancode

import (
	"net/url"

	"github.com/tongban/tongban/backoffice/api"
)

// Bases of this system's links (see the package documentation).
const (
	ProgressBase    = "https://tongban.sh.example/q/"
	AppointmentBase = "https://tongban.sh.example/a/"
)

// ProgressLink is what the receipt's QR code holds for a local receipt
// number: a link a phone opens and the kiosk's scanner recognises. It
// carries the submission's progress key (api.ProgressKey of its client
// ID): the back office shows progress only to whoever holds it, so a
// receipt number guessed or seen over a shoulder shows nothing.
func ProgressLink(receipt, clientID string) string {
	link := ProgressBase + url.PathEscape(receipt)
	if k := api.ProgressKey(clientID); k != "" {
		link += "?" + api.ProgressKeyParam + "=" + k
	}
	return link
}
