package ui

import (
	"fmt"
	"path/filepath"
	"strings"
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
	servicescatalog "github.com/tongban/tongban/services-catalog"
)

// TestEveryCatalogItemFits renders the detail screen and every form page of
// every item in the real catalog, in both languages, normal and 长者模式,
// landscape and portrait, and fails when a screen needs more room than the
// panel has: that is text or buttons cut off for a resident.
func TestEveryCatalogItemFits(t *testing.T) {
	if testing.Short() {
		t.Skip("renders every item's screens")
	}
	cat, err := catalog.Load(servicescatalog.FS())
	if err != nil {
		t.Fatal(err)
	}
	places, err := form.LoadPlaces()
	if err != nil {
		t.Fatal(err)
	}
	today := time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC)
	for _, mode := range []struct {
		lang     kiosk.Lang
		elderly  bool
		portrait bool
	}{{kiosk.LangZH, false, false}, {kiosk.LangEN, false, false}, {kiosk.LangZH, true, false}, {kiosk.LangEN, true, true}} {
		name := fmt.Sprintf("%s-elderly=%v-portrait=%v", mode.lang, mode.elderly, mode.portrait)
		t.Run(name, func(t *testing.T) {
			a := test.NewTempApp(t)
			w := a.NewWindow("kiosk")
			size := fyne.NewSize(1920, 1080)
			if mode.portrait {
				size = fyne.NewSize(1080, 1920)
			}
			w.Resize(size)
			clock := kiosktest.NewClock(today)
			reader := kiosktest.NewReader()
			s := flow.New(flow.Deps{Clock: clock, Reader: reader, Queue: &kiosktest.Queue{}, Printer: &kiosktest.Printer{},
				Catalog: cat, Forms: form.Rules{Today: clock.Now, Places: places}})
			u := New(s, w, Options{CenterName: "徐汇区测试街道社区事务受理服务中心", Browser: CatalogBrowser(cat), Places: places, Pinyin: pinyin.Candidates, Clock: clock})
			check := func(what string) {
				t.Helper()
				u.redraw()
				u.mu.Lock()
				min := u.root.MinSize()
				u.mu.Unlock()
				if min.Width > size.Width+1 || min.Height > size.Height+1 {
					t.Errorf("%s needs %.0fx%.0f on a %.0fx%.0f panel", what, min.Width, min.Height, size.Width, size.Height)
				}
				if *shots != "" && (strings.HasPrefix(what, "service-rating") || strings.HasPrefix(what, "residence-permit form page 3") || strings.HasPrefix(what, "attract")) {
					u.mu.Lock()
					savePNG(t, filepath.Join(*shots, "fit-"+name+"-"+strings.ReplaceAll(what, " ", "_")+".png"), w.Canvas().Capture())
					u.mu.Unlock()
				}
			}
			// The attract screen with everything it can say at once.
			s.SetLanguage(mode.lang)
			s.SetElderly(mode.elderly)
			s.DevicesChanged(kiosk.TerminalState{Available: false, Reason: "hardware"}, kiosk.Text{ZH: "打印机缺纸，暂不能打印回执", EN: "The printer is out of paper"})
			s.CardPresence(true)
			s.End()
			s.SetLanguage(mode.lang)
			s.SetElderly(mode.elderly)
			check("attract with a notice and a pause")
			s.CardPresence(false)
			s.DevicesChanged(kiosk.TerminalState{Available: true}, kiosk.Text{})
			for _, it := range cat.Items() {
				s.End()
				s.SetLanguage(mode.lang)
				s.SetElderly(mode.elderly)
				s.Start()
				reader.Cards <- kiosktest.CardResult{ID: kiosktest.Elder()}
				for s.View().State != flow.Browse {
					time.Sleep(time.Millisecond)
				}
				if it.Code == cat.Items()[0].Code {
					for _, tab := range []browseTab{tabPopular, tabDepartment, tabLifeEvent, tabSearch} {
						u.mu.Lock()
						u.browse = browseState{tab: tab}
						u.mu.Unlock()
						check(fmt.Sprintf("browse tab %d", tab))
					}
					u.mu.Lock()
					u.browse = browseState{tab: tabDepartment, group: cat.Departments()[0].Code, groupName: cat.Departments()[0].Name}
					u.mu.Unlock()
					check("a department's items")
					u.mu.Lock()
					u.browse = browseState{tab: tabSearch, query: "ljt"}
					u.mu.Unlock()
					check("search results")
					u.mu.Lock()
					u.browse = browseState{}
					u.mu.Unlock()
				}
				s.SelectItem(it.Code)
				check(string(it.Code) + " item screen")
				if !s.CanApply() {
					continue
				}
				s.Apply()
				for page := 0; s.View().State == flow.FormPage && page < 10; page++ {
					check(fmt.Sprintf("%s form page %d", it.Code, page+1))
					v := s.View()
					for _, f := range v.Fields {
						if v.Prefilled[f.ID] {
							continue
						}
						s.SetAnswer(f.ID, sampleAnswer(f, places))
					}
					s.Next()
				}
				if s.View().State == flow.Review {
					check(string(it.Code) + " review")
				}
			}
		})
	}
}

// sampleAnswer is a valid-looking answer for a field, to page through forms.
func sampleAnswer(f kiosk.Field, places *form.Places) string {
	switch f.Type {
	case kiosk.FieldPhone:
		return "13800138000"
	case kiosk.FieldIDNumber:
		return "310101198806122340"
	case kiosk.FieldNumber:
		return "1"
	case kiosk.FieldDate:
		return "2026-11-28"
	case kiosk.FieldYesNo, kiosk.FieldConsent:
		return "yes"
	case kiosk.FieldChoice:
		if len(f.Options) > 0 {
			return f.Options[0].Value
		}
	case kiosk.FieldBank:
		return "6222020200112233445"
	case kiosk.FieldAddress:
		d := places.Districts()[0]
		return fmt.Sprintf(`{"district":%q,"street":%q,"detail":"测试路1号"}`, d.Name.ZH, d.Towns[0])
	case kiosk.FieldFamily:
		return `[]`
	}
	return "测试"
}
