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

// diary is a hand-written fake of flow.Appointments.
type diary struct {
	booked []string
	full   bool
}

func (d *diary) Slots(_ context.Context, _ kiosk.ItemCode, from time.Time, days int) ([]kiosk.Slot, error) {
	if d.full {
		return nil, nil
	}
	return []kiosk.Slot{{ID: "S1", Start: from.Add(24 * time.Hour), Available: 3}}, nil
}

func (d *diary) Book(_ context.Context, slotID string, it kiosk.Item, who kiosk.Identity) (kiosk.Appointment, error) {
	d.booked = append(d.booked, slotID+"/"+who.Number)
	return kiosk.Appointment{ID: "YY-0001", Item: it.Name, Start: today.Add(24 * time.Hour)}, nil
}

func TestBookAnAppointment(t *testing.T) {
	marriage := kiosk.Item{Code: "marriage", Name: kiosk.Text{ZH: "婚姻登记预约"}, Actions: []kiosk.Action{kiosk.ActionAppointment}}
	d := &diary{}
	printer := &kiosktest.Printer{}
	reader := kiosktest.NewReader()
	s := flow.New(flow.Deps{Clock: kiosktest.NewClock(today), Reader: reader, Queue: &kiosktest.Queue{}, Printer: printer,
		Catalog: catalog{marriage.Code: marriage}, Appointments: d})
	s.Start()
	reader.Cards <- kiosktest.CardResult{ID: kiosktest.Adult()}
	eventually(t, "identified", func() bool { return s.View().State == flow.Browse })
	s.SelectItem(marriage.Code)
	if !s.CanBook() || s.CanApply() {
		t.Fatalf("can book %v, can apply %v", s.CanBook(), s.CanApply())
	}
	s.OpenAppointment()
	eventually(t, "the free times", func() bool { return len(s.View().Slots) == 1 })
	s.BookSlot("S1")
	eventually(t, "the booking", func() bool { return s.View().Booked != nil })
	if len(d.booked) != 1 || d.booked[0] != "S1/"+kiosktest.Adult().Number {
		t.Fatalf("booked %v", d.booked)
	}
	if p := printer.Tickets; len(p) != 1 || p[0].Number != "YY-0001" {
		t.Fatalf("slip printed: %+v", p)
	}
	s.BookSlot("S1")
	if len(d.booked) != 1 {
		t.Fatal("booked twice")
	}
	s.Back()
	if s.View().State != flow.ItemDetail {
		t.Fatalf("back from the appointment went to %v", s.View().State)
	}
	d.full = true
	s.OpenAppointment()
	eventually(t, "the no-slot message", func() bool { return strings.Contains(zh(t, s.View().Notice), "预约的时间") })
}
