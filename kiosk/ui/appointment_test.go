package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/ui/internal/golden"
)

// weekDiary offers a week of the back office's slots, some of which the
// counters cannot keep (a Sunday, the lunch hour), and books with a short
// number.
type weekDiary struct{ booked []string }

func (d *weekDiary) Slots(_ context.Context, _ kiosk.ItemCode, _ time.Time, _ int) ([]kiosk.Slot, error) {
	at := func(s string) time.Time {
		t, _ := time.ParseInLocation("2006-01-02 15:04", s, kiosk.Shanghai)
		return t
	}
	return []kiosk.Slot{
		{ID: "sun", Start: at("2026-11-29 10:00"), Available: 4},
		{ID: "mon-09", Start: at("2026-11-30 09:00"), Available: 3},
		{ID: "mon-10", Start: at("2026-11-30 10:00"), Available: 1},
		{ID: "mon-12", Start: at("2026-11-30 12:00"), Available: 4},
		{ID: "mon-14", Start: at("2026-11-30 14:00"), Available: 2},
		{ID: "tue-09", Start: at("2026-12-01 09:00"), Available: 4},
	}, nil
}

func (d *weekDiary) Book(_ context.Context, slotID string, it kiosk.Item, _ kiosk.Identity) (kiosk.Appointment, error) {
	d.booked = append(d.booked, slotID)
	t, _ := time.ParseInLocation("2006-01-02 15:04", "2026-11-30 14:00", kiosk.Shanghai)
	return kiosk.Appointment{ID: "K7W3QX", Item: it.Name, Start: t}, nil
}

// TestAppointmentByTaps books an appointment as a resident's fingers do
// and counts the taps: the item, 预约, a day, a time, then the
// confirmation with the item, place, day and time (确认预约 / 返回) before
// anything is booked; the weekend and the lunch hour are never offered;
// the slip printed is an appointment slip. Each step is kept as a golden
// image, in Chinese and in English 长者模式 portrait.
func TestAppointmentByTaps(t *testing.T) {
	booking := testItem
	booking.Actions = []kiosk.Action{kiosk.ActionAppointment}
	booking.Materials = append(booking.Materials, kiosk.Material{Name: kiosk.Text{ZH: "户口簿原件", EN: "Household register"}, Required: true})
	for _, mode := range []struct {
		name     string
		en       bool
		portrait bool
	}{{"zh", false, false}, {"en-elderly-portrait", true, true}} {
		t.Run(mode.name, func(t *testing.T) {
			d := &weekDiary{}
			printer := &kiosktest.Printer{}
			k := newSmallKiosk(t, time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC), func(deps *flow.Deps) {
				deps.Catalog, deps.Appointments, deps.Printer = mapCatalog{booking.Code: booking}, d, printer
				deps.Terminal = flow.Terminal{CenterName: "徐汇区测试街道社区事务受理服务中心", Code: "XH0123"}
			})
			u := k.u
			if mode.portrait {
				k.w.Resize(fyne.NewSize(1080, 1920))
			}
			taps := 0
			tap := func(label string) {
				t.Helper()
				k.tap(t, label)
				taps++
			}
			look := func(name string, want ...string) {
				t.Helper()
				settle(u)
				for _, bad := range offPanel(u, k.w, k.w.Canvas().Size()) {
					t.Errorf("%s: %s", name, bad)
				}
				for _, s := range want {
					if !onScreen(u, k.w, s) {
						t.Errorf("%s: %q not on screen; texts: %s", name, s, k.texts())
					}
				}
				u.mu.Lock()
				img := k.w.Canvas().Capture()
				u.mu.Unlock()
				golden.Assert(t, "screens/"+mode.name+"-appointment-"+name, img, *update)
			}
			if mode.en {
				tap(u.t("common.language_other"))
				tap(u.t("common.senior_mode"))
			}
			before := taps
			tap(u.t("attract.start"))
			waitScreen(t, u, flow.Identify)
			k.reader.Cards <- kiosktest.CardResult{ID: kiosktest.Elder()}
			waitScreen(t, u, flow.Browse)
			tap(u.tr(booking.Name))
			waitScreen(t, u, flow.ItemDetail)
			tap(u.t("item.book"))
			waitScreen(t, u, flow.Appointment)
			waitForText(t, u, k.w, u.t("appointment.choose_day"))
			look("days", u.t("appointment.day", map[string]any{"Date": u.day(d0("2026-11-30")), "Left": 6}))
			if onScreen(u, k.w, u.day(d0("2026-11-29"))) {
				t.Error("a Sunday is offered")
			}
			tap(u.t("appointment.day", map[string]any{"Date": u.day(d0("2026-11-30")), "Left": 6}))
			look("times", "09:00", "10:00", "14:00")
			if onScreen(u, k.w, "12:00") {
				t.Error("the lunch hour is offered")
			}
			tap(u.t("appointment.slot", map[string]any{"When": "14:00", "Left": 2}))
			look("confirm", u.tr(booking.Name), "徐汇区测试街道社区事务受理服务中心", "14:00", u.t("appointment.confirm"))
			if len(d.booked) != 0 {
				t.Fatal("booked before 确认预约")
			}
			tap(u.t("common.back")) // 返回: the times again, nothing booked
			tap(u.t("appointment.slot", map[string]any{"When": "14:00", "Left": 2}))
			tap(u.t("appointment.confirm"))
			waitForText(t, u, k.w, "K7W3QX")
			look("booked", "K7W3QX", u.tr(kiosk.Text{ZH: "户口簿原件", EN: "Household register"}))
			if len(d.booked) != 1 || d.booked[0] != "mon-14" {
				t.Fatalf("booked %v", d.booked)
			}
			if len(printer.Slips) != 1 || len(printer.Tickets) != 0 {
				t.Fatalf("printed %d slips and %d tickets", len(printer.Slips), len(printer.Tickets))
			}
			tap(u.t("common.finish"))
			waitScreen(t, u, flow.Attract)
			// The taps of the visit, less the 返回 and the second choice of
			// the time this test made on purpose.
			if n := taps - before - 2; n != 7 {
				t.Errorf("a full appointment takes %d taps, want 7", n)
			}
		})
	}
}

// d0 is midnight of a day in Shanghai.
func d0(day string) time.Time {
	t, _ := time.ParseInLocation("2006-01-02", day, kiosk.Shanghai)
	return t
}
