package uplink

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/kiosk"
)

// TestBookAtPlacesEndToEnd: against a real back office, the terminal
// lists its district's registry times with the registry, books one with
// the partner and the answers, and hears in the resident's words why a
// booking fails: no partner, the time taken, the registry closed, the back
// office unreachable.
func TestBookAtPlacesEndToEnd(t *testing.T) {
	bo := startDeptBackOffice(t)
	ctx := context.Background()
	for _, p := range backoffice.DemoPlaces(testCenter) {
		if err := bo.Store.PutPlace(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now().In(kiosk.Shanghai)
	day := time.Date(now.Year(), now.Month(), now.Day()+2, 0, 0, 0, 0, kiosk.Shanghai)
	for _, sl := range []store.Slot{
		{ID: "mr-10", Place: "XH-MR", Item: "marriage-appointment", Start: day.Add(10 * time.Hour), Capacity: 1},
		{ID: "mr-14", Place: "XH-MR", Item: "marriage-appointment", Start: day.Add(14 * time.Hour), Capacity: 1},
		{ID: "ah-09", Place: "XH-AH", Item: "disability-assessment-booking", Start: day.Add(9 * time.Hour), Capacity: 1},
	} {
		if err := bo.Store.PutSlot(ctx, sl); err != nil {
			t.Fatal(err)
		}
	}
	c := newClient(t, bo.URL, newFakeQueue(), kiosk.SystemClock{})
	r, err := c.SlotsAt(ctx, day, "marriage-appointment", kiosk.BookAtMarriageRegistry)
	if err != nil || len(r.Slots) != 2 || len(r.Places) != 1 || r.Places[0].NameZH == "" || r.Places[0].AddressZH == "" {
		t.Fatalf("registry slots: %+v %v", r, err)
	}
	holder := "310104195001011235"
	partner := &api.Party{Name: "测试乙", IDNo: "310104199203041529"}
	_, err = c.BookWith(ctx, api.BookRequest{SlotID: "mr-10", ItemCode: "marriage-appointment", HolderIDNo: holder})
	wantKiosk(t, "without the partner", err, kiosk.KindInvalid, "appointment.refused")
	a, err := c.BookWith(ctx, api.BookRequest{SlotID: "mr-10", ItemCode: "marriage-appointment", HolderIDNo: holder, Partner: partner,
		Answers: map[string]string{"reg_type": "marry"}})
	if err != nil || a.Place == nil || a.Place.ID != "XH-MR" {
		t.Fatalf("book: %+v %v", a, err)
	}
	_, err = c.BookWith(ctx, api.BookRequest{SlotID: "mr-10", ItemCode: "marriage-appointment", HolderIDNo: holder, Partner: partner})
	wantKiosk(t, "the time taken", err, kiosk.KindInvalid, "appointment.slot_taken")
	if err := bo.Store.SetPlaceClosed(ctx, "XH-MR", true); err != nil {
		t.Fatal(err)
	}
	_, err = c.BookWith(ctx, api.BookRequest{SlotID: "mr-14", ItemCode: "marriage-appointment", HolderIDNo: holder, Partner: partner})
	wantKiosk(t, "the registry closed", err, kiosk.KindInvalid, "appointment.place_closed")
	if r, err := c.SlotsAt(ctx, day, "marriage-appointment", kiosk.BookAtMarriageRegistry); err != nil || len(r.Slots) != 0 {
		t.Errorf("a closed registry's slots: %+v %v", r, err)
	}
	if r, err := c.SlotsAt(ctx, day, "disability-assessment-booking", kiosk.BookAtAssessmentHospital); err != nil || len(r.Slots) != 1 || r.Places[0].ID != "XH-AH" {
		t.Errorf("the hospital's slots: %+v %v", r, err)
	}
	// The back office down: an address where nothing listens.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "http://" + ln.Addr().String()
	ln.Close()
	down := newClient(t, dead, newFakeQueue(), kiosk.SystemClock{})
	_, err = down.SlotsAt(ctx, day, "marriage-appointment", kiosk.BookAtMarriageRegistry)
	wantKiosk(t, "slots while down", err, kiosk.KindTransient, "query.backoffice_offline")
	_, err = down.BookWith(ctx, api.BookRequest{SlotID: "mr-14", ItemCode: "marriage-appointment", HolderIDNo: holder, Partner: partner})
	wantKiosk(t, "book while down", err, kiosk.KindTransient, "query.backoffice_offline")
}
