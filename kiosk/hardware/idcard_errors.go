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
	kind, msg := kiosk.KindDevice, kiosk.Text{
		ZH: "读卡器暂时不能使用，请到人工窗口办理，或拨打12345咨询。",
		EN: "The card reader is not working right now. Please go to the staffed counter or call 12345.",
	}
	switch {
	case errors.Is(err, idcard.ErrNoCard), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		kind, msg = kiosk.KindNoCard, kiosk.Text{
			ZH: "没有读到证件，请将身份证放在感应区。",
			EN: "No card was found. Please place your ID card on the reader.",
		}
	case errors.Is(err, idcard.ErrCardMoved):
		kind, msg = kiosk.KindCardMoved, kiosk.Text{
			ZH: "读卡时证件移动了，请重新放好身份证，读完前不要移动。",
			EN: "The card moved while it was being read. Place it on the reader again and keep it still.",
		}
	case errors.Is(err, idcard.ErrCardUnreadable), errors.Is(err, idcard.ErrBadText):
		kind, msg = kiosk.KindCardUnreadable, kiosk.Text{
			ZH: "这张证件读不出来，请到人工窗口办理。",
			EN: "This card cannot be read. Please go to the staffed counter.",
		}
	}
	return &kiosk.Error{Op: op, Kind: kind, Message: msg, Err: err}
}
