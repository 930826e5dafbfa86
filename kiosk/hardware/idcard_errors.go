package hardware

import (
	"context"
	"errors"

	"github.com/tongban/tongban/devices/idcard"
	"github.com/tongban/tongban/kiosk"
)

// cardError turns a driver error into a kiosk.Error that says what
// happened and what to do now.
func cardError(op string, err error) error {
	kind, msg := kiosk.KindDevice, kiosk.Msg("card.reader_down")
	switch {
	case errors.Is(err, idcard.ErrNoCard), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		kind, msg = kiosk.KindNoCard, kiosk.Msg("error.no_card")
	case errors.Is(err, idcard.ErrCardMoved):
		kind, msg = kiosk.KindCardMoved, kiosk.Msg("identify.card_moved")
	case errors.Is(err, idcard.ErrCardUnreadable), errors.Is(err, idcard.ErrBadText):
		kind, msg = kiosk.KindCardUnreadable, kiosk.Msg("identify.card_unreadable")
	}
	return &kiosk.Error{Op: op, Kind: kind, Message: msg, Err: err}
}
