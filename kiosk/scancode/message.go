package scancode

import (
	"errors"

	"github.com/tongban/tongban/kiosk"
)

// Plain-words messages for the resident.
var (
	msgEmpty = kiosk.Text{
		ZH: "没有读到二维码的内容，请把二维码对准扫码口再扫一次。",
		EN: "The code could not be read. Please hold it to the scanner again.",
	}
	msgUnreadable = kiosk.Text{
		ZH: "没有读清楚这个二维码，请把二维码对准扫码口再扫一次。",
		EN: "The code was not read clearly. Please hold it to the scanner again.",
	}
	msgUnusable = kiosk.Text{
		ZH: "这个二维码本机无法识别。请换一个二维码再扫，或到人工窗口办理。",
		EN: "This terminal cannot read this code. Please try another code or go to the staffed counter.",
	}
	msgBadReceipt = kiosk.Text{
		ZH: "这张回执上的二维码无法识别。请到人工窗口查询进度，或拨打12345。",
		EN: "The code on this receipt cannot be read. Please ask at the staffed counter or call 12345 for its progress.",
	}
	msgBadAppointment = kiosk.Text{
		ZH: "这个预约码无法识别。请到人工窗口办理签到。",
		EN: "This appointment code cannot be read. Please check in at the staffed counter.",
	}
	msgWebLink = kiosk.Text{
		ZH: "这是一个网址，本机不打开网页。请用手机扫码查看。",
		EN: "This is a web link. The terminal does not open web pages; please scan it with your phone.",
	}
	msgOther = kiosk.Text{
		ZH: "本机不能使用这个二维码。可以扫回执上的二维码、预约码或随申码。",
		EN: "This code cannot be used here. You can scan a receipt code, an appointment code or your Suishen code.",
	}
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
