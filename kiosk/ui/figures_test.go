package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
)

// figureBrowser is the catalog's browser with dated figures of its own
// (a hand-written FigureSource): what the catalog's Figures would give.
type figureBrowser struct {
	Browser
	figs []kiosk.ShownFigure
	on   time.Time // the day asked for
}

func (b *figureBrowser) Figures(_ kiosk.Item, on time.Time) []kiosk.ShownFigure {
	b.on = on
	return b.figs
}

// TestItemScreenShowsFigureWithDateAndSource: the item screen shows a
// money figure with its effective date and source beside it, asks for the
// figures of today (the session's clock), and shows no figure, nor its
// heading, when none can be dated.
func TestItemScreenShowsFigureWithDateAndSource(t *testing.T) {
	allowance := func(k *testKiosk) kiosk.Item {
		it, ok := k.cat.Item("senior-allowance")
		if !ok {
			t.Fatal("no senior-allowance item")
		}
		it.Figures = []kiosk.ItemFigure{{Param: "senior_allowance", Label: kiosk.Text{ZH: "津贴标准", EN: "Allowance"}}}
		return it
	}
	dated := []kiosk.ShownFigure{{Label: kiosk.Text{ZH: "津贴标准", EN: "Allowance"}, Unit: "CNY/month", Key: "age",
		Tiers: []kiosk.FigureTier{{Min: 65, Value: 75}, {Min: 70, Value: 150}},
		From:  time.Date(2016, 4, 1, 0, 0, 0, 0, time.UTC), Source: "测试来源"}}
	for _, tc := range []struct {
		name  string
		figs  []kiosk.ShownFigure
		want  []string
		never []string
	}{
		{"dated", dated, []string{"标准", "65周岁起每月75元", "70周岁起每月150元", "2016年4月1日起执行", "来源：测试来源"}, nil},
		{"none can be dated", nil, nil, []string{"每月75元", "起执行", "来源："}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := newTestKiosk(t, fyne.NewSize(1920, 1080))
			it := allowance(k)
			k = newTestKiosk(t, fyne.NewSize(1920, 1080), it)
			fb := &figureBrowser{Browser: k.u.opt.Browser, figs: tc.figs}
			k.u.opt.Browser = fb
			k.identify(t)
			k.s.SelectItem(it.Code)
			waitScreen(t, k.u, flow.ItemDetail)
			k.u.Redraw()
			page := strings.ReplaceAll(k.texts(), "|", "")
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("the item screen lacks %q: %s", w, k.texts())
				}
			}
			for _, w := range tc.never {
				if strings.Contains(page, w) {
					t.Errorf("the item screen shows %q with no figure to date: %s", w, k.texts())
				}
			}
			if want := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC); fb.on.Year() != want.Year() || fb.on.YearDay() != want.YearDay() {
				t.Errorf("figures asked for %v, want the session's today %v", fb.on, want)
			}
		})
	}
}

// TestItemScreenShowsLegalBasisWithDate: the item screen names the rule an
// item rests on with the day it took effect (marriage registration under
// decree 804 since 2025-05-10), and says nothing of a basis the catalog
// still marks inferred.
func TestItemScreenShowsLegalBasisWithDate(t *testing.T) {
	for _, tc := range []struct {
		code  kiosk.ItemCode
		shown bool
	}{{"marriage-appointment", true}, {"unemployment-registration", false}} {
		k := newTestKiosk(t, fyne.NewSize(1080, 1920))
		k.identify(t)
		k.s.SelectItem(tc.code)
		waitScreen(t, k.u, flow.ItemDetail)
		k.u.Redraw()
		var seen string
		for range 6 { // every page of the item's text
			seen += strings.ReplaceAll(k.texts(), "|", "")
			if !k.canTap(k.u.t("common.next_page")) {
				break
			}
			k.tap(t, k.u.t("common.next_page"))
		}
		has := strings.Contains(seen, "办理依据") && strings.Contains(seen, "2025年5月10日起施行") && strings.Contains(seen, "国务院令第804号")
		if tc.code == "unemployment-registration" {
			has = strings.Contains(seen, "办理依据")
		}
		if has != tc.shown {
			t.Errorf("%s: legal basis shown = %v, want %v: %s", tc.code, has, tc.shown, seen)
		}
	}
}
