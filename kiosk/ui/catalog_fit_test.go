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

// TestEveryCatalogItemFits renders every screen of every item in the real
// catalog (the detail screen, every form page empty and with its errors,
// then filled, the review), in both languages, normal and 长者模式,
// landscape and portrait, after the screens that were once too tall (the
// English search results for "allowance", typed on the keyboard), and
// fails when the window has grown past the panel, anything is drawn
// outside it, anything scrolls, or a button is smaller than UX.md's touch
// target: that is text or buttons cut off for a resident.
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
	for _, lang := range []kiosk.Lang{kiosk.LangZH, kiosk.LangEN} {
		for _, elderly := range []bool{false, true} {
			for _, portrait := range []bool{false, true} {
				name := fmt.Sprintf("%s-elderly=%v-portrait=%v", lang, elderly, portrait)
				t.Run(name, func(t *testing.T) {
					checkCatalogFits(t, cat, places, today, lang, elderly, portrait, name)
				})
			}
		}
	}
}

func checkCatalogFits(t *testing.T, cat *catalog.Catalog, places *form.Places, today time.Time, lang kiosk.Lang, elderly, portrait bool, name string) {
	a := test.NewTempApp(t)
	w := a.NewWindow("kiosk")
	w.SetPadded(false)
	size := fyne.NewSize(1920, 1080)
	if portrait {
		size = fyne.NewSize(1080, 1920)
	}
	w.Resize(size)
	clock := kiosktest.NewClock(today)
	reader := kiosktest.NewReader()
	s := flow.New(flow.Deps{Clock: clock, Reader: reader, Queue: &kiosktest.Queue{}, Printer: &kiosktest.Printer{},
		Catalog: cat, Forms: form.Rules{Today: clock.Now, Places: places}})
	u := New(s, w, Options{CenterName: "徐汇区测试街道社区事务受理服务中心", Browser: CatalogBrowser(cat), Places: places, Pinyin: pinyin.Suggestions, PinyinRest: pinyin.Rest, Clock: clock})
	failures, checks := 0, 0
	defer func() { t.Logf("%d screens checked", checks) }()
	check := func(what string) {
		t.Helper()
		checks++
		u.redraw()
		for _, bad := range offPanel(u, w, size) {
			if failures++; failures <= 40 {
				t.Errorf("%s: %s", what, bad)
			}
		}
		if *shots != "" && (strings.HasPrefix(what, "service-rating") || strings.Contains(what, "errors") || strings.HasPrefix(what, "attract") || strings.Contains(what, "review") || strings.Contains(what, "search")) {
			u.mu.Lock()
			savePNG(t, filepath.Join(*shots, "fit-"+name+"-"+strings.ReplaceAll(what, " ", "_")+".png"), w.Canvas().Capture())
			u.mu.Unlock()
		}
	}
	// First the screen that once grew the window for every later
	// resident: English search results for "allowance", typed key by key.
	s.SetLanguage(kiosk.LangEN)
	waitScreen(t, u, flow.Attract)
	tapOn(t, u, w, "Start")
	waitScreen(t, u, flow.Identify)
	reader.Cards <- kiosktest.CardResult{ID: kiosktest.Elder()}
	waitScreen(t, u, flow.Browse)
	tapOn(t, u, w, "Search")
	settle(u)
	tapKeys(t, u, w, "allowance")
	check("English search results for allowance")
	tapOn(t, u, w, "Finish")
	waitScreen(t, u, flow.Attract)

	// The attract screen with everything it can say at once.
	s.SetLanguage(lang)
	s.SetElderly(elderly)
	s.DevicesChanged(kiosk.TerminalState{Available: false, Reason: "hardware"}, kiosk.Text{ZH: "打印机缺纸，暂不能打印回执", EN: "The printer is out of paper"})
	s.CardPresence(true)
	s.End()
	s.SetLanguage(lang)
	s.SetElderly(elderly)
	check("attract with a notice and a pause")
	s.CardPresence(false)
	s.DevicesChanged(kiosk.TerminalState{Available: true}, kiosk.Text{})
	for _, it := range cat.Items() {
		s.End()
		s.SetLanguage(lang)
		s.SetElderly(elderly)
		s.Start()
		if it.Code == cat.Items()[0].Code {
			waitScreen(t, u, flow.Identify)
			check("identify")
		}
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
			for _, q := range []string{"ljt", "allowance", "z"} {
				u.mu.Lock()
				u.browse = browseState{tab: tabSearch, query: q}
				u.mu.Unlock()
				check("search results " + q)
			}
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
			s.Next() // nothing typed: every error at once
			if s.View().State == flow.FormPage && s.View().Page == page {
				check(fmt.Sprintf("%s form page %d with errors", it.Code, page+1))
			}
			v := s.View()
			for _, f := range v.Fields {
				if v.Prefilled[f.ID] {
					continue
				}
				s.SetAnswer(f.ID, sampleAnswer(f, places))
			}
			check(fmt.Sprintf("%s form page %d filled", it.Code, page+1))
			if hasFamily(v.Fields) {
				u.mu.Lock()
				u.member, u.field = 1, ""
				u.mu.Unlock()
				check(fmt.Sprintf("%s form page %d household member", it.Code, page+1))
				u.mu.Lock()
				u.member = 0
				u.mu.Unlock()
			}
			s.Next()
		}
		if s.View().State == flow.Review {
			check(string(it.Code) + " review")
		}
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
		// Every part a household list may ask; parts not asked are not kept.
		return `[{"name":"测试乙","relation":"spouse","id_number":"310101198806122340","sex":"female","hukou":"shanghai","employment":"employed","income":"3000","disability":"none"}]`
	}
	return "测试"
}

func hasFamily(fs []kiosk.Field) bool {
	for _, f := range fs {
		if f.Type == kiosk.FieldFamily {
			return true
		}
	}
	return false
}
