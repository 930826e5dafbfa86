package console

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/store"
)

// TestBrowserAppointmentsByPlace: center staff, in headless Chromium at a
// counter PC, choose the district's marriage registry in the place list
// and see its booking, then add slots at their own counters with the form.
// The pages are photographed (-shots DIR), PC and tablet.
func TestBrowserAppointmentsByPlace(t *testing.T) {
	path := chromium(t)
	dir := screenDir(t)
	e := newEnv(t, openSQLite(t))
	ctx := context.Background()
	for _, p := range backoffice.DemoPlaces("XH01") {
		if err := e.st.PutPlace(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	day := nextWeekday(e.clk.Now())
	if err := e.st.PutSlot(ctx, store.Slot{ID: "mr1", Place: "XH-MR", Item: "marriage-appointment", Start: day.Add(10 * time.Hour), Capacity: 6}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.Book(ctx, store.Appointment{ID: "KXH2MR", SlotID: "mr1", ItemCode: "marriage-appointment", HolderHash: "h", PartnerHash: "p", Center: "XH01", CreatedAt: e.clk.Now()}); err != nil {
		t.Fatal(err)
	}

	bctx := startChromium(t, path, 2*time.Minute) // a bound against a hung browser
	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
		if over, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); err != nil || over {
			t.Errorf("%s is wider than the screen (%v)", name, err)
		}
	}
	e.browserLogin(t, bctx, "staff1")
	do(chromedp.Navigate(e.ts.URL+"/console/appointments?range=week"), present(chromedp.ID("appt-place")))
	do(chromedp.SetValue(chromedp.ID("appt-place"), "XH-MR"), chromedp.Click(chromedp.CSS("#appt-places button")), present(chromedp.ID("appt-rows")))
	rows, err := chromedp.Run(bctx, chromedp.Text(chromedp.ID("appt-rows")))
	if err != nil || !strings.Contains(rows, "marriage-appointment") || !strings.Contains(rows, "XH01") || !strings.Contains(rows, "KXH2MR") {
		t.Fatalf("the registry's bookings: %q (%v)", rows, err)
	}
	card, _ := chromedp.Run(bctx, chromedp.Text(chromedp.ID("appt-place-card")))
	if !strings.Contains(card, "婚姻登记机关") || !strings.Contains(card, "徐汇区示例路200号") {
		t.Errorf("the place card says %q", card)
	}
	shot("appointments-registry-zh-pc.png")
	do(chromedp.Navigate(e.ts.URL+"/console/appointments?place=XH01&range=week"), present(chromedp.ID("appt-addslots")),
		chromedp.SetValue(chromedp.CSS(`#appt-addslots input[name="day"]`), day.Format("2006-01-02")),
		chromedp.SendKeys(chromedp.CSS(`#appt-addslots input[name="times"]`), "09:30,14:00"),
		chromedp.Click(chromedp.CSS("#appt-addslots button")), present(chromedp.ID("appt-slots")))
	slots, err := e.st.PlaceSlots(ctx, "XH01", "", day, day.AddDate(0, 0, 1))
	if err != nil || len(slots) != 2 || slots[0].Capacity != 4 {
		t.Fatalf("slots added: %+v %v", slots, err)
	}
	shot("appointments-counters-zh-pc.png")
	do(chromedp.EmulateViewport(820, 1180))
	shot("appointments-counters-zh-tablet.png")
}
