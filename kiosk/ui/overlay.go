package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// countdownOverlay asks whether the resident wants to continue.
func (u *Screens) countdownOverlay() fyne.CanvasObject {
	sz := u.sz()
	shade := canvas.NewRectangle(color.NRGBA{0, 0, 0, 0x99})
	q := u.text(u.t("countdown.question"), sz.heading, u.c.text, true)
	secs := u.text(u.t("countdown.ending", map[string]any{"Count": u.view.Countdown}), sz.body, u.c.errorText, false)
	box := container.NewVBox(q, container.NewCenter(secs),
		container.NewGridWithColumns(2, u.secondary(u.t("countdown.finish"), u.s.End), u.primary(u.t("countdown.continue"), u.s.Continue)))
	bg := canvas.NewRectangle(u.c.background)
	bg.CornerRadius = 20
	return container.NewStack(shade, container.NewCenter(container.NewStack(bg, container.NewPadded(container.NewPadded(box)))))
}
