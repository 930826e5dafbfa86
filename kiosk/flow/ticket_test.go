package flow

import (
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// Tickets only while the counters are open, and only for a business the
// resident chose (or the item on screen): a table over the transition
// function at the times a resident comes.
func TestTicketsInOpeningHours(t *testing.T) {
	item := kiosk.Item{Code: "x", Name: kiosk.Text{ZH: "测试事项"}, Actions: []kiosk.Action{kiosk.ActionTicket}}
	who := kiosk.Identity{Card: kiosk.CardResident, Name: "测试甲", Number: "310104198507150017"}
	general := kiosk.Msg("ticket.general_counter")
	for _, tc := range []struct {
		name   string
		at     string // Shanghai time
		events []event
		work   bool   // a number asked of the back office
		opens  string // when the counters open next, "" when open
		state  State
	}{
		{"a weekday morning: choose, then a number", "2026-11-30 10:00", []event{evOpenTickets{}, evTakeTicket{general}}, true, "", Ticket},
		{"no number before a choice", "2026-11-30 10:00", []event{evOpenTickets{}}, false, "", Ticket},
		{"not from the attract screen straight away", "2026-11-30 10:00", []event{evTakeTicket{general}}, false, "", Attract},
		{"the item on screen is the business", "2026-11-30 10:00", []event{evStart{}, evCardRead{1, who}, evSelect{"x"}, evTakeTicket{item.Name}}, true, "", Ticket},
		{"the lunch hour: the hours and 13:00", "2026-11-30 12:10", []event{evOpenTickets{}, evTakeTicket{general}}, false,
			"2026-11-30 13:00", Ticket},
		{"a Friday night: Monday morning", "2026-12-04 22:50", []event{evOpenTickets{}}, false, "2026-12-07 09:00", Ticket},
		{"a Saturday: Monday, from the item screen too", "2026-11-28 11:12", []event{evStart{}, evCardRead{1, who}, evSelect{"x"}, evTakeTicket{item.Name}}, false,
			"2026-11-30 09:00", Ticket},
		{"a second number is not issued on the same screen", "2026-11-30 10:00", []event{evOpenTickets{}, evTakeTicket{general}, evTicket{tag{1, 2}, kiosk.Ticket{Number: "A012"}, nil}, evTakeTicket{general}}, false, "", Ticket},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now, err := time.ParseInLocation("2006-01-02 15:04", tc.at, kiosk.Shanghai)
			if err != nil {
				t.Fatal(err)
			}
			e := env{now: now, catalog: oneItem(item), tickets: true, reader: true, hours: kiosk.DefaultHours()}
			m := machine{lang: kiosk.LangZH, v: visitData{answers: kiosk.Answers{}}}
			var last []effect
			for _, ev := range tc.events {
				last = m.step(e, ev)
			}
			asked := false
			for _, ef := range last {
				if w, ok := ef.(work); ok && w.kind == EffectTicket {
					asked = true
				}
			}
			v := m.view(e)
			if v.State != tc.state || asked != tc.work {
				t.Fatalf("state %v, number asked %v; want %v, %v", v.State, asked, tc.state, tc.work)
			}
			opens := ""
			if !v.OpensNext.IsZero() {
				opens = v.OpensNext.In(kiosk.Shanghai).Format("2006-01-02 15:04")
			}
			if v.TicketsClosed != (tc.opens != "") || opens != tc.opens {
				t.Errorf("closed %v, opening next %q; want %q", v.TicketsClosed, opens, tc.opens)
			}
			if v.TicketsClosed && v.Hours.String() != kiosk.DefaultHours().String() {
				t.Errorf("the closed screen shows the hours %q", v.Hours)
			}
			if v.State == Ticket && tc.opens == "" && v.Ticket == nil && !asked && len(v.Businesses) == 0 {
				t.Error("an open ticket screen offers no business to choose")
			}
			if tc.opens != "" && len(v.Businesses) > 0 {
				t.Error("a closed ticket screen offers businesses")
			}
		})
	}
}
