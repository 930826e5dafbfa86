package scancode

import (
	"errors"

	"github.com/tongban/tongban/kiosk"
)

// Plain-words messages for the resident.
var (
	msgEmpty          = kiosk.Msg("scan.empty")
	msgUnreadable     = kiosk.Msg("scan.unreadable")
	msgUnusable       = kiosk.Msg("scan.unusable")
	msgBadReceipt     = kiosk.Msg("scan.bad_receipt")
	msgBadAppointment = kiosk.Msg("scan.bad_appointment")
	msgWebLink        = kiosk.Msg("scan.web_link")
	msgBadBadge       = kiosk.Msg("scan.bad_badge")
	msgBadgeElsewhere = kiosk.Msg("scan.badge_elsewhere")
	msgOther          = kiosk.Msg("scan.other")
)

func invalid(op string, msg kiosk.Text) error {
	return &kiosk.Error{Op: op, Kind: kiosk.KindInvalid, Message: msg}
}

// Explain returns what the screen says for a code the kiosk does not act
// on (web links and other content), or an empty Text for kinds that have
// their own flow.
func Explain(c kiosk.ScannedCode) kiosk.Text {
	switch c.Kind {
	case kiosk.ScanWebLink:
		return msgWebLink
	case kiosk.ScanOther:
		return msgOther
	case kiosk.ScanStaffBadge:
		return msgBadgeElsewhere
	}
	return kiosk.Text{}
}

// Unreadable wraps a scanner's read failure (garbage bytes, an over-long
// code) as a *kiosk.Error asking the resident to scan again.
func Unreadable(err error) error {
	var ke *kiosk.Error
	if errors.As(err, &ke) {
		return err
	}
	return &kiosk.Error{Op: "scan", Kind: kiosk.KindInvalid, Message: msgUnreadable, Err: err}
}
