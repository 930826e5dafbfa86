package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
)

// identify asks for the ID card, with drawings of where the card goes and
// where a code is scanned, and UX.md's two alternatives: 扫随申码 (which
// points at the scanner) and 不带证件 (what can be done without a card).
func (u *Screens) identify() fyne.CanvasObject {
	if u.noCard {
		return u.withoutCard()
	}
	sz := u.sz()
	msg := u.t("identify.place_card")
	col := u.c.text
	if u.view.Reading {
		msg, col = u.t("identify.reading"), u.c.primary
	}
	title := u.text(msg, sz.heading, col, true)
	title.Alignment = fyne.TextAlignCenter
	hint := u.t("identify.no_card")
	hintCol := u.c.secondary
	if u.scanHint {
		hint, hintCol = u.t("identify.scan_code_hint"), u.c.primary
	}
	alt := container.NewCenter(u.wrapped(hint, sz.body, hintCol, u.scanHint, u.textWidth()))
	pictures := container.NewHBox(readerPicture(sz, u.t("identify.card_label")), scannerPicture(sz, u.t("identify.scanner_label"), u.scanHint))
	scan := u.secondary(u.t("identify.scan_code"), func() { u.scanHint = true; u.redraw() })
	noCard := u.secondary(u.t("identify.no_card_button"), func() { u.noCard = true; u.redraw() })
	content := container.NewVBox(layout.NewSpacer(), container.NewCenter(pictures), title, alt,
		container.NewCenter(u.buttonRow(scan, noCard)), layout.NewSpacer())
	return u.frame(u.t("identify.title"), content, true)
}

// withoutCard is what a resident without an ID card can do here: take a
// number for the staffed counter, or check an application's progress.
func (u *Screens) withoutCard() fyne.CanvasObject {
	sz := u.sz()
	ticket := u.primary(u.t("item.ticket"), func() { u.s.TakeTicket(u.both("ticket.general_counter")) })
	query := u.secondary(u.t("query.title"), u.s.OpenQuery)
	back := u.secondary(u.t("identify.have_card"), func() { u.noCard = false; u.redraw() })
	content := container.NewVBox(layout.NewSpacer(),
		container.NewCenter(u.wrapped(u.t("identify.no_card_title"), sz.heading, u.c.text, true, u.textWidth())),
		container.NewCenter(u.wrapped(u.t("identify.no_card_counter"), sz.body, u.c.secondary, false, u.textWidth())),
		container.NewCenter(u.buttonRow(ticket, query, back)), layout.NewSpacer())
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

// scannerPicture draws the scanner's window with a code over it, marked
// with label (扫码口); lit, its frame is drawn in the primary colour.
func scannerPicture(sz sizes, label string, lit bool) fyne.CanvasObject {
	w, h := sz.target*2.4, sz.target*2.4
	base := canvas.NewRectangle(sz.pal.panel)
	base.StrokeColor, base.StrokeWidth, base.CornerRadius = sz.pal.border, 3, 20
	if lit {
		base.StrokeColor, base.StrokeWidth = sz.pal.primary, 6
	}
	base.Resize(fyne.NewSize(w, h))
	objs := []fyne.CanvasObject{base}
	// A code's three corner squares.
	q := w * 0.18
	for _, p := range []fyne.Position{{X: w * 0.22, Y: h * 0.12}, {X: w*0.78 - q, Y: h * 0.12}, {X: w * 0.22, Y: h*0.62 - q}} {
		sq := canvas.NewRectangle(sz.pal.background)
		sq.StrokeColor, sq.StrokeWidth = sz.pal.text, 4
		sq.Resize(fyne.NewSize(q, q))
		sq.Move(p)
		objs = append(objs, sq)
	}
	text := canvas.NewText(label, sz.pal.primary)
	text.TextSize = sz.body
	ts := text.MinSize()
	text.Move(fyne.NewPos((w-ts.Width)/2, h*0.68))
	objs = append(objs, text)
	r := canvas.NewRectangle(sz.pal.background)
	r.SetMinSize(fyne.NewSize(w+sz.gap, h))
	return container.NewStack(r, container.NewWithoutLayout(objs...))
}
