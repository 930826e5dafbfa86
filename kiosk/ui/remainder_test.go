package ui

import (
	"fmt"
	"image/color"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/ui/keyboard"
)

// fillToReview answers every page of item code's form with sample answers
// (session calls: the tests tap what comes after).
func (k *testKiosk) fillToReview(t *testing.T, code kiosk.ItemCode) {
	t.Helper()
	k.identify(t)
	k.s.SelectItem(code)
	k.s.Apply()
	for range 10 {
		v := k.s.View()
		if v.State != flow.FormPage {
			break
		}
		for _, f := range v.Fields {
			if !v.Prefilled[f.ID] {
				k.s.SetAnswer(f.ID, sampleAnswer(f, k.places))
			}
		}
		k.s.Next()
	}
	waitScreen(t, k.u, flow.Review)
}

// TestThirteenDigitPhoneRefused: thirteen digits typed on the phone keypad
// (86 before a mobile number, or two digits too many) are refused with
// plain words under the field, and the page stays.
func TestThirteenDigitPhoneRefused(t *testing.T) {
	for _, typed := range []string{"8613800138000", "1380013800099"} {
		k := newTestKiosk(t, fyne.NewSize(1920, 1080))
		u := k.u
		k.identify(t)
		k.s.SelectItem("senior-allowance")
		k.tap(t, u.t("item.apply"))
		waitScreen(t, u, flow.FormPage)
		k.tap(t, u.t("common.next")) // the card's page
		waitScreen(t, u, flow.FormPage)
		page := k.s.View().Page
		k.tapPaging(t, "field:phone")
		tapKeys(t, u, k.w, typed)
		k.tap(t, u.t("common.next"))
		if v := k.s.View(); v.State != flow.FormPage || v.Page != page {
			t.Fatalf("%s: a 13-digit phone number was accepted (now on %v page %d)", typed, v.State, v.Page)
		}
		texts := k.texts()
		if !strings.Contains(texts, "11") {
			t.Errorf("%s: no plain words saying a mobile has 11 digits: %s", typed, texts)
		}
		// A mistake, then the fix: the page goes on with 11 digits.
		for range len(typed) {
			tapKey(t, u, k.w, keyboard.KeyBackspace)
		}
		k.tapPaging(t, "field:phone")
		tapKeys(t, u, k.w, "13800138000")
		k.tap(t, u.t("common.next"))
		if e, bad := k.s.View().FieldErrors["phone"]; bad {
			t.Errorf("%s: 11 digits refused after the fix: %v", typed, e)
		}
	}
}

// TestChangeReturnsToReview: 修改 on the review opens the page of that
// answer, and its 下一步 returns straight to the review, not through every
// later page; twice in a row.
func TestChangeReturnsToReview(t *testing.T) {
	k := newTestKiosk(t, fyne.NewSize(1920, 1080))
	u := k.u
	k.fillToReview(t, "senior-allowance")
	pages := k.s.View().Pages
	if pages < 2 {
		t.Fatalf("the item has %d form pages; the test needs more", pages)
	}
	for round := range 2 {
		k.tapPaging(t, u.t("review.change"))
		waitScreen(t, u, flow.FormPage)
		if p := k.s.View().Page; p+1 >= pages {
			t.Fatalf("修改 opened the last page %d; the test needs an earlier one", p)
		}
		k.tap(t, u.t("common.next"))
		waitScreen(t, u, flow.Review)
		if st := k.s.View().State; st != flow.Review {
			t.Fatalf("round %d: 下一步 after 修改 went to %v, not back to the review", round, st)
		}
	}
	// 返回 then 下一步 from the review's last page is the ordinary walk.
	k.tap(t, u.t("common.back"))
	waitScreen(t, u, flow.FormPage)
	k.tap(t, u.t("common.next"))
	waitScreen(t, u, flow.Review)
}

// TestIdentifyAlternatives: the identify screen draws where the card goes
// and where a code is scanned; 扫随申码 points at the scanner, 不带证件
// lists what needs no card (a number for the counter, the progress query)
// and 我带了证件 comes back, where a card is still read. On every panel and
// mode, nothing leaves the panel.
func TestIdentifyAlternatives(t *testing.T) {
	for _, tc := range []struct {
		lang     kiosk.Lang
		elderly  bool
		portrait bool
	}{{kiosk.LangZH, false, false}, {kiosk.LangEN, false, true}, {kiosk.LangZH, true, false}, {kiosk.LangEN, true, true}} {
		size := fyne.NewSize(1920, 1080)
		if tc.portrait {
			size = fyne.NewSize(1080, 1920)
		}
		k := newTestKiosk(t, size)
		u := k.u
		k.s.SetLanguage(tc.lang)
		k.s.SetElderly(tc.elderly)
		k.tap(t, u.t("attract.start"))
		waitScreen(t, u, flow.Identify)
		name := func(s string) string { return string(tc.lang) + "/" + s }
		for _, want := range []string{u.t("identify.card_label"), u.t("identify.scanner_label"), u.t("identify.place_card")} {
			if !onScreen(u, k.w, want) {
				t.Errorf("%s: %q not on the identify screen: %s", name("identify"), want, k.texts())
			}
		}
		if bad := offPanel(u, k.w, size); len(bad) > 0 {
			t.Errorf("%s elderly=%v portrait=%v: %v", name("identify"), tc.elderly, tc.portrait, bad)
		}
		k.tap(t, u.t("identify.scan_code"))
		if !onScreen(u, k.w, u.t("identify.scan_code_hint")) {
			t.Errorf("%s: 扫随申码 does not say where to scan: %s", name("scan"), k.texts())
		}
		k.tap(t, u.t("identify.no_card_button"))
		if !onScreen(u, k.w, u.t("identify.no_card_title")) || !k.canTap(u.t("item.ticket")) || !k.canTap(u.t("query.title")) {
			t.Errorf("%s: 不带证件 does not list what needs no card: %s", name("no card"), k.texts())
		}
		if bad := offPanel(u, k.w, size); len(bad) > 0 {
			t.Errorf("%s elderly=%v portrait=%v: %v", name("no card"), tc.elderly, tc.portrait, bad)
		}
		k.tap(t, u.t("identify.have_card"))
		k.reader.Cards <- kiosktest.CardResult{ID: kiosktest.Elder()}
		waitScreen(t, u, flow.Browse)
		// A second visit: 不带证件 then 查询办理进度.
		k.tap(t, u.t("common.finish"))
		waitScreen(t, u, flow.Attract)
		k.tap(t, u.t("attract.start"))
		waitScreen(t, u, flow.Identify)
		if onScreen(u, k.w, u.t("identify.scan_code_hint")) {
			t.Errorf("%s: the scan hint outlived the visit", name("identify"))
		}
		k.tap(t, u.t("identify.no_card_button"))
		k.tap(t, u.t("query.title"))
		waitScreen(t, u, flow.Query)
	}
}

// tileNames is the names the tiles on screen draw, each as its lines
// joined, with whether a line was cut ("…").
func tileNames(k *testKiosk) (names []string, cut []string) {
	k.u.mu.Lock()
	defer k.u.mu.Unlock()
	walkPlaced(k.w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, _ fyne.Position) {
		tl, ok := o.(*tile)
		if !ok {
			return
		}
		var lines []string
		for _, x := range test.WidgetRenderer(tl).Objects()[2:] { // bg, summary, then the name's lines
			if tx, ok := x.(*canvas.Text); ok && tx.Text != "" {
				lines = append(lines, tx.Text)
			}
		}
		sep := ""
		if tl.name != "" && tl.name[0] < 0x80 {
			sep = " "
		}
		got := strings.Join(lines, sep)
		names = append(names, got)
		nospace := func(s string) string { return strings.ReplaceAll(s, " ", "") }
		if nospace(got) != nospace(tl.name) || strings.Contains(got, "…") {
			cut = append(cut, tl.name+" → "+got)
		}
	})
	return names, cut
}

// TestTileNamesWrapNeverCut: every item name and department name on the
// browse tiles is shown whole, wrapped over lines, in both languages, both
// modes and both orientations, on every page; the page still holds UX.md's
// count where the panel allows, and nothing leaves the panel.
func TestTileNamesWrapNeverCut(t *testing.T) {
	for _, tc := range []struct {
		lang              kiosk.Lang
		elderly, portrait bool
	}{
		{kiosk.LangZH, false, true}, {kiosk.LangEN, false, true}, {kiosk.LangZH, true, true}, {kiosk.LangEN, true, true},
		{kiosk.LangZH, false, false}, {kiosk.LangEN, false, false}, {kiosk.LangEN, true, false},
	} {
		size := fyne.NewSize(1920, 1080)
		if tc.portrait {
			size = fyne.NewSize(1080, 1920)
		}
		k := newTestKiosk(t, size)
		k.s.SetLanguage(tc.lang)
		k.s.SetElderly(tc.elderly)
		k.identify(t)
		what := func(tab string) string {
			return string(tc.lang) + map[bool]string{true: " elderly", false: ""}[tc.elderly] + map[bool]string{true: " portrait", false: " landscape"}[tc.portrait] + " " + tab
		}
		for _, tab := range []string{"browse.tab_popular", "browse.tab_department"} {
			k.tap(t, k.u.t(tab))
			seen := map[string]bool{}
			for range 20 { // every page
				names, cut := tileNames(k)
				for _, c := range cut {
					t.Errorf("%s: a name is cut: %s", what(tab), c)
				}
				if bad := offPanel(k.u, k.w, size); len(bad) > 0 {
					t.Errorf("%s: %v", what(tab), bad)
				}
				if len(names) == 0 || seen[names[0]] {
					break
				}
				seen[names[0]] = true
				if !k.canTap(k.u.t("common.next_page")) {
					break
				}
				k.tap(t, k.u.t("common.next_page"))
			}
		}
	}
}

// TestHeadingsKeepTheirSize: on a portrait panel every item's name stands
// at the top of its screen whole (never "…"), at heading size whenever two
// lines at that size hold it, and never below body size: before, a long
// name shrank to body size and was then cut.
func TestHeadingsKeepTheirSize(t *testing.T) {
	size := fyne.NewSize(1080, 1920)
	for _, tc := range []struct {
		lang    kiosk.Lang
		elderly bool
	}{{kiosk.LangZH, false}, {kiosk.LangEN, false}, {kiosk.LangZH, true}, {kiosk.LangEN, true}} {
		k := newTestKiosk(t, size)
		k.s.SetLanguage(tc.lang)
		k.s.SetElderly(tc.elderly)
		k.identify(t)
		sz := k.u.sz()
		atHeading := 0
		for _, it := range k.cat.Items() {
			k.s.SelectItem(it.Code)
			waitScreen(t, k.u, flow.ItemDetail)
			k.u.Redraw()
			name := it.Name.In(tc.lang)
			var lines []*canvas.Text
			k.u.mu.Lock()
			walkPlaced(k.w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, p fyne.Position) {
				if tx, ok := o.(*canvas.Text); ok && tx.TextStyle.Bold && p.Y < 4*sz.target && tx.Text != "" &&
					strings.Contains(name, strings.TrimSuffix(tx.Text, "…")) {
					lines = append(lines, tx)
				}
			})
			k.u.mu.Unlock()
			var joined []string
			for _, l := range lines {
				joined = append(joined, l.Text)
				if l.TextSize < sz.body {
					t.Errorf("%s elderly=%v: %q set at %.0f px, below body size %.0f", tc.lang, tc.elderly, l.Text, l.TextSize, sz.body)
				}
			}
			if got := strings.ReplaceAll(strings.Join(joined, " "), " ", ""); got != strings.ReplaceAll(name, " ", "") {
				t.Errorf("%s elderly=%v: the heading shows %q for %q", tc.lang, tc.elderly, joined, name)
			}
			if len(lines) > 0 && lines[0].TextSize == sz.heading {
				atHeading++
			} else if len(wrapLines(name, sz.heading, 0.45*size.Width, fyne.TextStyle{Bold: true})) <= 2 {
				t.Errorf("%s elderly=%v: %q shrank to %.0f px where two lines at %.0f hold it", tc.lang, tc.elderly, name, lines[0].TextSize, sz.heading)
			}
			k.s.Back()
			waitScreen(t, k.u, flow.Browse)
		}
		t.Logf("%s elderly=%v: %d of %d names at heading size", tc.lang, tc.elderly, atHeading, len(k.cat.Items()))
	}
}

// identifyWith taps 开始办理 and places card id.
func (k *testKiosk) identifyWith(t *testing.T, id kiosk.Identity) {
	t.Helper()
	k.tap(t, k.u.t("attract.start"))
	waitScreen(t, k.u, flow.Identify)
	k.reader.Cards <- kiosktest.CardResult{ID: id}
	waitScreen(t, k.u, flow.Browse)
}

// Synthetic permit and permanent-residence cards (valid check digits).
func permitHolder() kiosk.Identity {
	id := kiosktest.Elder()
	id.Card, id.Name, id.Number = kiosk.CardPermitHKMOTW, "测试丁", "810000195503080015"
	return id
}

func foreignHolder() kiosk.Identity {
	id := kiosktest.Elder()
	id.Card, id.Name, id.NameEN, id.Nation, id.Address = kiosk.CardForeignPR2023, "测试丙", "TEST PERSON", "CAN", ""
	id.Number = "933156198001020012"
	id.BirthDate = time.Date(1980, 1, 2, 0, 0, 0, 0, time.UTC)
	return id
}

// TestGreetedByTheCardsName: a foreign card holder is greeted in English
// by the (masked) Latin name the card gives, never by a Chinese name; in
// Chinese by the Chinese name when the card has one; a resident card as
// before.
func TestGreetedByTheCardsName(t *testing.T) {
	for _, tc := range []struct {
		lang      kiosk.Lang
		id        kiosk.Identity
		want, not string
	}{
		{kiosk.LangEN, foreignHolder(), kiosk.MaskName("TEST PERSON"), kiosk.MaskName("测试丙")},
		{kiosk.LangZH, foreignHolder(), kiosk.MaskName("测试丙"), kiosk.MaskName("TEST PERSON")},
		{kiosk.LangEN, kiosktest.Elder(), kiosk.MaskName("张测试"), "*"},
	} {
		k := newTestKiosk(t, fyne.NewSize(1920, 1080))
		k.s.SetLanguage(tc.lang)
		k.identifyWith(t, tc.id)
		texts := k.texts()
		if !strings.Contains(texts, tc.want) {
			t.Errorf("%s %s: not greeted as %q: %s", tc.lang, tc.id.Card, tc.want, texts)
		}
		if tc.not != "*" && strings.Contains(texts, tc.not) {
			t.Errorf("%s %s: greeted as %q: %s", tc.lang, tc.id.Card, tc.not, texts)
		}
	}
}

// TestNumberLabelledByTheDocument: a permit holder's number, read from the
// permit, is labelled by the permit on the form page and the review, and
// never called 身份证号码; a resident card keeps 身份证号码.
func TestNumberLabelledByTheDocument(t *testing.T) {
	for _, tc := range []struct {
		id        kiosk.Identity
		want, not string
	}{
		{permitHolder(), "form.id_number_permit", "身份证号码"},
		{foreignHolder(), "form.id_number_foreign_pr", "|身份证号码"},
		{kiosktest.Elder(), "", "居住证号码"},
	} {
		k := newTestKiosk(t, fyne.NewSize(1920, 1080))
		k.identifyWith(t, tc.id)
		want := "身份证号码"
		if tc.want != "" {
			want = k.u.t(tc.want)
		}
		k.s.SelectItem("senior-card")
		waitScreen(t, k.u, flow.ItemDetail)
		k.tap(t, k.u.t("item.apply"))
		waitScreen(t, k.u, flow.FormPage)
		page := "|" + k.texts()
		if !strings.Contains(page, "|"+want+"|") || strings.Contains(page, "|"+strings.TrimPrefix(tc.not, "|")+"|") {
			t.Errorf("%s: the form page does not label the number %q: %s", tc.id.Card, want, page)
		}
		if tc.id.Card != kiosk.CardResident && strings.Contains(page, k.u.t("form.from_id_card")) {
			t.Errorf("%s: the form page says the number came from a 身份证: %s", tc.id.Card, page)
		}
	}
}

// TestCardReadNotAskedFor: after a visit on the ID card, tapped through to
// the signature, the receipt never asks for the card that was read
// (还需携带：居民身份证), and still lists what the resident must bring.
func TestCardReadNotAskedFor(t *testing.T) {
	k := newTestKiosk(t, fyne.NewSize(1920, 1080))
	u := k.u
	k.fillToReview(t, "senior-card-replacement")
	k.tapPagingPrefix(t, "☐")
	k.tap(t, strings.ReplaceAll(u.t("review.next"), "\n", " "))
	waitScreen(t, u, flow.Sign)
	k.s.Signed([]byte("png"))
	waitScreen(t, u, flow.Done)
	deadline := time.Now().Add(5 * time.Second)
	for len(k.print.Printed()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	printed := k.print.Printed()
	if len(printed) != 1 {
		t.Fatalf("%d receipts printed", len(printed))
	}
	var bring []string
	for _, m := range printed[0].StillToBring {
		bring = append(bring, m.ZH)
	}
	if slices.Contains(bring, "居民身份证") {
		t.Errorf("the receipt asks for the ID card just read: 还需携带 %q", bring)
	}
	it, _ := k.cat.Item("senior-card-replacement")
	want := 0
	for _, m := range it.Materials {
		if m.Required && !m.FromLicenceLibrary && m.Name.ZH != "居民身份证" {
			want++
		}
	}
	if len(bring) != want {
		t.Errorf("the receipt lists %q; want the %d other materials to bring", bring, want)
	}
}

// toField answers item code's pages with sample answers until field id is
// on the page, and draws it.
func (k *testKiosk) toField(t *testing.T, code kiosk.ItemCode, id string) {
	t.Helper()
	k.identify(t)
	k.s.SelectItem(code)
	k.s.Apply()
	for range 10 {
		v := k.s.View()
		if hasField(v.Fields, id) {
			waitScreen(t, k.u, flow.FormPage)
			k.u.Redraw()
			return
		}
		for _, f := range v.Fields {
			if !v.Prefilled[f.ID] {
				k.s.SetAnswer(f.ID, sampleAnswer(f, k.places))
			}
		}
		k.s.Next()
	}
	t.Fatalf("%s: no page with %s", code, id)
}

// districtsOnScreen lists the district names on the buttons on screen, in
// reading order (every page of the screen's column).
func (k *testKiosk) districtsOnScreen(t *testing.T) []string {
	known := map[string]bool{}
	for _, d := range k.places.Districts() {
		known[d.Name.ZH] = true
	}
	var got []string
	seen := map[string]bool{}
	for range 8 {
		before := k.texts()
		k.u.mu.Lock()
		walkPlaced(k.w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, _ fyne.Position) {
			if l, ok := labelOf(o); ok && known[strings.TrimPrefix(l, "✓ ")] && !seen[l] {
				seen[l] = true
				got = append(got, l)
			}
		})
		k.u.mu.Unlock()
		if !k.canTap(k.u.t("common.next_page")) {
			break
		}
		k.tap(t, k.u.t("common.next_page"))
		if k.texts() == before {
			break // the last page
		}
	}
	return got
}

// TestDistrictsInOneOrder: the district choices of a form (the catalog
// writes 奉贤区 before 松江区) and the address picker list the districts in
// the same, official order, the address dictionary's.
func TestDistrictsInOneOrder(t *testing.T) {
	var official []string
	k := newTestKiosk(t, fyne.NewSize(1080, 1920))
	for _, d := range k.places.Districts() {
		official = append(official, d.Name.ZH)
	}
	k.toField(t, "residence-registration", "live_address")
	picker := k.districtsOnScreen(t)
	for _, tc := range []struct {
		code kiosk.ItemCode
		id   string
	}{{"social-security-card", "pickup_district"}, {"dibao-certificate", "pickup_centre"}} {
		k := newTestKiosk(t, fyne.NewSize(1080, 1920))
		k.toField(t, tc.code, tc.id)
		got := k.districtsOnScreen(t)
		if !slices.Equal(got, official) {
			t.Errorf("%s %s lists %q; want the official order %q", tc.code, tc.id, got, official)
		}
	}
	if !slices.Equal(picker, official) {
		t.Errorf("the address picker lists %q; want %q", picker, official)
	}
}

// TestFieldHelpShown: the catalog's help for a field stands with the field
// on its form page, in the session's language, and the page still fits.
func TestFieldHelpShown(t *testing.T) {
	for _, tc := range []struct {
		lang     kiosk.Lang
		elderly  bool
		portrait bool
	}{{kiosk.LangZH, false, false}, {kiosk.LangEN, true, true}} {
		size := fyne.NewSize(1920, 1080)
		if tc.portrait {
			size = fyne.NewSize(1080, 1920)
		}
		k := newTestKiosk(t, size)
		k.s.SetLanguage(tc.lang)
		k.s.SetElderly(tc.elderly)
		k.toField(t, "senior-allowance", "phone")
		var help string
		for _, f := range k.s.View().Fields {
			if f.ID == "phone" {
				help = f.Help.In(tc.lang)
			}
		}
		if help == "" {
			t.Fatal("the catalog has no help for senior-allowance's phone field")
		}
		found := false
		for range 4 { // the page of the column that shows the field
			if onScreen(k.u, k.w, help) {
				found = true
				break
			}
			if !k.canTap(k.u.t("common.next_page")) {
				break
			}
			k.tap(t, k.u.t("common.next_page"))
		}
		if !found {
			t.Errorf("%s: the field's help %q is not shown: %s", tc.lang, help, k.texts())
		}
		if bad := offPanel(k.u, k.w, size); len(bad) > 0 {
			t.Errorf("%s: %v", tc.lang, bad)
		}
	}
}

// placesOf is where each field's box and each key stand on screen.
func placesOf(k *testKiosk) map[string]fyne.Position {
	at := map[string]fyne.Position{}
	k.u.mu.Lock()
	defer k.u.mu.Unlock()
	walkPlaced(k.w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, p fyne.Position) {
		switch x := o.(type) {
		case *tappableStack:
			if x.name != "" {
				at["field:"+x.name] = p
			}
		case keyed:
			for _, name := range []string{"a", "n", "1", "5", keyboard.KeyBackspace} {
				if key := x.Key(name); key != nil && key.Visible() {
					at["key:"+name] = p.Add(key.Position())
				}
			}
		}
	})
	return at
}

// TestNothingJumpsWhileTyping: while a resident types, the fields and the
// keys stay where they are, key after key, on a pinyin keyboard (spelling,
// candidates appearing, a character chosen) and on the numeric pad (a
// value growing, an error appearing after 下一步 and going).
func TestNothingJumpsWhileTyping(t *testing.T) {
	for _, size := range []fyne.Size{fyne.NewSize(1920, 1080), fyne.NewSize(1080, 1920)} {
		k := newTestKiosk(t, size)
		k.toField(t, "temporary-assistance", "reason")
		k.tapPaging(t, "field:reason")
		before := placesOf(k)
		check := func(what string) {
			t.Helper()
			now := placesOf(k)
			for name, p := range before {
				if q, ok := now[name]; ok && (q.X != p.X || q.Y != p.Y) {
					t.Errorf("%v %s: %s moved from %v to %v", size, what, name, p, q)
				}
			}
		}
		for _, key := range []string{"s", "h", "e", "n", "g"} {
			tapKey(t, k.u, k.w, key)
			check("after " + key)
		}
		kb := keyboardOnScreen(k.u, k.w).(*keyboard.Pinyin)
		test.Tap(kb.Candidate(0))
		settle(k.u)
		check("after a candidate")
		tapKey(t, k.u, k.w, keyboard.KeyBackspace)
		check("after backspace")
	}
}

// TestNothingJumpsAfterAnError: after 下一步 refuses a page, the first key
// the resident types to fix it moves neither the fields nor the keys (the
// notice and the red line do not vanish from under the finger), and the
// same on a date field, whose hint becomes the date typed.
func TestNothingJumpsAfterAnError(t *testing.T) {
	for _, size := range []fyne.Size{fyne.NewSize(1920, 1080), fyne.NewSize(1080, 1920)} {
		k := newTestKiosk(t, size)
		u := k.u
		k.toField(t, "senior-allowance", "phone")
		k.tapPaging(t, "field:phone")
		tapKeys(t, u, k.w, "123")
		k.tap(t, u.t("common.next"))
		if _, bad := k.s.View().FieldErrors["phone"]; !bad {
			t.Fatalf("%v: 123 accepted as a phone number", size)
		}
		k.tapPaging(t, "field:phone")
		before := placesOf(k)
		for i, key := range []string{keyboard.KeyBackspace, "5", "1"} {
			tapKey(t, u, k.w, key)
			now := placesOf(k)
			for name, p := range before {
				if q, ok := now[name]; ok && (q.X != p.X || q.Y != p.Y) {
					t.Errorf("%v key %d (%s): %s moved from %v to %v", size, i+1, key, name, p, q)
				}
			}
		}
	}
	k := newTestKiosk(t, fyne.NewSize(1920, 1080))
	k.toField(t, "residence-registration", "move_in")
	k.tapPaging(t, "field:move_in")
	before := placesOf(k)
	for _, key := range []string{"2", "0", "2", "6", "1", "1", "0", "1"} {
		tapKey(t, k.u, k.w, key)
	}
	now := placesOf(k)
	for name, p := range before {
		if q, ok := now[name]; ok && (q.X != p.X || q.Y != p.Y) {
			t.Errorf("date: %s moved from %v to %v", name, p, q)
		}
	}
}

// TestSearchKeysStayPut: typing a search, results appearing and changing
// move no key of the keyboard, on either panel.
func TestSearchKeysStayPut(t *testing.T) {
	for _, size := range []fyne.Size{fyne.NewSize(1920, 1080), fyne.NewSize(1080, 1920)} {
		for _, lang := range []kiosk.Lang{kiosk.LangZH, kiosk.LangEN} {
			k := newTestKiosk(t, size)
			k.s.SetLanguage(lang)
			k.identify(t)
			k.tap(t, k.u.t("browse.tab_search"))
			before := placesOf(k)
			for _, key := range []string{"a", "n", "n", "a", "x"} {
				tapKey(t, k.u, k.w, key)
				now := placesOf(k)
				for name, p := range before {
					if q, ok := now[name]; ok && (q.X != p.X || q.Y != p.Y) {
						t.Errorf("%v %s after %s: %s moved from %v to %v", size, lang, key, name, p, q)
					}
				}
			}
		}
	}
}

// TestDevPanelNeverWidensTheWindow: with the developer panel (simulation)
// the window stays the panel's size, shown or hidden, and the resident's
// screen keeps the whole panel; the panel opens over the screen.
func TestDevPanelNeverWidensTheWindow(t *testing.T) {
	for _, size := range []fyne.Size{fyne.NewSize(1920, 1080), fyne.NewSize(1080, 1920)} {
		a := test.NewTempApp(t)
		w := a.NewWindow("kiosk")
		w.SetPadded(false)
		w.Resize(size)
		dev := canvas.NewRectangle(color.Black)
		dev.SetMinSize(fyne.NewSize(360, 2400)) // taller than the panel
		clock := kiosktest.NewClock(time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC))
		s := flow.New(flow.Deps{Clock: clock, Reader: kiosktest.NewReader(), Queue: &kiosktest.Queue{}, Printer: &kiosktest.Printer{},
			Catalog: oneCatalog{}, Forms: onePage{},
			Numbers: func(time.Time) (string, string, error) { return "id-1", "XH0123-20261128-0042", nil }})
		u := New(s, w, Options{CenterName: "徐汇区测试街道社区事务受理服务中心", Clock: clock, DevPanel: dev})
		waitScreen(t, u, flow.Attract)
		for _, step := range []string{"hidden", "shown", "hidden again"} {
			if step != "hidden" {
				test.Tap(u.devToggle)
				settle(u)
			}
			if got := w.Canvas().Size(); got != size {
				t.Errorf("%v, panel %s: the window is %v", size, step, got)
			}
			if got := u.root.Size(); got != size {
				t.Errorf("%v, panel %s: the resident's screen is %v", size, step, got)
			}
			if shown := u.devHolder.Visible(); shown != (step == "shown") {
				t.Errorf("%v: panel %s but visible=%v", size, step, shown)
			}
		}
	}
}

// keySizes is the size of the named keys of the keyboard on screen.
func keySizes(t *testing.T, k *testKiosk, names ...string) map[string]fyne.Size {
	t.Helper()
	kb, ok := keyboardOnScreen(k.u, k.w).(keyed)
	if !ok {
		t.Fatalf("no keyboard on screen: %s", k.texts())
	}
	out := map[string]fyne.Size{}
	for _, n := range names {
		if key := kb.Key(n); key != nil {
			out[n] = key.Size()
		}
	}
	return out
}

// TestElderlyKeysOnPortrait: in 长者模式 on a portrait panel the search's
// keyboard (pinyin and Latin) and the numeric pad have UX.md's 120 px
// keys, and the screen still fits the panel, results shown. (A form's
// letter keyboard keeps 96 px keys: see keyboardOf.)
func TestElderlyKeysOnPortrait(t *testing.T) {
	size := fyne.NewSize(1080, 1920)
	check := func(k *testKiosk, what string, names ...string) {
		t.Helper()
		for n, s := range keySizes(t, k, names...) {
			if s.Width < 120 || s.Height < 120 {
				t.Errorf("%s: key %q is %.0fx%.0f, want at least 120x120", what, n, s.Width, s.Height)
			}
		}
		if bad := offPanel(k.u, k.w, size); len(bad) > 0 {
			t.Errorf("%s: %v", what, bad)
		}
	}
	for _, lang := range []kiosk.Lang{kiosk.LangZH, kiosk.LangEN} {
		k := newTestKiosk(t, size)
		k.s.SetLanguage(lang)
		k.s.SetElderly(true)
		k.identify(t)
		k.tap(t, k.u.t("browse.tab_search"))
		check(k, string(lang)+" search", "a", "z", keyboard.KeyBackspace)
		tapKeys(t, k.u, k.w, map[kiosk.Lang]string{kiosk.LangZH: "lnzh", kiosk.LangEN: "senior"}[lang])
		check(k, string(lang)+" search with results", "a", "z", keyboard.KeyBackspace)
		if n, _ := tileNames(k); len(n) == 0 {
			t.Errorf("%s: no result shown above the keyboard: %s", lang, k.texts())
		}
		for _, bad := range squashed(k) {
			t.Errorf("%s search with results: %s", lang, bad)
		}

		k = newTestKiosk(t, size)
		k.s.SetLanguage(lang)
		k.s.SetElderly(true)
		k.toField(t, "senior-allowance", "phone")
		k.tapPaging(t, "field:phone")
		check(k, string(lang)+" phone", "1", "0", keyboard.KeyBackspace)
	}
}

// squashed lists the tiles and buttons on screen given less height than
// they need (a result squeezed between the search box and the keyboard).
func squashed(k *testKiosk) []string {
	var bad []string
	k.u.mu.Lock()
	defer k.u.mu.Unlock()
	walkPlaced(k.w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, _ fyne.Position) {
		switch x := o.(type) {
		case *tile:
			if x.Size().Height < x.MinSize().Height-1 {
				bad = append(bad, fmt.Sprintf("tile %q %.0f px high, needs %.0f", x.name, x.Size().Height, x.MinSize().Height))
			}
		case *touchButton:
			if x.Size().Height < x.MinSize().Height-1 {
				bad = append(bad, fmt.Sprintf("button %q %.0f px high, needs %.0f", x.label, x.Size().Height, x.MinSize().Height))
			}
		}
	})
	return bad
}
