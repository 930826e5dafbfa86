package ui

import (
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/ui/internal/golden"
)

// TestTicketsOnlyWhenOpen taps 取号 on the attract screen as a resident
// would: on a weekday morning the business comes first, then the number;
// on a Friday night and over the lunch hour the screen shows the hours
// and when the counters open next, offers nothing to choose and prints
// nothing.
func TestTicketsOnlyWhenOpen(t *testing.T) {
	for _, tc := range []struct {
		name  string
		at    time.Time // UTC
		opens string    // "" when open
	}{
		{"a weekday morning", time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC), ""},
		{"a Friday night", time.Date(2026, 12, 4, 14, 50, 0, 0, time.UTC), "12月7日 星期一 09:00"},
		{"the lunch hour", time.Date(2026, 12, 1, 4, 10, 0, 0, time.UTC), "12月1日 星期二 13:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			printer := &kiosktest.Printer{}
			k := newSmallKiosk(t, tc.at, func(d *flow.Deps) { d.Tickets, d.Printer = fakeTickets{}, printer })
			u := k.u
			k.tap(t, u.t("item.ticket"))
			waitScreen(t, u, flow.Ticket)
			if tc.opens != "" {
				for _, want := range []string{"星期一至星期五 09:00-12:00 13:00-17:00", tc.opens, "现在不能取号"} {
					if !onScreen(u, k.w, want) {
						t.Errorf("%q not on the closed ticket screen; texts: %s", want, k.texts())
					}
				}
				if k.canTap(u.t("ticket.general_counter")) || len(printer.Tickets) != 0 {
					t.Errorf("closed, yet a business can be chosen or a ticket was printed (%d)", len(printer.Tickets))
				}
				if tc.name == "a Friday night" {
					golden.Assert(t, "screens/zh-ticket-closed", k.w.Canvas().Capture(), *update)
				}
				k.tap(t, u.t("common.done"))
				waitScreen(t, u, flow.Attract)
				return
			}
			if onScreen(u, k.w, "A012") || len(printer.Tickets) != 0 {
				t.Fatal("a number was issued before the business was chosen")
			}
			k.tap(t, u.t("ticket.business.insurance"))
			waitForText(t, u, k.w, "A012")
			if len(printer.Tickets) != 1 || printer.Tickets[0].Service.ID != "ticket.business.insurance" {
				t.Fatalf("printed %+v", printer.Tickets)
			}
			if flow.QueueOf(printer.Tickets[0].Service) != "B" {
				t.Errorf("the insurance business joins queue %q", flow.QueueOf(printer.Tickets[0].Service))
			}
		})
	}
}
