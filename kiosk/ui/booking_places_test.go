package ui

import (
	"context"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/catalog"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/form"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/pinyin"
	"github.com/tongban/tongban/kiosk/ui/internal/golden"
	"github.com/tongban/tongban/kiosk/ui/keyboard"
	servicescatalog "github.com/tongban/tongban/services-catalog"
)

// testRegistry is a made-up district marriage registry.
var testRegistry = kiosk.Place{ID: "XH-MR", Kind: kiosk.BookAtMarriageRegistry,
	Name: kiosk.Text{ZH: "测试区婚姻登记处", EN: "Test District Marriage Registry"}, Address: kiosk.Text{ZH: "测试路200号", EN: "200 Test Road"}}

// registryDiary is a hand-written fake of flow.Appointments with
// flow.PlaceBooking: the registry's times, and what was booked with which
// answers.
type registryDiary struct {
	place   kiosk.Place // zero: testRegistry
	mu      sync.Mutex
	at      []kiosk.BookAt
	booked  []string
	answers []kiosk.Answers
}

func (d *registryDiary) Slots(context.Context, kiosk.ItemCode, time.Time, int) ([]kiosk.Slot, error) {
	return nil, nil // the center's counters: none (the item is booked at the registry)
}

func (d *registryDiary) Book(context.Context, string, kiosk.Item, kiosk.Identity) (kiosk.Appointment, error) {
	return kiosk.Appointment{}, &kiosk.Error{Kind: kiosk.KindInvalid, Message: kiosk.Msg("appointment.refused")}
}

func (d *registryDiary) SlotsAt(_ context.Context, _ kiosk.ItemCode, at kiosk.BookAt, _ time.Time, _ int) ([]kiosk.Slot, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.at = append(d.at, at)
	pl := testRegistry
	if !d.place.IsZero() {
		pl = d.place
	}
	return []kiosk.Slot{
		{ID: "mr-mon-10", Start: d0("2026-11-30").Add(10 * time.Hour), Available: 4, Place: pl},
		{ID: "mr-mon-14", Start: d0("2026-11-30").Add(14 * time.Hour), Available: 2, Place: pl},
	}, nil
}

func (d *registryDiary) BookWith(_ context.Context, slotID string, it kiosk.Item, _ kiosk.Identity, a kiosk.Answers) (kiosk.Appointment, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.booked = append(d.booked, slotID)
	d.answers = append(d.answers, maps.Clone(a))
	return kiosk.Appointment{ID: "K7W3QX", Item: it.Name, Start: d0("2026-11-30").Add(14 * time.Hour), Place: testRegistry}, nil
}

// newBookingKiosk is the real catalog and form rules with appointments
// booked through d.
func newBookingKiosk(t *testing.T, size fyne.Size, d flow.Appointments) *testKiosk {
	t.Helper()
	cat, err := catalog.Load(servicescatalog.FS())
	if err != nil {
		t.Fatal(err)
	}
	places, err := form.LoadPlaces()
	if err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	w := a.NewWindow("kiosk")
	w.SetPadded(false)
	w.Resize(size)
	clock := kiosktest.NewClock(time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC))
	k := &testKiosk{w: w, reader: kiosktest.NewReader(), queue: &kiosktest.Queue{}, print: &kiosktest.Printer{}, cat: cat, places: places}
	k.s = flow.New(flow.Deps{Clock: clock, Reader: k.reader, Queue: k.queue, Printer: k.print,
		Catalog: cat, Forms: form.Rules{Today: clock.Now, Places: places}, Appointments: d,
		Terminal: flow.Terminal{CenterName: "徐汇区测试街道社区事务受理服务中心", Center: "XH01", Code: "XH0123"},
		Numbers:  func(time.Time) (string, string, error) { return "id-1", "XH0123-20261128-0042", nil }})
	k.u = New(k.s, w, Options{CenterName: "徐汇区测试街道社区事务受理服务中心", Browser: CatalogBrowser(cat), Places: places, Pinyin: pinyin.Suggestions, PinyinRest: pinyin.Rest, Clock: clock})
	waitScreen(t, k.u, flow.Attract)
	return k
}

// testPartner is the synthetic partner: a name and an ID number with a
// valid check digit (born 1992, female).
const testPartnerID = "310104199203041529"

// TestRegistryBookingWalk books a marriage registration as a resident's
// fingers do, in Chinese (landscape) and in English (portrait): 预约 on
// the item opens its booking form (the partner's name and ID number are
// asked, the day and the district are not), a wrong check digit is
// refused under the field, the review leads to choosing a time (not to
// signing), and the days, the confirmation and the booked screen say the
// registry's name and address; the answers go with the booking and the
// slip names the registry.
func TestRegistryBookingWalk(t *testing.T) {
	for _, mode := range []struct {
		name string
		en   bool
		size fyne.Size
	}{{"zh", false, fyne.NewSize(1920, 1080)}, {"en", true, fyne.NewSize(1080, 1920)}} {
		t.Run(mode.name, func(t *testing.T) {
			d := &registryDiary{}
			k := newBookingKiosk(t, mode.size, d)
			u := k.u
			if mode.en {
				k.tap(t, u.t("common.language_other"))
			}
			k.identify(t)
			k.s.SelectItem("marriage-appointment")
			waitScreen(t, u, flow.ItemDetail)
			k.tap(t, u.t("item.book"))
			waitScreen(t, u, flow.FormPage)
			seen := map[string]bool{}
			badID := true
			for page := 0; u.s.View().State == flow.FormPage; page++ {
				if page > 8 {
					t.Fatalf("still on the form after %d pages; texts: %s", page, k.texts())
				}
				v := u.s.View()
				if !v.BookingForm {
					t.Fatal("the booking's form is not marked as such")
				}
				for _, f := range v.Fields {
					seen[f.ID] = true
					if v.Prefilled[f.ID] {
						continue
					}
					switch {
					case f.Type == kiosk.FieldPhone:
						k.tap(t, "field:"+f.ID)
						tapKeys(t, u, k.w, "13800138000")
					case f.Type == kiosk.FieldChoice:
						k.tap(t, u.tr(f.Options[0].Label))
					case f.Type == kiosk.FieldConsent:
						k.tap(t, "☐*")
					case f.ID == kiosk.PartnerNameField:
						k.tap(t, "field:"+f.ID)
						if _, py := keyboardOnScreen(u, k.w).(*keyboard.Pinyin); py {
							for i, c := range []rune("测试乙") {
								k.typeChinese(t, []string{"ce", "shi", "yi"}[i], c)
							}
						} else {
							tapKeys(t, u, k.w, "ceshiyi")
						}
					case f.ID == kiosk.PartnerIDField:
						k.tap(t, "field:"+f.ID)
						tapKeys(t, u, k.w, testPartnerID[:17]+"0") // a wrong check digit first
					default:
						t.Fatalf("the walk does not know how to fill %s (%s)", f.ID, f.Type)
					}
				}
				k.tap(t, u.t("common.next"))
				if w := u.s.View(); w.State == flow.FormPage && w.Page == v.Page {
					if _, bad := w.FieldErrors[kiosk.PartnerIDField]; bad && badID {
						badID = false
						k.tap(t, "field:"+kiosk.PartnerIDField)
						for range 18 {
							tapKey(t, u, k.w, keyboard.KeyBackspace)
						}
						tapKeys(t, u, k.w, testPartnerID)
						k.tap(t, u.t("common.next"))
						continue
					}
					t.Fatalf("page %d refused: %v", page+1, w.FieldErrors)
				}
			}
			if badID {
				t.Error("a partner ID number with a wrong check digit was taken")
			}
			if !seen[kiosk.PartnerNameField] || !seen[kiosk.PartnerIDField] || seen["office"] || seen["date"] {
				t.Errorf("the booking form asked %v: the partner, not the day or the district", seen)
			}
			waitScreen(t, u, flow.Review)
			k.tapPagingPrefix(t, "☐")
			k.tap(t, strings.ReplaceAll(u.t("review.next_booking"), "\n", " "))
			waitScreen(t, u, flow.Appointment)
			waitForText(t, u, k.w, u.t("appointment.choose_day"))
			for _, want := range []string{u.tr(testRegistry.Name), u.tr(testRegistry.Address)} {
				if !strings.Contains(k.texts(), want) {
					t.Errorf("the days do not say %q; texts: %s", want, k.texts())
				}
			}
			settle(u)
			golden.Assert(t, "screens/"+mode.name+"-booking-registry-days", k.w.Canvas().Capture(), *update)
			k.tapPaging(t, u.t("appointment.day", map[string]any{"Date": u.day(d0("2026-11-30")), "Left": 6}))
			k.tapPaging(t, u.t("appointment.slot", map[string]any{"When": "14:00", "Left": 2}))
			settle(u)
			for _, want := range []string{u.t("appointment.line_place", map[string]any{"Place": u.tr(testRegistry.Name)}),
				u.t("appointment.line_address", map[string]any{"PlaceAddress": u.tr(testRegistry.Address)})} {
				if !onScreen(u, k.w, want) {
					t.Errorf("the confirmation does not say %q; texts: %s", want, k.texts())
				}
			}
			golden.Assert(t, "screens/"+mode.name+"-booking-registry-confirm", k.w.Canvas().Capture(), *update)
			k.tap(t, u.t("appointment.confirm"))
			waitForText(t, u, k.w, "K7W3QX")
			settle(u)
			if !strings.Contains(k.texts(), u.tr(testRegistry.Address)) {
				t.Errorf("the booked screen does not say where to go; texts: %s", k.texts())
			}
			golden.Assert(t, "screens/"+mode.name+"-booking-registry-booked", k.w.Canvas().Capture(), *update)
			d.mu.Lock()
			defer d.mu.Unlock()
			if len(d.booked) != 1 || d.booked[0] != "mr-mon-14" || len(d.at) == 0 || d.at[0] != kiosk.BookAtMarriageRegistry {
				t.Fatalf("booked %v at %v", d.booked, d.at)
			}
			if a := d.answers[0]; a[kiosk.PartnerIDField] != testPartnerID || a[kiosk.PartnerNameField] == "" || a["office"] != "" {
				t.Errorf("answers sent: %v", a)
			}
			if len(k.print.Slips) != 1 || k.print.Slips[0].Place.ID != testRegistry.ID {
				t.Errorf("slips %+v", k.print.Slips)
			}
		})
	}
}

// TestCounterBookingSaysNoOtherPlace: an item booked at the center's own
// counters, whose place the back office names, shows the counters'
// address but not the warning that the service is elsewhere.
func TestCounterBookingSaysNoOtherPlace(t *testing.T) {
	booking := testItem
	booking.Actions, booking.Form = []kiosk.Action{kiosk.ActionAppointment}, nil // no form: the days at once
	d := &registryDiary{place: kiosk.Place{ID: "XH01", Kind: kiosk.BookAtCenter, Name: kiosk.Text{ZH: "徐汇区测试街道社区事务受理服务中心"}, Address: kiosk.Text{ZH: "测试路1号"}}}
	k := newSmallKiosk(t, time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC), func(deps *flow.Deps) {
		deps.Catalog, deps.Appointments = mapCatalog{booking.Code: booking}, d
	})
	u := k.u
	k.tap(t, u.t("attract.start"))
	waitScreen(t, u, flow.Identify)
	k.reader.Cards <- kiosktest.CardResult{ID: kiosktest.Elder()}
	waitScreen(t, u, flow.Browse)
	k.tap(t, u.tr(booking.Name))
	waitScreen(t, u, flow.ItemDetail)
	k.tap(t, u.t("item.book"))
	waitForText(t, u, k.w, u.t("appointment.choose_day"))
	if !strings.Contains(k.texts(), "测试路1号") {
		t.Errorf("the counters' address is not shown; texts: %s", k.texts())
	}
	if strings.Contains(k.texts(), u.t("appointment.not_here", map[string]any{"Place": "徐汇区测试街道社区事务受理服务中心"})) {
		t.Error("the counters are called another place")
	}
}
