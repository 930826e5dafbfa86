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
		u.pad = signpad.New(u.t("sign.hint"))
		u.pad.Touched = u.s.Touch
		sz := u.sz()
		u.pad.Min = fyne.NewSize(min(10*sz.target, u.textWidth()), 3*sz.target) // fits a portrait panel
	}
	pad := u.pad
	clearBtn := u.secondary(u.t("sign.clear"), pad.Clear)
	confirm := u.primary(u.t("sign.confirm"), func() {
		png, err := pad.PNG()
		if err != nil {
			png = nil // the session says why: 请在白色区域内签名
		}
		u.s.Signed(png)
	})
	return u.frame(u.t("sign.title"), container.NewPadded(pad), true, clearBtn, layout.NewSpacer(), confirm)
}
