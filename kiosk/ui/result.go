package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
)

// resultScreen shows a department's answer to the item's query: its
// title, where it comes from and how current it is, then each line in
// large type, paged, never scrolled. Private values arrive masked from the
// session (the public hall sees 622202*********4567). 打印 prints the same
// masked lines on the receipt printer.
func (u *Screens) resultScreen() fyne.CanvasObject {
	v := u.view
	sz := u.sz()
	title := u.t("receipt.title_result")
	if v.Item != nil {
		title = u.tr(v.Item.Name)
	}
	switch {
	case v.Phase == flow.PhaseAsking:
		return u.frame(title, u.waiting(u.t("dept.asking")), true)
	case v.Phase == flow.PhaseFailed || v.Result == nil:
		return u.frame(title, u.failed(), true, u.failedAction())
	}
	r := v.Result
	width := u.textWidth()
	rows := []fyne.CanvasObject{u.wrapped(u.tr(r.Title), sz.heading, u.c.primary, true, width)}
	if !r.Source.IsZero() {
		rows = append(rows, u.wrapped(u.t("dept.source", map[string]any{"Source": u.tr(r.Source)}), sz.body, u.c.secondary, false, width))
	}
	if !r.AsOf.IsZero() {
		at := r.AsOf.In(kiosk.Shanghai)
		rows = append(rows, u.wrapped(u.t("dept.as_of", map[string]any{
			"Year": at.Year(), "Month": u.t(fmt.Sprintf("month.%d", int(at.Month()))), "Day": at.Day(),
		}), sz.body, u.c.secondary, false, width))
	}
	private := false
	for _, f := range r.Fields {
		private = private || f.Private
		rows = append(rows, u.resultLine(f))
	}
	if private {
		rows = append(rows, u.wrapped(u.t("dept.masked_note"), sz.body, u.c.secondary, false, width))
	}
	print := u.primary(u.t("dept.print"), u.s.PrintResult)
	if v.Phase == flow.PhasePrinting {
		print = u.primary(u.t("dept.printing"), nil)
		print.disabled = true
	}
	return u.frame(title, u.paged(rows...), true, print)
}

// resultLine is one line of a result: its label, and its value in large
// bold type; side by side on a landscape panel, one above the other on a
// portrait one.
func (u *Screens) resultLine(f kiosk.ResultField) fyne.CanvasObject {
	sz := u.sz()
	if u.landscape() {
		half := u.textWidth()/2 - sz.gap
		// The label sits low in its cell, level with the value's first line.
		label := container.NewVBox(layout.NewSpacer(), u.wrapped(u.tr(f.Label), sz.body, u.c.secondary, false, half))
		if lines := len(wrapLines(f.Value, sz.heading, half, fyne.TextStyle{Bold: true})); lines > 1 {
			label = container.NewVBox(u.wrapped(u.tr(f.Label), sz.body, u.c.secondary, false, half))
		}
		return container.NewGridWithColumns(2, label, u.wrapped(f.Value, sz.heading, u.c.text, true, half))
	}
	return container.NewVBox(
		u.wrapped(u.tr(f.Label), sz.body, u.c.secondary, false, u.textWidth()),
		u.wrapped(f.Value, sz.heading, u.c.text, true, u.textWidth()))
}

// documentScreen follows a document from the back office to the A4
// printer: 正在开具, 正在打印, then take the pages, or what went wrong
// with the counter as the way forward.
func (u *Screens) documentScreen() fyne.CanvasObject {
	v := u.view
	sz := u.sz()
	title := u.tr(v.DocTitle)
	switch v.Phase {
	case flow.PhaseAsking:
		return u.frame(title, u.waiting(u.t("dept.issuing")), false)
	case flow.PhasePrinting:
		return u.frame(title, u.waiting(u.t("dept.printing")), false)
	case flow.PhasePrinted:
		// 请取走打印的文件 large, in the middle, not in the notice line.
		big := u.text(u.t("dept.printed"), sz.heading*1.5, u.c.success, true)
		big.Alignment = fyne.TextAlignCenter
		take := u.wrapped(u.t("dept.take_pages"), sz.heading, u.c.primary, true, u.textWidth())
		col := container.NewVBox(layout.NewSpacer(), big, container.NewCenter(take), layout.NewSpacer())
		return u.frame(title, col, true, u.primary(u.t("common.done"), u.s.End))
	}
	return u.frame(title, u.failed(), true, u.failedAction())
}

// waiting is a screen's one line while something is under way.
func (u *Screens) waiting(words string) fyne.CanvasObject {
	t := u.text(words, u.sz().heading, u.c.text, true)
	t.Alignment = fyne.TextAlignCenter
	return container.NewVBox(layout.NewSpacer(), t, layout.NewSpacer())
}

// failed is the body of a failed query or document: the notice below
// says why and where to go.
func (u *Screens) failed() fyne.CanvasObject {
	words := "dept.not_done"
	if u.view.State == flow.Document {
		words = "dept.not_printed"
	}
	t := u.text(u.t(words), u.sz().heading, u.c.errorText, true)
	t.Alignment = fyne.TextAlignCenter
	return container.NewVBox(layout.NewSpacer(), t, layout.NewSpacer())
}

// failedAction is 重试 when the failure may be tried again, 完成 otherwise.
func (u *Screens) failedAction() fyne.CanvasObject {
	if u.view.Retry {
		return u.primary(u.t("dept.retry"), u.s.Retry)
	}
	return u.primary(u.t("common.done"), u.s.End)
}
