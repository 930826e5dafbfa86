package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/ui/internal/golden"
)

// TestBundleScreensInBothLanguages: a 一件事 bundle's item screen lists
// the items its one form applies for; its form pages ask a field the parts
// share once; its review says the application goes out in parts and
// names them; in Chinese and English, on landscape and portrait panels,
// nothing leaves the panel. The submission carries a part per item.
func TestBundleScreensInBothLanguages(t *testing.T) {
	for _, tc := range []struct {
		lang     kiosk.Lang
		portrait bool
	}{{kiosk.LangZH, false}, {kiosk.LangEN, false}, {kiosk.LangEN, true}} {
		size, orient := fyne.NewSize(1920, 1080), "landscape"
		if tc.portrait {
			size, orient = fyne.NewSize(1080, 1920), "portrait"
		}
		t.Run(string(tc.lang)+"-"+orient, func(t *testing.T) {
			k := newTestKiosk(t, size)
			u := k.u
			k.s.SetLanguage(tc.lang)
			k.identify(t)
			k.s.SelectItem("yjs-newborn")
			waitScreen(t, u, flow.ItemDetail)
			u.Redraw()
			it := k.s.View().Item
			if it == nil || len(it.Parts) != 3 {
				t.Fatalf("item screen of %v", it)
			}
			waitForText(t, u, k.w, u.t("item.bundle_parts"))
			for _, p := range it.Parts {
				if !strings.Contains(k.texts(), u.tr(p.Name)) {
					t.Errorf("the item screen does not name part %s: %s", p.Item, k.texts())
				}
			}
			if bad := offPanel(u, k.w, size); len(bad) > 0 {
				t.Errorf("item screen: %v", bad)
			}
			k.tap(t, u.t("item.apply"))
			waitScreen(t, u, flow.FormPage)
			seen := map[string]int{}
			for page := 0; k.s.View().State == flow.FormPage; page++ {
				if page > 10 {
					t.Fatalf("the form never ends")
				}
				u.Redraw()
				if bad := offPanel(u, k.w, size); len(bad) > 0 {
					t.Errorf("form page %d: %v", page+1, bad)
				}
				if page == 1 && !tc.portrait {
					golden.Assert(t, "screens/"+string(tc.lang)+"-bundle-form", k.w.Canvas().Capture(), *update)
				}
				v := k.s.View()
				for _, f := range v.Fields {
					seen[f.ID]++
					if v.Prefilled[f.ID] {
						continue
					}
					a := sampleAnswer(f, k.places)
					switch f.ID {
					case "child_id_number":
						a = "310104202501010020"
					case "child_birth_cert":
						a = "Q310000001"
					case "child_birth_date":
						a = "2025-01-01"
					case "bank_account", "bank_account_confirm":
						a = "6222020000001"
					}
					k.s.SetAnswer(f.ID, a)
				}
				k.s.Next()
				if w := k.s.View(); w.State == flow.FormPage && w.Page == v.Page {
					t.Fatalf("page %d refused: %v", v.Page+1, w.FieldErrors)
				}
			}
			for id, n := range seen {
				if n != 1 {
					t.Errorf("%s asked %d times", id, n)
				}
			}
			waitScreen(t, u, flow.Review)
			u.Redraw()
			texts := strings.ReplaceAll(k.texts(), "|", " ")
			if head := strings.Fields(u.t("review.bundle_parts"))[0]; !strings.Contains(texts, head) {
				t.Errorf("the review does not say it goes out in parts: %s", texts)
			}
			for i, p := range it.Parts {
				if !strings.Contains(k.texts(), fmt.Sprintf("%d. ", i+1)) || !strings.Contains(texts, strings.Fields(u.tr(p.Name))[0]) {
					t.Errorf("the review does not name part %d", i+1)
				}
			}
			if bad := offPanel(u, k.w, size); len(bad) > 0 {
				t.Errorf("review: %v", bad)
			}
			if !tc.portrait {
				golden.Assert(t, "screens/"+string(tc.lang)+"-bundle-review", k.w.Canvas().Capture(), *update)
			}
			k.s.SetConsent(true)
			k.s.Confirm()
			waitScreen(t, u, flow.Sign)
			k.s.Signed([]byte("png"))
			waitScreen(t, u, flow.Done)
			subs := k.queue.Submissions()
			if len(subs) != 1 || len(subs[0].Parts) != 3 || subs[0].Item != "yjs-newborn" {
				t.Fatalf("queued %+v", subs)
			}
		})
	}
}
