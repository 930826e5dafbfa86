package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

func (u *Screens) submittingScreen() fyne.CanvasObject {
	bar := widget.NewProgressBarInfinite()
	t := u.text(u.t("submit.progress"), u.sz().heading, u.c.text, true)
	t.Alignment = fyne.TextAlignCenter
	return container.NewPadded(container.NewVBox(layout.NewSpacer(), t, bar, layout.NewSpacer()))
}
