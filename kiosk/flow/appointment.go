package flow

import (
	"context"

	"github.com/tongban/tongban/kiosk"
)

// appointmentDays is how far ahead the kiosk offers appointment times.
const appointmentDays = 7

// CanBook reports whether the item on screen can be booked here.
func (s *Session) CanBook() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m.canBook(s.envLocked())
}

// OpenAppointment shows the free times for the item on screen.
func (s *Session) OpenAppointment() { s.dispatch(evOpenAppointment{}) }

// BookSlot books the chosen time and prints the appointment slip.
func (s *Session) BookSlot(slotID string) { s.dispatch(evBookSlot{slotID}) }

func (m *machine) canBook(e env) bool {
	return m.state == ItemDetail && m.v.item != nil && m.v.item.Can(kiosk.ActionAppointment) &&
		e.appoint && m.v.who.Present() && m.v.gateWhy.IsZero()
}

func (m *machine) openAppointment(e env) {
	if m.state != ItemDetail || m.v.item == nil || !e.appoint || !m.v.who.Present() {
		return
	}
	m.v.slots, m.v.booked = nil, nil
	m.goTo(Appointment)
	t, code, from := m.tag(), m.v.item.Code, e.now
	m.spawn(work{kind: EffectSlots, run: func(ctx context.Context, p ports) event {
		slots, err := p.appointments.Slots(ctx, code, from, appointmentDays)
		return evSlots{t, slots, err}
	}})
}

func (m *machine) slotsListed(t tag, slots []kiosk.Slot, err error) {
	if !m.current(t) {
		return
	}
	if err != nil {
		m.notice = kiosk.MessageOf(err)
		return
	}
	m.v.slots = slots
	if len(slots) == 0 {
		m.notice = kiosk.Msg("appointment.none")
	}
}

func (m *machine) bookSlot(e env, slotID string) {
	if m.state != Appointment || m.v.booked != nil || m.v.booking {
		return
	}
	m.v.booking = true
	t, item, who, lang, center := m.tag(), *m.v.item, m.v.who, m.lang, e.terminal.CenterName
	m.spawn(work{kind: EffectBook, run: func(ctx context.Context, p ports) event {
		a, err := p.appointments.Book(ctx, slotID, item, who)
		var perr error
		if err == nil {
			p.audit("appointment.booked", a.ID, "")
			perr = p.printer.PrintTicket(ctx, kiosk.Ticket{
				CenterName: center, Number: a.ID, Service: item.Name,
				IssuedAt: a.Start, Lang: lang,
			})
		}
		return evBooked{t, a, err, perr}
	}})
}

func (m *machine) booked(t tag, a kiosk.Appointment, err, perr error) {
	if !m.current(t) {
		return
	}
	m.v.booking = false
	if err != nil {
		m.notice = kiosk.MessageOf(err)
		return
	}
	m.v.booked = &a // the screen says when and where
	if perr != nil {
		m.notice = kiosk.Msg("appointment.slip_not_printed")
	}
}
