package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"github.com/tongban/tongban/kiosk"
)

// appointmentScreen lists free times as large buttons, then shows the
// booked appointment's number and time.
func (u *Screens) appointmentScreen() fyne.CanvasObject {
	v := u.view
	sz := u.sz()
	title := u.t("appointment.title")
	if v.Item != nil {
		title = u.tr(v.Item.Name)
	}
	col := container.NewVBox()
	switch {
	case v.Booked != nil:
		num := u.text(u.t("appointment.number", map[string]any{"ID": v.Booked.ID}), sz.heading, u.c.primary, true)
		num.Alignment = fyne.TextAlignCenter
		col.Add(layout.NewSpacer())
		col.Add(num)
		col.Add(u.para(u.t("appointment.booked", map[string]any{"When": u.when(v.Booked.Start)}), u.c.text))
		col.Add(layout.NewSpacer())
		return u.frame(title, col, false, u.primary(u.t("common.finish"), u.s.End))
	case v.Slots == nil && v.Notice.IsZero():
		col.Add(u.text(u.t("appointment.loading"), sz.body, u.c.secondary, false))
	default:
		col.Add(u.text(u.t("appointment.choose_time"), sz.button, u.c.text, true))
		for _, sl := range v.Slots {
			id := sl.ID
			col.Add(u.secondary(u.t("appointment.slot", map[string]any{"When": u.when(sl.Start), "Left": sl.Available}), func() { u.s.BookSlot(id) }))
		}
	}
	return u.frame(title, u.paged(col.Objects...), true)
}

// when says a time in the session's language, in Shanghai time.
func (u *Screens) when(t time.Time) string { return u.whenIn(u.view.Lang, t) }

// whenIn says a time in lang, in Shanghai time (the voice's words too).
func (u *Screens) whenIn(lang kiosk.Lang, t time.Time) string {
	t = t.In(kiosk.Shanghai)
	return u.wordsIn(lang, "appointment.when", map[string]any{
		"Month": u.wordsIn(lang, fmt.Sprintf("month.%d", int(t.Month()))), "Day": t.Day(),
		"Weekday": u.wordsIn(lang, fmt.Sprintf("weekday.%d", int(t.Weekday()))), "Time": t.Format("15:04"),
	})
}
