package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
)

// appointmentScreen takes the resident through a booking, one step at a
// time: the place when the times are at several, the day (with the place,
// its address and hours when it is not this center), the time, the
// confirmation (item, place and address, day, time; 确认预约 or 返回),
// then the number, where to go and what to bring.
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
		if pl := v.Booked.Place; !pl.Address.IsZero() {
			col.Add(u.para(u.t("appointment.booked_place", map[string]any{"When": u.when(v.Booked.Start), "Place": u.tr(pl.Name), "PlaceAddress": u.tr(pl.Address)}), u.c.text))
		} else {
			col.Add(u.para(u.t("appointment.booked_at", map[string]any{"When": u.when(v.Booked.Start), "Place": u.tr(v.Booked.PlaceName())}), u.c.text))
		}
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
		lines := []string{
			u.t("appointment.line_item", map[string]any{"Item": item}),
			u.t("appointment.line_place", map[string]any{"Place": u.placeName(v)}),
		}
		if !v.AtPlace.Address.IsZero() {
			lines = append(lines, u.t("appointment.line_address", map[string]any{"PlaceAddress": u.tr(v.AtPlace.Address)}))
		}
		lines = append(lines,
			u.t("appointment.line_date", map[string]any{"Date": u.day(t)}),
			u.t("appointment.line_time", map[string]any{"Time": t.Format("15:04")}))
		for _, line := range lines {
			rows = append(rows, u.para(line, u.c.text))
		}
		// 返回 beside 确认预约 (not also top left): the two choices side by side.
		return u.frame(title, u.paged(rows...), false, u.secondary(u.t("common.back"), u.s.Back), u.primary(u.t("appointment.confirm"), u.s.ConfirmBooking))
	case v.Slots == nil && v.Notice.IsZero():
		col.Add(u.text(u.t("appointment.loading"), sz.body, u.c.secondary, false))
		return u.frame(title, col, true)
	case len(v.Places) > 0:
		// The times are at several places: where to go, first.
		rows := []fyne.CanvasObject{u.text(u.t("appointment.choose_place"), sz.button, u.c.text, true)}
		for _, p := range v.Places {
			id := p.ID
			rows = append(rows, u.secondary(u.tr(p.Name), func() { u.s.ChoosePlace(id) }))
			if !p.Address.IsZero() {
				rows = append(rows, u.para(u.t("appointment.line_address", map[string]any{"PlaceAddress": u.tr(p.Address)}), u.c.secondary))
			}
		}
		return u.frame(title, u.paged(rows...), true)
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
	if name := u.placeName(v); name != "" {
		rows = append(rows, u.para(u.t("appointment.line_place", map[string]any{"Place": name}), u.c.secondary))
	}
	if pl := v.AtPlace; !pl.Address.IsZero() {
		rows = append(rows, u.para(u.t("appointment.line_address", map[string]any{"PlaceAddress": u.tr(pl.Address)}), u.c.secondary))
		if !pl.Hours.IsZero() {
			rows = append(rows, u.para(u.t("appointment.line_hours", map[string]any{"Hours": u.hoursWords(pl.Hours)}), u.c.secondary))
		}
		if pl.Kind != "" && pl.Kind != kiosk.BookAtCenter {
			rows = append(rows, u.para(u.t("appointment.not_here", map[string]any{"Place": u.tr(pl.Name)}), u.c.text))
		}
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

// placeName is where the booking on screen is kept: the place of the
// time chosen (or the only place offered), else this center.
func (u *Screens) placeName(v flow.View) string {
	if !v.AtPlace.Name.IsZero() {
		return u.tr(v.AtPlace.Name)
	}
	return v.Place
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
