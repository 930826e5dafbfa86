package flow

import (
	"context"
	"errors"
	"maps"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// appointmentDays is how far ahead the kiosk offers appointment times.
const appointmentDays = 7

// An appointment takes its steps on one screen (UX.md: one task a screen,
// never a one-tap booking): the place when the times are at several, the
// day, the time, a confirmation that shows the item, the place (name and
// address), the day and the time (确认预约 / 返回), then the booked
// appointment with its short number, and a slip of its own.
//
// An item is booked where it declares (kiosk.Item.BookAt): the center's
// counters, the district's marriage registry, an assessment hospital.
// When the item has a form, its booking form (the fields the booking does
// not answer itself) is filled and reviewed first, like an application's,
// and the answers go with the booking; a marriage registry's form names
// the partner, sent as such. The back office offers only the places this
// terminal may book.

// SlipPrinter prints an appointment slip (预约凭证). The receipt printer
// has it; a printer without it prints no slip, and the screen says to
// note the number.
type SlipPrinter interface {
	PrintAppointment(ctx context.Context, a kiosk.Appointment) error
}

// PlaceBooking is what Appointments also offers when items are booked at
// the place they declare, with their forms' answers. Appointments without
// it book the center's counters only, without a form, and items booked
// elsewhere are not offered for booking.
type PlaceBooking interface {
	// SlotsAt lists the free times for item over the next days at the
	// places of kind at this terminal may book, each with its place.
	SlotsAt(ctx context.Context, item kiosk.ItemCode, at kiosk.BookAt, from time.Time, days int) ([]kiosk.Slot, error)
	// BookWith takes a slot for the resident, with the booking form's
	// answers (nil: none).
	BookWith(ctx context.Context, slotID string, item kiosk.Item, who kiosk.Identity, answers kiosk.Answers) (kiosk.Appointment, error)
}

func isPlaceBooking(a Appointments) bool {
	_, ok := a.(PlaceBooking)
	return ok
}

// bookingItem is the item with its booking form for a form.
func bookingItem(it kiosk.Item) kiosk.Item {
	it.Form = it.BookingForm()
	return it
}

// CanBook reports whether the item on screen can be booked here.
func (s *Session) CanBook() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m.canBook(s.envLocked())
}

// OpenAppointment starts booking the item on screen: its booking form
// when it has one, else the days with free times.
func (s *Session) OpenAppointment() { s.dispatch(evOpenAppointment{}) }

// ChoosePlace shows the days with free times at one of the places offered.
func (s *Session) ChoosePlace(id string) { s.dispatch(evChoosePlace{id}) }

// ChooseDay shows the free times of day (any time of that day in Shanghai).
func (s *Session) ChooseDay(day time.Time) { s.dispatch(evChooseDay{day}) }

// ChooseSlot shows the confirmation of the chosen time: nothing is booked
// yet.
func (s *Session) ChooseSlot(slotID string) { s.dispatch(evChooseSlot{slotID}) }

// ConfirmBooking books the time on the confirmation and prints the slip.
func (s *Session) ConfirmBooking() { s.dispatch(evConfirmBooking{}) }

type evChoosePlace struct{ place string }

func (evChoosePlace) isEvent() {}

func (m *machine) canBook(e env) bool {
	return m.state == ItemDetail && m.v.item != nil && m.v.item.Can(kiosk.ActionAppointment) &&
		e.appoint && m.v.who.Present() && m.v.gateWhy.IsZero() && (e.placeBooking || m.v.item.BookPlace() == kiosk.BookAtCenter)
}

func (m *machine) openAppointment(e env) {
	if m.state != ItemDetail || m.v.item == nil || !e.appoint || !m.v.who.Present() ||
		!(e.placeBooking || m.v.item.BookPlace() == kiosk.BookAtCenter) {
		return
	}
	if e.placeBooking && e.forms != nil && len(m.v.item.BookingForm()) > 0 {
		m.v.agent, m.v.forBooking = false, true
		m.startForm(e)
		return
	}
	m.toSlots(e)
}

// toSlots shows the appointment screen and asks for the free times.
func (m *machine) toSlots(e env) {
	forBooking := m.v.forBooking
	m.v.slots, m.v.booked, m.v.apptDay, m.v.apptSlot, m.v.apptPlace = nil, nil, time.Time{}, nil, ""
	m.goTo(Appointment)
	m.v.forBooking = forBooking
	t, code, at, from := m.tag(), m.v.item.Code, m.v.item.BookPlace(), e.now
	m.spawn(work{kind: EffectSlots, run: func(ctx context.Context, p ports) event {
		var slots []kiosk.Slot
		var err error
		if pb, ok := p.appointments.(PlaceBooking); ok {
			slots, err = pb.SlotsAt(ctx, code, at, from, appointmentDays)
		} else {
			slots, err = p.appointments.Slots(ctx, code, from, appointmentDays)
		}
		return evSlots{t, slots, err}
	}})
}

// slotsListed keeps the times the place can keep: free, later than now,
// inside its opening hours (the center's counters: the configuration's
// hours, no weekend, no lunch hour unless they open them; another place:
// its own hours, when known).
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
		hours := e.hours
		if k := sl.Place.Kind; k != "" && k != kiosk.BookAtCenter {
			hours = sl.Place.Hours
		}
		if sl.Available > 0 && sl.Start.After(e.now) && (hours.IsZero() || hours.Open(sl.Start)) {
			m.v.slots = append(m.v.slots, sl)
		}
	}
	if len(m.v.slots) == 0 {
		m.notice = kiosk.Msg("appointment.none")
	}
}

// places are the distinct places of the times listed, in order.
func (m *machine) places() []kiosk.Place {
	var out []kiosk.Place
	seen := map[string]bool{}
	for _, sl := range m.v.slots {
		if !seen[sl.Place.ID] {
			seen[sl.Place.ID] = true
			out = append(out, sl.Place)
		}
	}
	return out
}

// choosingPlace: the times are at several places and none is chosen yet.
func (m *machine) choosingPlace() bool {
	return m.v.apptPlace == "" && len(m.places()) > 1
}

// atPlace reports whether sl is at the place chosen (any, when none is).
func (m *machine) atPlace(sl kiosk.Slot) bool {
	return m.v.apptPlace == "" || sl.Place.ID == m.v.apptPlace
}

func (m *machine) choosePlace(id string) {
	if m.state != Appointment || m.v.booked != nil || m.v.booking || !m.choosingPlace() {
		return
	}
	for _, p := range m.places() {
		if p.ID == id {
			m.v.apptPlace = id
			m.arm()
			return
		}
	}
}

func (m *machine) chooseDay(day time.Time) {
	if m.state != Appointment || m.v.booked != nil || m.v.booking || !m.v.apptDay.IsZero() || m.choosingPlace() {
		return
	}
	y, mo, d := day.In(kiosk.Shanghai).Date()
	for _, sl := range m.v.slots {
		if sy, smo, sd := sl.Start.In(kiosk.Shanghai).Date(); sy == y && smo == mo && sd == d && m.atPlace(sl) {
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
		if sl.ID == id && sameDay(sl.Start, m.v.apptDay) && m.atPlace(sl) {
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
// the times to the days, the days to the places (when there were
// several), then to the booking form's review or the item.
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
	case m.v.booked == nil && m.v.apptPlace != "" && len(m.places()) > 1:
		m.v.apptPlace = ""
		m.notice = kiosk.Text{}
		m.arm()
	case m.v.booked == nil && m.v.forBooking:
		m.v.slots, m.v.apptPlace = nil, ""
		m.toReview(e) // the answers are kept
	default:
		m.v.slots, m.v.booked, m.v.apptDay, m.v.apptSlot, m.v.apptPlace = nil, nil, time.Time{}, nil, ""
		m.toItem(e)
	}
}

var errNoSlipPrinter = errors.New("flow: the printer prints no appointment slips")

func (m *machine) confirmBooking(e env) {
	if m.state != Appointment || m.v.booked != nil || m.v.booking || m.v.apptSlot == nil {
		return
	}
	m.v.booking = true
	m.notice = kiosk.Text{}
	t, item, who, lang, center, slot := m.tag(), *m.v.item, m.v.who, m.lang, e.terminal.CenterName, *m.v.apptSlot
	var answers kiosk.Answers
	if m.v.forBooking {
		answers = maps.Clone(m.v.answers)
	}
	m.spawn(work{kind: EffectBook, run: func(ctx context.Context, p ports) event {
		var a kiosk.Appointment
		var err error
		if pb, ok := p.appointments.(PlaceBooking); ok {
			a, err = pb.BookWith(ctx, slot.ID, item, who, answers)
		} else {
			a, err = p.appointments.Book(ctx, slot.ID, item, who)
		}
		clear(answers)
		var perr error
		if err == nil {
			a.CenterName, a.Lang = center, lang
			if a.Place.IsZero() {
				a.Place = slot.Place
			}
			if a.Item.IsZero() {
				a.Item = item.Name
			}
			for _, mat := range item.Materials {
				if mat.Required && !mat.FromLicenceLibrary && !mat.AtPlace {
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

// bookingView adds the booking's place and steps to the view.
func (m *machine) bookingView(v *View) {
	v.BookingForm = m.v.forBooking && (m.state == FormPage || m.state == Review)
	if m.state != Appointment {
		return
	}
	switch {
	case m.v.booked != nil:
		v.AtPlace = m.v.booked.Place
	case m.v.apptSlot != nil:
		v.AtPlace = m.v.apptSlot.Place
	case m.choosingPlace():
		v.Places = m.places()
	default:
		for _, p := range m.places() {
			if m.v.apptPlace == "" || p.ID == m.v.apptPlace {
				v.AtPlace = p
			}
		}
	}
	if m.v.apptPlace != "" {
		var slots []kiosk.Slot
		for _, sl := range m.v.slots {
			if m.atPlace(sl) {
				slots = append(slots, sl)
			}
		}
		v.Slots = slots
	}
}
