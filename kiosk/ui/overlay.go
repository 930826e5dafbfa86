package ui

import (
	"image/color"

	"github.com/tongban/tongban/kiosk/flow"

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

// confirmEndOverlay asks before 结束办理 throws away a half-filled form:
// 继续填写 (the primary, the safe way) or 结束办理.
func (u *Screens) confirmEndOverlay() fyne.CanvasObject {
	sz := u.sz()
	shade := canvas.NewRectangle(color.NRGBA{0, 0, 0, 0x99})
	question, stay := "form.end_question", "form.end_no"
	if u.printingDocument() {
		question, stay = "dept.end_question", "dept.end_no"
	}
	q := u.wrapped(u.t(question), sz.heading, u.c.text, true, u.textWidth()-4*sz.gap)
	box := container.NewVBox(q, container.NewGridWithColumns(2,
		u.secondary(u.t("form.end_yes"), func() { u.confirmEnd = false; u.s.End() }),
		u.primary(u.t(stay), func() { u.confirmEnd = false; u.redraw() })))
	bg := canvas.NewRectangle(u.c.background)
	bg.CornerRadius = 20
	return container.NewStack(shade, container.NewCenter(container.NewStack(bg, container.NewPadded(container.NewPadded(box)))))
}

// printingDocument reports whether a document is being issued or printed:
// 结束办理 would cancel the job, so it asks first.
func (u *Screens) printingDocument() bool {
	return u.view.State == flow.Document && (u.view.Phase == flow.PhaseAsking || u.view.Phase == flow.PhasePrinting)
}

// halfFilled reports whether the resident has typed or chosen anything
// on the form that 结束办理 would throw away.
func (u *Screens) halfFilled() bool {
	v := u.view
	switch v.State {
	case flow.FormPage, flow.Review, flow.Sign:
	default:
		return false
	}
	for id, val := range v.Answers {
		if val != "" && !v.Prefilled[id] {
			return true
		}
	}
	return false
}
