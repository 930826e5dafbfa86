package flow

import (
	"context"
	"errors"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// appointmentDays is how far ahead the kiosk offers appointment times.
const appointmentDays = 7

// An appointment takes four steps on one screen (UX.md: one task a
// screen, never a one-tap booking): the day, the time, a confirmation that
// shows the item, the place, the day and the time (确认预约 / 返回), then
// the booked appointment with its short number, and a slip of its own.
// The place is the terminal's center: the back office offers the slots of
// this center only.

// SlipPrinter prints an appointment slip (预约凭证). The receipt printer
// has it; a printer without it prints no slip, and the screen says to
// note the number.
type SlipPrinter interface {
	PrintAppointment(ctx context.Context, a kiosk.Appointment) error
}

// CanBook reports whether the item on screen can be booked here.
func (s *Session) CanBook() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m.canBook(s.envLocked())
}

// OpenAppointment shows the days with free times for the item on screen.
func (s *Session) OpenAppointment() { s.dispatch(evOpenAppointment{}) }

// ChooseDay shows the free times of day (any time of that day in Shanghai).
func (s *Session) ChooseDay(day time.Time) { s.dispatch(evChooseDay{day}) }

// ChooseSlot shows the confirmation of the chosen time: nothing is booked
// yet.
func (s *Session) ChooseSlot(slotID string) { s.dispatch(evChooseSlot{slotID}) }

// ConfirmBooking books the time on the confirmation and prints the slip.
func (s *Session) ConfirmBooking() { s.dispatch(evConfirmBooking{}) }

func (m *machine) canBook(e env) bool {
	return m.state == ItemDetail && m.v.item != nil && m.v.item.Can(kiosk.ActionAppointment) &&
		e.appoint && m.v.who.Present() && m.v.gateWhy.IsZero()
}

func (m *machine) openAppointment(e env) {
	if m.state != ItemDetail || m.v.item == nil || !e.appoint || !m.v.who.Present() {
		return
	}
	m.v.slots, m.v.booked, m.v.apptDay, m.v.apptSlot = nil, nil, time.Time{}, nil
	m.goTo(Appointment)
	t, code, from := m.tag(), m.v.item.Code, e.now
	m.spawn(work{kind: EffectSlots, run: func(ctx context.Context, p ports) event {
		slots, err := p.appointments.Slots(ctx, code, from, appointmentDays)
		return evSlots{t, slots, err}
	}})
}

// slotsListed keeps the times the counters can keep: free, later than now,
// on a working day inside the opening hours (no weekend, no lunch hour
// unless the configuration opens them).
func (m *machine) slotsListed(e env, t tag, slots []kiosk.Slot, err error) {
	if !m.current(t) {
		return
	}
	if err != nil {
		m.notice = kiosk.MessageOf(err)
		return
	}
	m.v.slots = []kiosk.Slot{}
	for _, sl := range slots {
		if sl.Available > 0 && sl.Start.After(e.now) && e.hours.Open(sl.Start) {
			m.v.slots = append(m.v.slots, sl)
		}
	}
	if len(m.v.slots) == 0 {
		m.notice = kiosk.Msg("appointment.none")
	}
}

func (m *machine) chooseDay(day time.Time) {
	if m.state != Appointment || m.v.booked != nil || m.v.booking || !m.v.apptDay.IsZero() {
		return
	}
	y, mo, d := day.In(kiosk.Shanghai).Date()
	for _, sl := range m.v.slots {
		if sy, smo, sd := sl.Start.In(kiosk.Shanghai).Date(); sy == y && smo == mo && sd == d {
			m.v.apptDay = time.Date(y, mo, d, 0, 0, 0, 0, kiosk.Shanghai)
			m.arm()
			return
		}
	}
}

func (m *machine) chooseSlot(id string) {
	if m.state != Appointment || m.v.booked != nil || m.v.booking || m.v.apptDay.IsZero() || m.v.apptSlot != nil {
		return
	}
	for _, sl := range m.v.slots {
		if sl.ID == id && sameDay(sl.Start, m.v.apptDay) {
			m.v.apptSlot = &sl
			m.arm()
			return
		}
	}
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.In(kiosk.Shanghai).Date()
	by, bm, bd := b.In(kiosk.Shanghai).Date()
	return ay == by && am == bm && ad == bd
}

// appointmentBack steps back one step: the confirmation to the times,
// the times to the days, the days to the item.
func (m *machine) appointmentBack(e env) {
	switch {
	case m.v.booking:
	case m.v.booked == nil && m.v.apptSlot != nil:
		m.v.apptSlot = nil
		m.notice = kiosk.Text{}
		m.arm()
	case m.v.booked == nil && !m.v.apptDay.IsZero():
		m.v.apptDay = time.Time{}
		m.notice = kiosk.Text{}
		m.arm()
	default:
		m.v.slots, m.v.booked, m.v.apptDay, m.v.apptSlot = nil, nil, time.Time{}, nil
		m.toItem(e)
	}
}

var errNoSlipPrinter = errors.New("flow: the printer prints no appointment slips")

func (m *machine) confirmBooking(e env) {
	if m.state != Appointment || m.v.booked != nil || m.v.booking || m.v.apptSlot == nil {
		return
	}
	m.v.booking = true
	t, item, who, lang, center, slotID := m.tag(), *m.v.item, m.v.who, m.lang, e.terminal.CenterName, m.v.apptSlot.ID
	m.spawn(work{kind: EffectBook, run: func(ctx context.Context, p ports) event {
		a, err := p.appointments.Book(ctx, slotID, item, who)
		var perr error
		if err == nil {
			a.CenterName, a.Lang = center, lang
			if a.Item.IsZero() {
				a.Item = item.Name
			}
			for _, mat := range item.Materials {
				if mat.Required && !mat.FromLicenceLibrary {
					a.Bring = append(a.Bring, mat.Name)
				}
			}
			p.audit("appointment.booked", a.ID, "")
			perr = errNoSlipPrinter
			if sp, ok := p.printer.(SlipPrinter); ok {
				perr = sp.PrintAppointment(ctx, a)
			}
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
	m.v.booked = &a // the screen says the number, when and where
	if perr != nil {
		m.notice = kiosk.Msg("appointment.slip_not_printed")
	}
}
