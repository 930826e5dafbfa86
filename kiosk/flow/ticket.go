package flow

import (
	"time"

	"github.com/tongban/tongban/kiosk"
)

// Business is a kind of business a resident takes a counter number for:
// the queue it joins at the back office (one or two capital letters) and
// its name on the screen and the ticket.
type Business struct {
	Queue string
	Name  kiosk.Text
}

// CounterBusinesses are the businesses offered on the ticket screen, the
// general counter last (for anything else).
func CounterBusinesses() []Business {
	return []Business{
		{"B", kiosk.Msg("ticket.business.insurance")},
		{"C", kiosk.Msg("ticket.business.assistance")},
		{"D", kiosk.Msg("ticket.business.elderly")},
		{"A", kiosk.Msg("ticket.general_counter")},
	}
}

// QueueOf is the back office's queue for a business named service: the
// general counter's ("A") for an item's name or anything not listed.
func QueueOf(service kiosk.Text) string {
	for _, b := range CounterBusinesses() {
		if service.ID != "" && b.Name.ID == service.ID {
			return b.Queue
		}
	}
	return "A"
}

// OpenTickets shows the ticket screen: the businesses to choose from while
// the counters are open, their hours and next opening otherwise.
func (s *Session) OpenTickets() { s.dispatch(evOpenTickets{}) }

func (m *machine) openTickets(e env) {
	if !e.tickets || (m.state != Attract && m.state != Browse) {
		return
	}
	m.goTo(Ticket)
	m.v.ticket, m.v.choosing = nil, true
	m.v.closed, m.v.opens = closedUntil(e.hours, e.now)
}

// closedUntil is, when the counters are closed at now, when they open
// next (the zero time when never); closed reports whether they are.
func closedUntil(h kiosk.Hours, now time.Time) (closed bool, next time.Time) {
	if h.Open(now) {
		return false, time.Time{}
	}
	return true, h.NextOpen(now)
}
