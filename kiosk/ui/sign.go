package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"github.com/tongban/tongban/kiosk/ui/signpad"
)

// signScreen is the signature pad with 重写 and 确认签名.
func (u *Screens) signScreen() fyne.CanvasObject {
	if u.pad == nil {
		u.pad = signpad.New(u.w("请用手指在白色区域内签名", "Sign with your finger in the white area"))
		u.pad.Touched = u.s.Touch
	}
	pad := u.pad
	clearBtn := u.secondary(u.w("重写", "Clear"), pad.Clear)
	confirm := u.primary(u.w("确认签名", "Confirm"), func() {
		png, err := pad.PNG()
		if err != nil {
			png = nil // the session says why: 请在白色区域内签名
		}
		u.s.Signed(png)
	})
	return u.frame(u.w("签名", "Signature"), container.NewPadded(pad), true, clearBtn, layout.NewSpacer(), confirm)
}
