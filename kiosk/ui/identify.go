package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
)

// identify asks for the ID card, with a drawing of where it goes.
func (u *Screens) identify() fyne.CanvasObject {
	sz := u.sz()
	msg := u.t("identify.place_card")
	col := u.c.text
	if u.view.Reading {
		msg, col = u.t("identify.reading"), u.c.primary
	}
	title := u.text(msg, sz.heading, col, true)
	title.Alignment = fyne.TextAlignCenter
	alt := container.NewCenter(u.wrapped(u.t("identify.no_card"), sz.body, u.c.secondary, false, u.textWidth()))
	content := container.NewVBox(layout.NewSpacer(), container.NewCenter(readerPicture(sz, u.t("identify.card_label"))), title, alt, layout.NewSpacer())
	return u.frame(u.t("identify.title"), content, true)
}

// readerPicture draws the card reader with the card's place on it, the
// card marked with cardLabel (身份证).
func readerPicture(sz sizes, cardLabel string) fyne.CanvasObject {
	w, h := sz.target*4, sz.target*2.4
	base := canvas.NewRectangle(sz.pal.panel)
	base.StrokeColor, base.StrokeWidth, base.CornerRadius = sz.pal.border, 3, 20
	base.Resize(fyne.NewSize(w, h))
	card := canvas.NewRectangle(sz.pal.background)
	card.StrokeColor, card.StrokeWidth, card.CornerRadius = sz.pal.primary, 4, 10
	card.Resize(fyne.NewSize(w*0.55, h*0.6))
	card.Move(fyne.NewPos(w*0.225, h*0.2))
	label := canvas.NewText(cardLabel, sz.pal.primary)
	label.TextSize = sz.body
	ls := label.MinSize()
	label.Move(fyne.NewPos((w-ls.Width)/2, (h-ls.Height)/2))
	c := container.NewWithoutLayout(base, card, label)
	r := canvas.NewRectangle(sz.pal.background)
	r.SetMinSize(fyne.NewSize(w, h))
	return container.NewStack(r, c)
}
