package ui

import (
	"context"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/i18n"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/ui/internal/golden"
)

type fakeDesk struct{}

func (fakeDesk) Check(code string) (string, bool) { return "staff", code == "246810" }
func (fakeDesk) Report(context.Context) flow.StaffReport {
	return flow.StaffReport{Pending: 2, Quarantined: 1, Unprinted: 1, Catalog: "2026.11.0", BackOffice: true,
		Devices: []kiosk.DeviceStatus{
			{Kind: kiosk.DeviceIDReader, State: kiosk.DeviceOnline},
			{Kind: kiosk.DevicePrinter, State: kiosk.DeviceOnline, Paper: kiosk.PaperOut},
		}}
}
func (fakeDesk) Reprint(context.Context) (int, error)          { return 1, nil }
func (fakeDesk) SelfTest(context.Context) error                { return nil }
func (fakeDesk) RetryQuarantined(context.Context) (int, error) { return 1, nil }
func (fakeDesk) Exit()                                         {}

type fakeDiary struct{}

func (fakeDiary) Slots(_ context.Context, _ kiosk.ItemCode, from time.Time, _ int) ([]kiosk.Slot, error) {
	return []kiosk.Slot{{ID: "S1", Start: time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC), Available: 3},
		{ID: "S2", Start: time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC), Available: 1}}, nil
}
func (fakeDiary) Book(_ context.Context, slotID string, it kiosk.Item, _ kiosk.Identity) (kiosk.Appointment, error) {
	return kiosk.Appointment{ID: "YY-0007", Item: it.Name, Start: time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)}, nil
}

// TestStaffAndAppointmentScreens walks the staff gesture, code entry and
// menu, and an appointment booking, in both languages.
func TestStaffAndAppointmentScreens(t *testing.T) {
	booking := testItem
	booking.Actions = []kiosk.Action{kiosk.ActionAppointment}
	for _, lang := range []kiosk.Lang{kiosk.LangZH, kiosk.LangEN} {
		t.Run(string(lang), func(t *testing.T) {
			a := test.NewTempApp(t)
			w := a.NewWindow("kiosk")
			w.Resize(fyne.NewSize(1920, 1080))
			clock := kiosktest.NewClock(time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC))
			reader := kiosktest.NewReader()
			printer := &kiosktest.Printer{}
			s := flow.New(flow.Deps{Clock: clock, Reader: reader, Queue: &kiosktest.Queue{}, Printer: printer,
				Catalog: mapCatalog{booking.Code: booking}, Staff: fakeDesk{}, Appointments: fakeDiary{}})
			u := New(s, w, Options{CenterName: "徐汇区测试街道社区事务受理服务中心", Clock: clock})
			s.SetLanguage(lang)
			shot := func(name string) {
				if *shots != "" {
					u.mu.Lock()
					savePNG(t, filepath.Join(*shots, string(lang)+"-"+name+".png"), w.Canvas().Capture())
					u.mu.Unlock()
				}
			}
			for range 5 {
				u.staffTap() // as a tap would: the UI's lock is not held
			}
			if s.View().State != flow.StaffLogin {
				t.Fatalf("five taps on the clock led to %v", s.View().State)
			}
			for _, r := range "246810" {
				fyne.DoAndWait(func() { staffCodeTarget{u}.Append(r) })
			}
			waitForText(t, u, w, "● ● ● ● ● ●")
			u.mu.Lock()
			texts := strings.Join(canvasTexts(w.Content()), "|")
			u.mu.Unlock()
			if strings.Contains(texts, "246810") {
				t.Fatal("the staff code is drawn on screen")
			}
			shot("staff-login")
			s.StaffCode("246810")
			waitForText(t, u, w, u.wordsIn(lang, "staff.unprinted", map[string]any{"Count": 1}))
			waitForText(t, u, w, u.wordsIn(lang, "device.paper.out"))
			shot("staff-menu")
			s.End()

			s.Start()
			s.SetLanguage(lang)
			reader.Cards <- kiosktest.CardResult{ID: kiosktest.Adult()}
			waitForText(t, u, w, "李**乙")
			s.SelectItem(booking.Code)
			waitForText(t, u, w, u.wordsIn(lang, "item.book"))
			s.OpenAppointment()
			waitForText(t, u, w, u.wordsIn(lang, "appointment.choose_day"))
			shot("appointment")
			s.ChooseDay(time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC))
			s.ChooseSlot("S1")
			waitForText(t, u, w, u.wordsIn(lang, "appointment.confirm"))
			s.ConfirmBooking()
			waitForText(t, u, w, "YY-0007")
			shot("appointment-booked")
			if len(printer.Slips) != 1 || len(printer.Tickets) != 0 {
				t.Fatalf("appointment slip not printed: %+v, %+v", printer.Slips, printer.Tickets)
			}
		})
	}
}

type mapCatalog map[kiosk.ItemCode]kiosk.Item

func (c mapCatalog) Item(code kiosk.ItemCode) (kiosk.Item, bool) { it, ok := c[code]; return it, ok }

// exitDesk counts the staff's 退出程序.
type exitDesk struct {
	fakeDesk
	exits atomic.Int32
}

func (d *exitDesk) Exit() { d.exits.Add(1) }

// buttonAt returns where the button labelled label is drawn.
func buttonAt(t *testing.T, u *Screens, w fyne.Window, label string) fyne.Position {
	t.Helper()
	var at *fyne.Position
	u.mu.Lock()
	walkPlaced(w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, p fyne.Position) {
		if l, ok := labelOf(o); ok && l == label && at == nil {
			at = &p
		}
	})
	u.mu.Unlock()
	if at == nil {
		t.Fatalf("no %q on screen", label)
	}
	return *at
}

// TestStaffMenuExitAsksFirst: in the staff menu, reached by taps (the clock
// five times, the code on the keypad), 退出程序 asks before quitting, 取消
// keeps the kiosk running, and the buttons stay where they are when an
// action's result appears.
func TestStaffMenuExitAsksFirst(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("kiosk")
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1920, 1080))
	clock := kiosktest.NewClock(time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC))
	desk := &exitDesk{}
	s := flow.New(flow.Deps{Clock: clock, Reader: kiosktest.NewReader(), Queue: &kiosktest.Queue{}, Printer: &kiosktest.Printer{},
		Catalog: mapCatalog{}, Staff: desk})
	u := New(s, w, Options{CenterName: "徐汇区测试街道社区事务受理服务中心", Clock: clock})
	waitScreen(t, u, flow.Attract)
	for range 5 {
		tapOn(t, u, w, clock.Now().In(kiosk.Shanghai).Format("15:04"))
	}
	waitScreen(t, u, flow.StaffLogin)
	tapKeys(t, u, w, "246810")
	tapOn(t, u, w, u.t("staff.ok"))
	waitScreen(t, u, flow.StaffMenu)
	waitForText(t, u, w, u.t("staff.unprinted", map[string]any{"Count": 1}))

	before := map[string]fyne.Position{}
	labels := []string{u.t("staff.reprint"), u.t("staff.selftest"), u.t("staff.retry"), u.t("staff.exit")}
	for _, l := range labels {
		before[l] = buttonAt(t, u, w, l)
	}
	tapOn(t, u, w, u.t("staff.reprint"))
	waitForText(t, u, w, "已补打回执")
	for _, l := range labels {
		if got := buttonAt(t, u, w, l); got != before[l] {
			t.Errorf("%s moved from %v to %v when the result appeared", l, before[l], got)
		}
	}

	tapOn(t, u, w, u.t("staff.exit"))
	settle(u)
	waitForText(t, u, w, u.t("staff.exit_confirm")[:9])
	if desk.exits.Load() != 0 {
		t.Fatal("退出程序 quit at once, without asking")
	}
	tapOn(t, u, w, u.t("common.cancel"))
	settle(u)
	buttonAt(t, u, w, u.t("staff.reprint")) // back in the menu
	if desk.exits.Load() != 0 {
		t.Fatal("取消 quit the kiosk")
	}
	tapOn(t, u, w, u.t("staff.exit"))
	settle(u)
	tapOn(t, u, w, u.t("staff.exit_yes"))
	deadline := time.Now().Add(5 * time.Second)
	for desk.exits.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if desk.exits.Load() != 1 {
		t.Fatalf("confirmed 退出程序 quit %d times, want once", desk.exits.Load())
	}
}

// badgeDesk takes the badge of S0042 with PIN 482916.
type badgeDesk struct{ fakeDesk }

func (badgeDesk) CheckBadge(number, secret, pin string) (string, bool) {
	return number, number == "S0042" && secret == "s42" && pin == "482916"
}

// TestStaffBadgeLoginScreen: with badges, the staff login asks for the
// badge first; once it is scanned it names the badge and asks for the
// PIN; the PIN on the keypad opens the menu. Golden in both languages.
func TestStaffBadgeLoginScreen(t *testing.T) {
	words, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []kiosk.Lang{kiosk.LangZH, kiosk.LangEN} {
		t.Run(string(lang), func(t *testing.T) {
			a := test.NewTempApp(t)
			w := a.NewWindow("kiosk")
			w.SetPadded(false)
			w.Resize(fyne.NewSize(1920, 1080))
			clock := kiosktest.NewClock(time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC))
			s := flow.New(flow.Deps{Clock: clock, Reader: kiosktest.NewReader(), Queue: &kiosktest.Queue{}, Printer: &kiosktest.Printer{},
				Catalog: mapCatalog{}, Staff: badgeDesk{}})
			u := New(s, w, Options{CenterName: "徐汇区测试街道社区事务受理服务中心", Clock: clock, Words: words})
			s.SetLanguage(lang)
			waitScreen(t, u, flow.Attract)
			s.OpenStaff()
			waitScreen(t, u, flow.StaffLogin)
			waitForText(t, u, w, u.t("staff.scan_badge"))
			golden.Assert(t, "screens/"+string(lang)+"-staff-badge-scan", w.Canvas().Capture(), *update)
			s.Scanned(kiosk.ScannedCode{Kind: kiosk.ScanStaffBadge, StaffNumber: "S0042", Token: "s42"})
			waitForText(t, u, w, u.t("staff.enter_pin"))
			waitForText(t, u, w, "S0042")
			golden.Assert(t, "screens/"+string(lang)+"-staff-badge-read", w.Canvas().Capture(), *update)
			tapKeys(t, u, w, "482916")
			tapOn(t, u, w, u.t("staff.ok"))
			waitScreen(t, u, flow.StaffMenu)
		})
	}
}
