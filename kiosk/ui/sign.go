package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
)

// signScreen is the signature pad with 重写 and 确认签名.
func (u *Screens) signScreen() fyne.CanvasObject {
	sz := u.sz()
	pad := u.newSignPad()
	hint := u.text(u.w("请用手指在白色区域内签名", "Sign with your finger in the white area"), sz.body, colSecondary, false)
	body := container.NewBorder(hint, nil, nil, nil, pad.object())
	clearBtn := u.secondary(u.w("重写", "Clear"), pad.clear)
	confirm := u.primary(u.w("确认签名", "Confirm"), func() { u.s.Signed(pad.png()) })
	return u.frame(u.w("签名", "Signature"), body, true, clearBtn, layout.NewSpacer(), confirm)
}
