package ui

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// countdownOverlay asks whether the resident wants to continue.
func (u *Screens) countdownOverlay() fyne.CanvasObject {
	sz := u.sz()
	shade := canvas.NewRectangle(color.NRGBA{0, 0, 0, 0x99})
	q := u.text(u.w("您还需要继续办理吗？", "Do you want to continue?"), sz.heading, colText, true)
	secs := u.text(u.w(fmt.Sprintf("%d 秒后将结束办理", u.view.Countdown), fmt.Sprintf("Finishing in %d seconds", u.view.Countdown)), sz.body, colError, false)
	box := container.NewVBox(q, container.NewCenter(secs),
		container.NewGridWithColumns(2, u.secondary(u.w("结束办理", "Finish"), u.s.End), u.primary(u.w("继续办理", "Continue"), u.s.Continue)))
	bg := canvas.NewRectangle(colBackground)
	bg.CornerRadius = 20
	return container.NewStack(shade, container.NewCenter(container.NewStack(bg, container.NewPadded(container.NewPadded(box)))))
}
