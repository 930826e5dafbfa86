package flow

import (
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// The appointment's steps as a table over the transition function: which
// step each sequence of taps ends on, and whether a booking was asked of
// the back office. Only 确认预约 on the confirmation books.
func TestAppointmentSteps(t *testing.T) {
	item := kiosk.Item{Code: "m", Name: kiosk.Text{ZH: "婚姻登记预约"}, Actions: []kiosk.Action{kiosk.ActionAppointment}}
	who := kiosk.Identity{Card: kiosk.CardResident, Name: "测试甲", Number: "310104198507150017"}
	now := time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC) // Saturday 11:12 in Shanghai
	at := func(s string) time.Time {
		t, _ := time.ParseInLocation("2006-01-02 15:04", s, kiosk.Shanghai)
		return t
	}
	slots := []kiosk.Slot{
		{ID: "sat", Start: at("2026-11-28 15:00"), Available: 2},
		{ID: "mon-9", Start: at("2026-11-30 09:00"), Available: 2},
		{ID: "mon-12", Start: at("2026-11-30 12:00"), Available: 2},
		{ID: "tue-13", Start: at("2026-12-01 13:00"), Available: 1},
	}
	e := env{now: now, catalog: oneItem(item), appoint: true, reader: true, hours: kiosk.DefaultHours(),
		terminal: Terminal{CenterName: "测试中心"}}
	open := []event{evStart{}, evCardRead{1, who}, evSelect{"m"}, evOpenAppointment{}, evSlots{tag{1, 4}, slots, nil}}
	with := func(evs ...event) []event { return append(append([]event{}, open...), evs...) }
	mon, tue := at("2026-11-30 00:00"), at("2026-12-01 10:00")

	for _, tc := range []struct {
		name   string
		events []event
		step   string // days, times, confirm, item
		book   bool
	}{
		{"the days first", open, "days", false},
		{"a time before its day does nothing", with(evChooseSlot{"mon-9"}), "days", false},
		{"a day", with(evChooseDay{mon}), "times", false},
		{"any hour of the day chooses it", with(evChooseDay{tue}), "times", false},
		{"a weekend day is not offered", with(evChooseDay{at("2026-11-28 00:00")}), "days", false},
		{"the lunch hour is not offered", with(evChooseDay{mon}, evChooseSlot{"mon-12"}), "times", false},
		{"a time shows the confirmation, nothing booked", with(evChooseDay{mon}, evChooseSlot{"mon-9"}), "confirm", false},
		{"确认预约 books", with(evChooseDay{mon}, evChooseSlot{"mon-9"}, evConfirmBooking{}), "confirm", true},
		{"返回 from the confirmation: the times", with(evChooseDay{mon}, evChooseSlot{"mon-9"}, evBack{}), "times", false},
		{"返回 twice: the days", with(evChooseDay{mon}, evChooseSlot{"mon-9"}, evBack{}, evBack{}), "days", false},
		{"返回 three times: the item", with(evChooseDay{mon}, evChooseSlot{"mon-9"}, evBack{}, evBack{}, evBack{}), "item", false},
		{"确认预约 without a time does nothing", with(evChooseDay{mon}, evConfirmBooking{}), "times", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := machine{lang: kiosk.LangZH, v: visitData{answers: kiosk.Answers{}}}
			var last []effect
			for _, ev := range tc.events {
				last = m.step(e, ev)
			}
			v := m.view(e)
			step := "item"
			switch {
			case v.State != Appointment:
			case v.ChosenSlot != nil:
				step = "confirm"
			case !v.AppointmentDay.IsZero():
				step = "times"
			default:
				step = "days"
			}
			booked := false
			for _, ef := range last {
				if w, ok := ef.(work); ok && w.kind == EffectBook {
					booked = true
				}
			}
			if step != tc.step || booked != tc.book {
				t.Errorf("on %s (state %v), booking asked %v; want %s, %v", step, v.State, booked, tc.step, tc.book)
			}
			for _, sl := range v.Slots {
				if sl.ID == "sat" || sl.ID == "mon-12" {
					t.Errorf("slot %s offered", sl.ID)
				}
			}
			if v.State == Appointment && len(v.Slots) != 2 {
				t.Errorf("%d slots offered, want the 2 inside the hours", len(v.Slots))
			}
			if step == "confirm" && v.Place != "测试中心" {
				t.Errorf("the confirmation names the place %q", v.Place)
			}
		})
	}
}
