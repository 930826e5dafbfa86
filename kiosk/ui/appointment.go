package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"github.com/tongban/tongban/kiosk"
)

// appointmentScreen takes the resident through a booking, one step at a
// time: the day, the time, the confirmation (item, place, day, time;
// 确认预约 or 返回), then the number and what to bring.
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
		num := u.text(u.t("appointment.number", map[string]any{"ID": v.Booked.ID}), sz.heading*1.5, u.c.primary, true)
		num.Alignment = fyne.TextAlignCenter
		col.Add(layout.NewSpacer())
		col.Add(num)
		col.Add(u.para(u.t("appointment.booked_at", map[string]any{"When": u.when(v.Booked.Start), "Place": v.Booked.CenterName}), u.c.text))
		if len(v.Booked.Bring) > 0 {
			var bring []string
			for _, b := range v.Booked.Bring {
				bring = append(bring, u.tr(b))
			}
			col.Add(u.para(u.t("appointment.bring", map[string]any{"What": strings.Join(bring, u.t("hours.list_separator"))}), u.c.text))
		}
		col.Add(u.para(u.t("appointment.take_slip"), u.c.text))
		col.Add(layout.NewSpacer())
		return u.frame(title, col, false, u.primary(u.t("common.finish"), u.s.End))
	case v.ChosenSlot != nil:
		rows := []fyne.CanvasObject{u.text(u.t("appointment.check"), sz.button, u.c.text, true)}
		item := ""
		if v.Item != nil {
			item = u.tr(v.Item.Name)
		}
		t := v.ChosenSlot.Start.In(kiosk.Shanghai)
		for _, line := range []string{
			u.t("appointment.line_item", map[string]any{"Item": item}),
			u.t("appointment.line_place", map[string]any{"Place": v.Place}),
			u.t("appointment.line_date", map[string]any{"Date": u.day(t)}),
			u.t("appointment.line_time", map[string]any{"Time": t.Format("15:04")}),
		} {
			rows = append(rows, u.para(line, u.c.text))
		}
		// 返回 beside 确认预约 (not also top left): the two choices side by side.
		return u.frame(title, u.paged(rows...), false, u.secondary(u.t("common.back"), u.s.Back), u.primary(u.t("appointment.confirm"), u.s.ConfirmBooking))
	case v.Slots == nil && v.Notice.IsZero():
		col.Add(u.text(u.t("appointment.loading"), sz.body, u.c.secondary, false))
		return u.frame(title, col, true)
	case !v.AppointmentDay.IsZero():
		rows := []fyne.CanvasObject{u.text(u.t("appointment.choose_time_of", map[string]any{"Date": u.day(v.AppointmentDay)}), sz.button, u.c.text, true)}
		for _, sl := range v.Slots {
			if !sameDayIn(sl.Start, v.AppointmentDay) {
				continue
			}
			id := sl.ID
			rows = append(rows, u.secondary(u.t("appointment.slot", map[string]any{"When": sl.Start.In(kiosk.Shanghai).Format("15:04"), "Left": sl.Available}), func() { u.s.ChooseSlot(id) }))
		}
		return u.frame(title, u.paged(rows...), true)
	}
	rows := []fyne.CanvasObject{u.text(u.t("appointment.choose_day"), sz.button, u.c.text, true)}
	if v.Place != "" {
		rows = append(rows, u.para(u.t("appointment.line_place", map[string]any{"Place": v.Place}), u.c.secondary))
	}
	var days []time.Time
	left := map[time.Time]int{}
	for _, sl := range v.Slots {
		t := sl.Start.In(kiosk.Shanghai)
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, kiosk.Shanghai)
		if _, seen := left[d]; !seen {
			days = append(days, d)
		}
		left[d] += sl.Available
	}
	for _, d := range days {
		rows = append(rows, u.secondary(u.t("appointment.day", map[string]any{"Date": u.day(d), "Left": left[d]}), func() { u.s.ChooseDay(d) }))
	}
	return u.frame(title, u.paged(rows...), true)
}

func sameDayIn(a, b time.Time) bool {
	ay, am, ad := a.In(kiosk.Shanghai).Date()
	by, bm, bd := b.In(kiosk.Shanghai).Date()
	return ay == by && am == bm && ad == bd
}

// day says a date with its weekday in the session's language: 12月7日 星期一.
func (u *Screens) day(t time.Time) string {
	t = t.In(kiosk.Shanghai)
	return u.t("appointment.date", map[string]any{
		"Month": u.t(fmt.Sprintf("month.%d", int(t.Month()))), "Day": t.Day(),
		"Weekday": u.t(fmt.Sprintf("weekday.%d", int(t.Weekday()))),
	})
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
