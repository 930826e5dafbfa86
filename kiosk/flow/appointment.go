package flow

import (
	"context"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// appointmentDays is how far ahead the kiosk offers appointment times.
const appointmentDays = 7

// CanBook reports whether the item on screen can be booked here.
func (s *Session) CanBook() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state == ItemDetail && s.item != nil && s.item.Can(kiosk.ActionAppointment) &&
		s.deps.Appointments != nil && s.who.Present() && s.gateNotice.ZH == ""
}

// OpenAppointment shows the free times for the item on screen.
func (s *Session) OpenAppointment() {
	s.update(func() {
		if s.state != ItemDetail || s.item == nil || s.deps.Appointments == nil || !s.who.Present() {
			return
		}
		s.slots, s.booked = nil, nil
		s.goTo(Appointment)
		gen, code, from := s.gen, s.item.Code, s.deps.Clock.Now()
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			slots, err := s.deps.Appointments.Slots(ctx, code, from, appointmentDays)
			s.update(func() {
				if gen != s.gen {
					return
				}
				if err != nil {
					s.notice = kiosk.MessageOf(err)
					return
				}
				s.slots = slots
				if len(slots) == 0 {
					s.notice = kiosk.Text{ZH: "近7天没有可预约的时间，请到人工窗口咨询。", EN: "No times free in the next 7 days. Please ask at the staffed counter."}
				}
			})
		}()
	})
}

// BookSlot books the chosen time and prints the appointment slip.
func (s *Session) BookSlot(slotID string) {
	s.update(func() {
		if s.state != Appointment || s.booked != nil || s.booking {
			return
		}
		s.booking = true
		gen, item, who := s.gen, *s.item, s.who
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			a, err := s.deps.Appointments.Book(ctx, slotID, item, who)
			var perr error
			if err == nil {
				s.deps.Audit("appointment.booked", a.ID, "")
				perr = s.deps.Printer.PrintTicket(ctx, kiosk.Ticket{
					CenterName: s.deps.Terminal.CenterName, Number: a.ID, Service: item.Name,
					IssuedAt: a.Start, Lang: s.View().Lang,
				})
			}
			s.update(func() {
				s.booking = false
				if gen != s.gen {
					return
				}
				if err != nil {
					s.notice = kiosk.MessageOf(err)
					return
				}
				s.booked = &a // the screen says when and where
				if perr != nil {
					s.notice = kiosk.Text{ZH: "预约成功，但预约单没有打印出来，请记下预约号。", EN: "Booked, but the slip did not print: please note the appointment number."}
				}
			})
		}()
	})
}
