package terminal

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/uplink"
)

// TestAppointmentsAtPlaces: the terminal's appointments service, against
// the local back office with its demonstration places, offers the
// district registry's times with the registry's name, address and hours,
// and books one with the form's answers, the partner taken from them.
func TestAppointmentsAtPlaces(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	office, err := backoffice.ListenLocal(ctx, backoffice.LocalOptions{Dir: filepath.Join(t.TempDir(), "backoffice"), Center: "XH01"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); office.Wait() })
	c, err := uplink.New(uplink.Config{BaseURL: office.URL, Terminal: "SH-XH-0001", Center: "XH01", Queue: noQueue{}})
	if err != nil {
		t.Fatal(err)
	}
	a := appointments{c}
	marriage := kiosk.Item{Code: "marriage-appointment", Name: kiosk.Text{ZH: "婚姻登记预约"}, BookAt: kiosk.BookAtMarriageRegistry}
	slots, err := a.SlotsAt(ctx, marriage.Code, marriage.BookAt, time.Now(), 7)
	if err != nil || len(slots) == 0 {
		t.Fatalf("registry slots: %d %v", len(slots), err)
	}
	pl := slots[0].Place
	if pl.ID != "XH-MR" || pl.Kind != kiosk.BookAtMarriageRegistry || pl.Name.ZH != "徐汇区婚姻登记处" || pl.Address.ZH == "" || pl.Hours.IsZero() {
		t.Fatalf("the slot's place: %+v", pl)
	}
	who := kiosk.Identity{Number: backoffice.DemoHolderID, Name: "测试甲"}
	// Without the partner in the answers the registry refuses, in words.
	if _, err := a.BookWith(ctx, slots[0].ID, marriage, who, kiosk.Answers{"reg_type": "marry"}); kiosk.MessageOf(err).ID != "appointment.refused" {
		t.Errorf("a registry booking without the partner: %v", err)
	}
	got, err := a.BookWith(ctx, slots[0].ID, marriage, who, kiosk.Answers{"reg_type": "marry", kiosk.PartnerNameField: "测试乙", kiosk.PartnerIDField: "310104199203041529"})
	if err != nil || got.ID == "" || got.Place.ID != "XH-MR" || got.Place.Address.ZH == "" || !got.Start.Equal(slots[0].Start) {
		t.Fatalf("booked: %+v %v", got, err)
	}
	stored, err := office.Store.Appointment(ctx, got.ID) // dev mode: the terminal has no enrolled center
	if err != nil || stored.PartnerHash == "" || stored.Slot.Place != "XH-MR" {
		t.Errorf("stored: %+v %v", stored, err)
	}
	// The center's own counters, for an item booked there.
	counters, err := a.SlotsAt(ctx, "window-ticket", kiosk.BookAtCenter, time.Now(), 7)
	if err != nil || len(counters) == 0 || counters[0].Place.ID != "XH01" {
		t.Errorf("the counters' slots: %d %+v %v", len(counters), counters, err)
	}
}
