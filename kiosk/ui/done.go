package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
)

// doneScreen says 已受理 with the receipt number and what happens next.
func (u *Screens) doneScreen() fyne.CanvasObject {
	v := u.view
	sz := u.sz()
	r := v.Receipt
	if v.Rejected {
		// The back office refused it while this screen was up: never 已受理.
		big := u.text(u.t("done.not_accepted"), sz.heading*1.5, u.c.errorText, true)
		big.Alignment = fyne.TextAlignCenter
		col := container.NewVBox(layout.NewSpacer(), big, u.para(u.t("submit.refused"), u.c.text), layout.NewSpacer())
		return u.frame(u.t("done.title"), col, false, u.primary(u.t("common.done"), u.s.End))
	}
	big := u.text(u.t("done.accepted"), sz.heading*1.5, u.c.success, true)
	big.Alignment = fyne.TextAlignCenter
	col := container.NewVBox(layout.NewSpacer(), big)
	if r != nil {
		num := u.text(u.t("done.receipt_number", map[string]any{"Number": r.LocalReceipt}), sz.heading, u.c.text, true)
		num.Alignment = fyne.TextAlignCenter
		col.Add(num)
		if r.Official != "" {
			off := u.text(u.t("done.case_number", map[string]any{"Number": r.Official}), sz.body, u.c.secondary, false)
			off.Alignment = fyne.TextAlignCenter
			col.Add(off)
		}
		col.Add(u.para(u.t("done.after_done", map[string]any{"AfterDone": u.tr(r.AfterDone)}), u.c.text))
		col.Add(u.para(u.t("done.time_limit", map[string]any{"Promise": u.promise(r.Promise)}), u.c.text))
		if r.Queued {
			col.Add(u.para(u.t("done.queued"), u.c.warnText))
		}
	}
	takeWhat := "done.take_receipt"
	if r != nil && r.Unprinted {
		takeWhat = "identify.take_card" // no receipt came out: only the card to take
	}
	take := u.text(u.t(takeWhat), sz.heading, u.c.primary, true)
	take.Alignment = fyne.TextAlignCenter
	col.Add(take)
	col.Add(layout.NewSpacer())
	return u.frame(u.t("done.title"), col, false, u.primary(u.t("common.done"), u.s.End))
}
