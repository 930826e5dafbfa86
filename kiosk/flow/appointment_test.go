package flow_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// diary is a hand-written fake of flow.Appointments: the back office's
// slots for the week, some of which the counters cannot keep.
type diary struct {
	booked []string
	full   bool
}

// shanghai is a time on the tests' calendar (Saturday 2026-11-28 is today).
func shanghai(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, kiosk.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func (d *diary) Slots(_ context.Context, _ kiosk.ItemCode, from time.Time, days int) ([]kiosk.Slot, error) {
	if d.full {
		return nil, nil
	}
	return []kiosk.Slot{
		{ID: "past", Start: shanghai("2026-11-28 09:00"), Available: 2},      // before now
		{ID: "sunday", Start: shanghai("2026-11-29 10:00"), Available: 4},    // a weekend
		{ID: "mon-09", Start: shanghai("2026-11-30 09:00"), Available: 3},    // kept
		{ID: "mon-lunch", Start: shanghai("2026-11-30 12:00"), Available: 4}, // the lunch hour
		{ID: "mon-14", Start: shanghai("2026-11-30 14:00"), Available: 0},    // full
		{ID: "tue-1630", Start: shanghai("2026-12-01 16:30"), Available: 1},  // kept
		{ID: "tue-17", Start: shanghai("2026-12-01 17:00"), Available: 2},    // closing time
	}, nil
}

func (d *diary) Book(_ context.Context, slotID string, it kiosk.Item, who kiosk.Identity) (kiosk.Appointment, error) {
	d.booked = append(d.booked, slotID+"/"+who.Number)
	return kiosk.Appointment{ID: "K7W3QX", Item: it.Name, Start: shanghai("2026-11-30 09:00")}, nil
}

// TestBookAnAppointment books as a resident does: the days, a day, a
// time, the confirmation, 确认预约. Only times the counters keep are
// offered; nothing is booked before 确认预约; the slip is an appointment
// slip with what to bring.
func TestBookAnAppointment(t *testing.T) {
	marriage := kiosk.Item{Code: "marriage", Name: kiosk.Text{ZH: "婚姻登记预约"}, Actions: []kiosk.Action{kiosk.ActionAppointment},
		Materials: []kiosk.Material{{Name: kiosk.Text{ZH: "户口簿原件"}, Required: true}, {Name: kiosk.Text{ZH: "居民身份证"}, Required: true, FromLicenceLibrary: true},
			{Name: kiosk.Text{ZH: "签字声明（在婚姻登记机关签署）"}, Required: true, AtPlace: true}}}
	d := &diary{}
	printer := &kiosktest.Printer{}
	reader := kiosktest.NewReader()
	s := flow.New(flow.Deps{Clock: kiosktest.NewClock(today), Reader: reader, Queue: &kiosktest.Queue{}, Printer: printer,
		Terminal: flow.Terminal{CenterName: "测试街道社区事务受理服务中心"},
		Catalog:  catalog{marriage.Code: marriage}, Appointments: d})
	s.Start()
	reader.Cards <- kiosktest.CardResult{ID: kiosktest.Adult()}
	eventually(t, "identified", func() bool { return s.View().State == flow.Browse })
	s.SelectItem(marriage.Code)
	if !s.CanBook() || s.CanApply() {
		t.Fatalf("can book %v, can apply %v", s.CanBook(), s.CanApply())
	}
	s.OpenAppointment()
	eventually(t, "the free times", func() bool { return s.View().Slots != nil })
	var offered []string
	for _, sl := range s.View().Slots {
		offered = append(offered, sl.ID)
	}
	if strings.Join(offered, ",") != "mon-09,tue-1630" {
		t.Fatalf("offered %v: only free times inside the hours of a working day", offered)
	}
	s.ChooseSlot("mon-09") // no day chosen yet: nothing happens
	if s.View().ChosenSlot != nil {
		t.Fatal("a time was chosen before its day")
	}
	s.ChooseDay(shanghai("2026-11-29 00:00")) // Sunday: nothing to choose
	if !s.View().AppointmentDay.IsZero() {
		t.Fatal("a day without free times was chosen")
	}
	s.ChooseDay(shanghai("2026-11-30 00:00"))
	s.ChooseSlot("tue-1630") // another day's time: not on this screen
	if s.View().ChosenSlot != nil {
		t.Fatal("another day's time was chosen")
	}
	s.ChooseSlot("mon-09")
	v := s.View()
	if v.ChosenSlot == nil || v.ChosenSlot.ID != "mon-09" || v.Place != "测试街道社区事务受理服务中心" || len(d.booked) != 0 {
		t.Fatalf("confirmation: slot %+v, place %q, booked %v", v.ChosenSlot, v.Place, d.booked)
	}
	s.Back() // 返回 from the confirmation: the times again
	if v := s.View(); v.State != flow.Appointment || v.ChosenSlot != nil || v.AppointmentDay.IsZero() {
		t.Fatalf("back from the confirmation: %v, slot %v, day %v", v.State, v.ChosenSlot, v.AppointmentDay)
	}
	s.ChooseSlot("mon-09")
	s.ConfirmBooking()
	eventually(t, "the booking", func() bool { return s.View().Booked != nil })
	if len(d.booked) != 1 || d.booked[0] != "mon-09/"+kiosktest.Adult().Number {
		t.Fatalf("booked %v", d.booked)
	}
	if len(printer.Tickets) != 0 || len(printer.Slips) != 1 {
		t.Fatalf("printed %d tickets and %d slips; want one appointment slip", len(printer.Tickets), len(printer.Slips))
	}
	slip := printer.Slips[0]
	if slip.ID != "K7W3QX" || slip.CenterName != "测试街道社区事务受理服务中心" || len(slip.Bring) != 1 || slip.Bring[0].ZH != "户口簿原件" {
		t.Fatalf("slip %+v", slip)
	}
	s.ConfirmBooking()
	if len(d.booked) != 1 {
		t.Fatal("booked twice")
	}
	s.Back()
	if s.View().State != flow.ItemDetail {
		t.Fatalf("back from the booked appointment went to %v", s.View().State)
	}
	d.full = true
	s.OpenAppointment()
	eventually(t, "the no-slot message", func() bool { return strings.Contains(zh(t, s.View().Notice), "预约的时间") })
}
