package ui

import (
	"encoding/json"
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
	"github.com/tongban/tongban/kiosk/ui/internal/golden"
	"github.com/tongban/tongban/kiosk/ui/keyboard"
	"github.com/tongban/tongban/kiosk/ui/signpad"
	servicescatalog "github.com/tongban/tongban/services-catalog"
)

// kiosk is a terminal on the real catalog and form rules with simulated
// devices, for tests that tap their way through the screens.
type testKiosk struct {
	u      *Screens
	w      fyne.Window
	s      *flow.Session
	reader *kiosktest.Reader
	queue  *kiosktest.Queue
	print  *kiosktest.Printer
	cat    *catalog.Catalog
	places *form.Places
}

func newTestKiosk(t *testing.T, size fyne.Size, items ...kiosk.Item) *testKiosk {
	t.Helper()
	return newGatedKiosk(t, size, nil, items...)
}

// newGatedKiosk is newTestKiosk with a device gate on the items.
func newGatedKiosk(t *testing.T, size fyne.Size, gate func(kiosk.Item) (bool, kiosk.Text), items ...kiosk.Item) *testKiosk {
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
		Catalog: overridden{cat, items}, Forms: form.Rules{Today: clock.Now, Places: places}, Gate: gate,
		Numbers: func(time.Time) (string, string, error) { return "id-1", "XH0123-20261128-0042", nil }})
	k.u = New(k.s, w, Options{CenterName: "徐汇区测试街道社区事务受理服务中心", Browser: CatalogBrowser(cat), Places: places, Pinyin: pinyin.Suggestions, PinyinRest: pinyin.Rest, Clock: clock, Gate: gate})
	waitScreen(t, k.u, flow.Attract)
	return k
}

// overridden is the catalog with some items replaced (a variant of a real
// item, for a rule the real catalog does not have).
type overridden struct {
	cat   *catalog.Catalog
	items []kiosk.Item
}

func (o overridden) Item(code kiosk.ItemCode) (kiosk.Item, bool) {
	for _, it := range o.items {
		if it.Code == code {
			return it, true
		}
	}
	return o.cat.Item(code)
}

func (k *testKiosk) tap(t *testing.T, label string) {
	t.Helper()
	tapOn(t, k.u, k.w, label)
	settle(k.u)
}

// tapPaging taps label, turning the screen's pages (下一页) until it shows.
func (k *testKiosk) tapPaging(t *testing.T, label string) {
	t.Helper()
	for range 10 {
		found := false
		k.u.mu.Lock()
		walkPlaced(k.w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, _ fyne.Position) {
			if l, ok := labelOf(o); ok && l == label {
				found = true
			}
		})
		k.u.mu.Unlock()
		if found {
			k.tap(t, label)
			return
		}
		k.tap(t, k.u.t("common.next_page"))
	}
	t.Fatalf("%q on no page", label)
}

// tapAnyPage taps label on whichever page of the screen shows it: it
// turns back to the first page, then on.
func (k *testKiosk) tapAnyPage(t *testing.T, label string) {
	t.Helper()
	for range 10 {
		if !k.canTap(k.u.t("common.prev_page")) {
			break
		}
		k.tap(t, k.u.t("common.prev_page"))
	}
	k.tapPaging(t, label)
}

// tapPagingPrefix taps the widget whose label starts with prefix, turning
// the screen's pages until it shows.
func (k *testKiosk) tapPagingPrefix(t *testing.T, prefix string) {
	t.Helper()
	for range 10 {
		found := ""
		k.u.mu.Lock()
		walkPlaced(k.w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, _ fyne.Position) {
			if l, ok := labelOf(o); ok && strings.HasPrefix(l, prefix) && found == "" {
				found = l
			}
		})
		k.u.mu.Unlock()
		if found != "" {
			k.tap(t, found)
			return
		}
		k.tap(t, k.u.t("common.next_page"))
	}
	t.Fatalf("no %q… on any page", prefix)
}

// canTap reports whether an enabled widget labelled label is on screen.
func (k *testKiosk) canTap(label string) bool {
	found := false
	k.u.mu.Lock()
	walkPlaced(k.w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, _ fyne.Position) {
		if l, ok := labelOf(o); ok && l == label {
			found = true
		}
	})
	k.u.mu.Unlock()
	return found
}

// identify taps 开始办理 and places the simulated card.
func (k *testKiosk) identify(t *testing.T) {
	t.Helper()
	k.tap(t, k.u.t("attract.start"))
	waitScreen(t, k.u, flow.Identify)
	k.reader.Cards <- kiosktest.CardResult{ID: kiosktest.Elder()}
	waitScreen(t, k.u, flow.Browse)
}

// typeChinese spells py on the pinyin keyboard and taps the candidate c,
// turning the candidate pages until it shows.
func (k *testKiosk) typeChinese(t *testing.T, py string, c rune) {
	t.Helper()
	tapKeys(t, k.u, k.w, py)
	for range 40 {
		kb, ok := keyboardOnScreen(k.u, k.w).(*keyboard.Pinyin)
		if !ok {
			t.Fatalf("no pinyin keyboard on screen for %q", py)
		}
		for i, cand := range kb.Page() {
			if cand == string(c) {
				test.Tap(kb.Candidate(i))
				settle(k.u)
				return
			}
		}
		tapKey(t, k.u, k.w, keyboard.KeyNextPage)
	}
	t.Fatalf("%c is not among the candidates of %q", c, py)
}

// texts is everything drawn, joined by "|".
func (k *testKiosk) texts() string {
	k.u.mu.Lock()
	defer k.u.mu.Unlock()
	return strings.Join(canvasTexts(k.w.Content()), "|")
}

// TestResidentWalkByTaps is a whole visit as a resident makes it, every
// step a tap on the widget on screen: attract, identify (simulated card),
// browse and search on the pinyin keyboard, the item, every form page, the
// review and its consent, the signature, done, and back to attract.
func TestResidentWalkByTaps(t *testing.T) {
	k := newTestKiosk(t, fyne.NewSize(1920, 1080))
	u := k.u
	k.identify(t)
	k.tap(t, u.t("browse.tab_search"))
	tapKeys(t, u, k.w, "lnzhjt") // the initials of 老年综合津贴
	k.tap(t, "老年综合津贴申请")
	waitScreen(t, u, flow.ItemDetail)
	k.tap(t, u.t("item.apply"))
	waitScreen(t, u, flow.FormPage)
	taps := 4
	for page := 0; u.s.View().State == flow.FormPage; page++ {
		if page > 8 {
			t.Fatalf("still on the form after %d pages; texts: %s", page, k.texts())
		}
		v := u.s.View()
		for _, f := range v.Fields {
			if v.Prefilled[f.ID] {
				continue
			}
			switch f.Type {
			case kiosk.FieldPhone:
				k.tap(t, "field:"+f.ID)
				tapKeys(t, u, k.w, "13800138000")
				taps += 12
			case kiosk.FieldYesNo:
				k.tap(t, u.t("form.yes"))
				taps++
			case kiosk.FieldChoice:
				k.tap(t, f.Options[0].Label.ZH)
				taps++
			case kiosk.FieldConsent:
				k.tap(t, "☐*")
				taps++
			default:
				t.Fatalf("the walk does not know how to fill %s (%s)", f.ID, f.Type)
			}
		}
		k.tap(t, u.t("common.next"))
		taps++
		waitScreen(t, u, u.s.View().State)
		if w := u.s.View(); w.State == flow.FormPage && w.Page == v.Page {
			t.Fatalf("page %d refused: %v", page+1, w.FieldErrors)
		}
	}
	waitScreen(t, u, flow.Review)
	if !strings.Contains(k.texts(), "13800138000") {
		t.Errorf("the review does not show the phone number typed; texts: %s", k.texts())
	}
	k.tapPagingPrefix(t, "☐")
	k.tap(t, strings.ReplaceAll(u.t("review.next"), "\n", " "))
	waitScreen(t, u, flow.Sign)
	var pad *signpad.Pad
	u.mu.Lock()
	walkPlaced(k.w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, _ fyne.Position) {
		if p, ok := o.(*signpad.Pad); ok {
			pad = p
		}
	})
	u.mu.Unlock()
	if pad == nil {
		t.Fatal("no signature pad on the sign screen")
	}
	for i := range 40 { // a finger's stroke across the pad
		pad.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(float32(40+i*12), float32(100+(i%7)*15))}, Dragged: fyne.NewDelta(12, 5)})
	}
	pad.DragEnd()
	k.tap(t, u.t("sign.confirm"))
	taps += 4
	waitScreen(t, u, flow.Done)
	waitForText(t, u, k.w, u.t("done.accepted"))
	if !strings.Contains(k.texts(), "XH0123-20261128-0042") {
		t.Errorf("done screen without the receipt number: %s", k.texts())
	}
	subs := k.queue.Submissions()
	if len(subs) != 1 {
		t.Fatalf("%d submissions queued, want 1", len(subs))
	}
	if got := subs[0].Answers["phone"]; got != "13800138000" {
		t.Errorf("submitted phone %q, want the one typed", got)
	}
	k.tap(t, u.t("common.done"))
	waitScreen(t, u, flow.Attract)
	if strings.Contains(k.texts(), "13800138000") || strings.Contains(k.texts(), "张") {
		t.Errorf("personal data on the attract screen after the visit: %s", k.texts())
	}
	t.Logf("a visit to 老年综合津贴申请 took about %d taps", taps+9)
}

// toFamilyPage opens item code's form and fills its pages up to the
// household-member list (session calls: the editor is what is tapped).
func (k *testKiosk) toFamilyPage(t *testing.T, code kiosk.ItemCode) kiosk.Field {
	t.Helper()
	k.identify(t)
	k.s.SelectItem(code)
	k.s.Apply()
	for range 10 {
		v := k.s.View()
		if v.State != flow.FormPage {
			t.Fatalf("no household-member page in %s; on %v", code, v.State)
		}
		for _, f := range v.Fields {
			if f.Type == kiosk.FieldFamily {
				waitScreen(t, k.u, flow.FormPage)
				k.u.Redraw()
				return f
			}
		}
		for _, f := range v.Fields {
			if !v.Prefilled[f.ID] {
				k.s.SetAnswer(f.ID, sampleAnswer(f, k.places))
			}
		}
		k.s.Next()
	}
	t.Fatalf("no household-member page in %s", code)
	return kiosk.Field{}
}

// TestHouseholdMemberEditor adds, changes and removes household members by
// tapping, one member a page, and the form takes the list; 下一步 with no
// member says what to do when the item needs one.
func TestHouseholdMemberEditor(t *testing.T) {
	for _, portrait := range []bool{false, true} {
		name := "landscape"
		size := fyne.NewSize(1920, 1080)
		if portrait {
			name, size = "portrait", fyne.NewSize(1080, 1920)
		}
		t.Run(name, func(t *testing.T) {
			k := newTestKiosk(t, size)
			u := k.u
			f := k.toFamilyPage(t, "temporary-assistance")
			page := k.s.View().Page
			if !strings.Contains(k.texts(), u.t("family.add")) {
				t.Fatalf("no %q on the household page: %s", u.t("family.add"), k.texts())
			}
			k.tap(t, u.t("common.next"))
			if v := k.s.View(); v.Page != page {
				t.Fatal("an empty household list was taken where the item needs one")
			}
			waitForText(t, u, k.w, k.s.View().FieldErrors[f.ID].ZH)

			addMember := func(relation string, py []string, chars string, id string) {
				t.Helper()
				k.tap(t, u.t("family.add"))
				if !strings.Contains(k.texts(), "第 ") {
					t.Fatalf("no member page: %s", k.texts())
				}
				for i, c := range []rune(chars) {
					k.typeChinese(t, py[i], c)
				}
				k.tap(t, "field:"+memberID)
				tapKeys(t, u, k.w, id)
				k.tapAnyPage(t, relation)
				// The parts 临时救助 asks of each member.
				k.tapAnyPage(t, u.t("form.hukou_shanghai"))
				k.tapAnyPage(t, u.t("form.employment_employed"))
				k.tapAnyPage(t, "field:"+memberIncome)
				tapKeys(t, u, k.w, "3200")
				k.tapAnyPage(t, u.t("form.disability_none"))
				k.tap(t, u.t("family.done"))
			}
			addMember("配偶", []string{"ce", "shi", "yi"}, "测试乙", "310101198806122340")
			addMember("子女", []string{"ce", "shi", "bing"}, "测试丙", "11010519491231002X")
			var ms []form.Member
			if err := json.Unmarshal([]byte(k.s.View().Answers[f.ID]), &ms); err != nil || len(ms) != 2 {
				t.Fatalf("household answer %q (%v), want two members", k.s.View().Answers[f.ID], err)
			}
			if ms[0] != (form.Member{Name: "测试乙", Relation: "spouse", IDNumber: "310101198806122340", Hukou: "shanghai", Employment: "employed", Income: "3200", Disability: "none"}) || ms[1].Relation != "child" {
				t.Errorf("members %+v", ms)
			}
			texts := k.texts()
			if !strings.Contains(texts, "测试乙") || strings.Contains(texts, "310101198806122340") || !strings.Contains(texts, kiosk.MaskNumber("310101198806122340")) {
				t.Errorf("the list should name each member with the ID number masked: %s", texts)
			}
			// Change the first member's relation, then remove the second.
			tapOn(t, u, k.w, u.t("family.change"))
			settle(u)
			k.tapPaging(t, "父母")
			k.tap(t, u.t("family.done"))
			removeLast := func() {
				var last fyne.Tappable
				u.mu.Lock()
				walkPlaced(k.w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, _ fyne.Position) {
					if l, ok := labelOf(o); ok && l == u.t("family.remove") {
						last = o.(fyne.Tappable)
					}
				})
				u.mu.Unlock()
				test.Tap(last)
				settle(u)
			}
			removeLast()
			ms = nil
			_ = json.Unmarshal([]byte(k.s.View().Answers[f.ID]), &ms)
			if len(ms) != 1 || ms[0].Relation != "parent" || ms[0].Name != "测试乙" {
				t.Fatalf("after change and remove: %+v", ms)
			}
			k.tap(t, u.t("common.next"))
			if v := k.s.View(); v.State == flow.FormPage && v.Page == page {
				t.Fatalf("a household of one valid member refused: %v", v.FieldErrors)
			}
		})
	}
}

// TestHouseholdOfOne: a person living alone can apply for 临时救助: 下一步
// on an empty list says to tap 我独自生活, the tap is shown as chosen, and
// the form goes on with an empty list, which the review shows in words;
// adding a member afterwards ends the declaration.
func TestHouseholdOfOne(t *testing.T) {
	k := newTestKiosk(t, fyne.NewSize(1920, 1080))
	u := k.u
	f := k.toFamilyPage(t, "temporary-assistance")
	page := k.s.View().Page
	waitForText(t, u, k.w, u.t("family.none_yet_alone"))
	k.tap(t, u.t("common.next"))
	if v := k.s.View(); v.Page != page || !strings.Contains(v.FieldErrors[f.ID].ZH+u.tr(v.FieldErrors[f.ID]), u.t("family.alone")) {
		t.Fatalf("an unanswered household list taken, or the refusal does not name 我独自生活: %v", v.FieldErrors)
	}
	k.tap(t, u.t("family.alone"))
	waitForText(t, u, k.w, "✓  "+u.t("family.alone_chosen"))
	if k.canTap(u.t("family.alone")) {
		t.Error("我独自生活 still offered once chosen")
	}
	golden.Assert(t, "screens/zh-household-alone", k.w.Canvas().Capture(), *update)
	// A member added, then removed: the list is empty but not declared.
	k.tap(t, u.t("family.add"))
	k.tap(t, u.t("family.remove"))
	if got := k.s.View().Answers[f.ID]; got != "" {
		t.Fatalf("after adding and removing a member the answer is %q, want none", got)
	}
	k.tap(t, u.t("family.alone"))
	k.tap(t, u.t("common.next"))
	if v := k.s.View(); v.State == flow.FormPage && v.Page == page {
		t.Fatalf("a household of one refused: %v", v.FieldErrors)
	}
	if got := k.s.View().Answers[f.ID]; got != "[]" {
		t.Errorf("a household of one is answered %q, want []", got)
	}
}

// TestEachFieldItsOwnKeyboard: a field's keyboard follows from its kind,
// whatever was typed before in the session: the search and Chinese text
// get pinyin, before and after each other, and an address's detail line
// gets pinyin with digits, so 100弄5号301室 can be typed.
func TestEachFieldItsOwnKeyboard(t *testing.T) {
	k := newTestKiosk(t, fyne.NewSize(1920, 1080))
	u := k.u
	wantPinyin := func(what string) *keyboard.Pinyin {
		t.Helper()
		kb, ok := keyboardOnScreen(u, k.w).(*keyboard.Pinyin)
		if !ok {
			t.Fatalf("%s: keyboard %T, want pinyin", what, keyboardOnScreen(u, k.w))
		}
		return kb
	}
	k.identify(t)
	k.tap(t, u.t("browse.tab_search"))
	wantPinyin("the search")
	tapKeys(t, u, k.w, "ljt")
	if !onScreen(u, k.w, "ljt") {
		t.Errorf("the letters typed are not in the search box: %s", k.texts())
	}

	// A Chinese text field after the search.
	k.s.SelectItem("temporary-assistance")
	k.s.Apply()
	for range 6 {
		v := k.s.View()
		if _, ok := v.Answers["reason"]; ok || hasField(v.Fields, "reason") {
			break
		}
		for _, f := range v.Fields {
			switch {
			case v.Prefilled[f.ID]:
			case f.Type == kiosk.FieldFamily:
				k.s.SetAnswer(f.ID, sampleAnswer(f, k.places))
			default:
				k.s.SetAnswer(f.ID, sampleAnswer(f, k.places))
			}
		}
		k.s.Next()
	}
	waitScreen(t, u, flow.FormPage)
	u.Redraw()
	wantPinyin("a Chinese text field after the search")
	k.typeChinese(t, "kun", '困')
	if got := k.s.View().Answers["reason"]; got != "困" {
		t.Errorf("typed %q into the text field, want 困", got)
	}

	// The search again, after the text field.
	for k.s.View().State != flow.Browse {
		k.s.Back()
	}
	waitScreen(t, u, flow.Browse)
	k.tap(t, u.t("browse.tab_search"))
	wantPinyin("the search after a text field")
	tapKeys(t, u, k.w, "lao")
	if !onScreen(u, k.w, "lao") {
		t.Errorf("the search box stays empty after a text field: %s", k.texts())
	}

	// 门牌号: an address's detail line, typed with digits and characters.
	k.s.SelectItem("senior-allowance")
	k.s.Apply()
	waitScreen(t, u, flow.FormPage)
	for range 6 {
		if hasField(k.s.View().Fields, "live_address") {
			break
		}
		v := k.s.View()
		for _, f := range v.Fields {
			if !v.Prefilled[f.ID] {
				k.s.SetAnswer(f.ID, sampleAnswer(f, k.places))
			}
		}
		k.s.SetAnswer("same_address", "no")
		k.s.Next()
	}
	waitScreen(t, u, flow.FormPage)
	u.Redraw()
	k.tapPaging(t, "徐汇区")
	k.tapPaging(t, k.places.Streets("徐汇区")[0])
	k.tap(t, "field:live_address")
	kb := wantPinyin("an address's detail line")
	if kb.Key(keyboard.KeyDigits) == nil {
		t.Fatal("the address keyboard has no digits")
	}
	tapKeys(t, u, k.w, "{digits}100{digits}")
	k.typeChinese(t, "nong", '弄')
	tapKeys(t, u, k.w, "{digits}5{digits}")
	k.typeChinese(t, "hao", '号')
	tapKeys(t, u, k.w, "{digits}301{digits}")
	k.typeChinese(t, "shi", '室')
	var a form.Address
	_ = json.Unmarshal([]byte(k.s.View().Answers["live_address"]), &a)
	if a.Detail != "100弄5号301室" {
		t.Errorf("address detail %q, want 100弄5号301室", a.Detail)
	}
}

func hasField(fs []kiosk.Field, id string) bool {
	for _, f := range fs {
		if f.ID == id {
			return true
		}
	}
	return false
}

// TestPlainWordsOnTheReview: a value read from the card shows in the
// session's language (男, never male, on a Chinese screen), and no ID
// number, the resident's or a household member's, shows whole on the
// review, where the hall can read it.
func TestPlainWordsOnTheReview(t *testing.T) {
	k := newTestKiosk(t, fyne.NewSize(1920, 1080))
	const spouse = "310101198806122340"
	k.toFamilyPage(t, "temporary-assistance")
	k.s.SetAnswer("members", `[{"name":"测试乙","relation":"spouse","id_number":"`+spouse+`","hukou":"shanghai","employment":"employed","income":"3000","disability":"none"}]`)
	k.s.Next()
	for range 8 {
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
	var texts []string
	for range 10 { // every page of the review
		texts = append(texts, k.texts())
		if !k.canTap(k.u.t("common.next_page")) {
			break
		}
		before := k.texts()
		k.tap(t, k.u.t("common.next_page"))
		if k.texts() == before {
			break // the last page
		}
	}
	all := strings.Join(texts, "|")
	if strings.Contains(all, spouse) {
		t.Errorf("the spouse's ID number is shown whole on the review")
	}
	if !strings.Contains(all, kiosk.MaskNumber(spouse)) || !strings.Contains(all, "测试乙") {
		t.Errorf("the review does not name the household member: %s", all)
	}

	k2 := newTestKiosk(t, fyne.NewSize(1920, 1080))
	k2.identify(t)
	k2.s.SelectItem("senior-allowance")
	k2.s.Apply()
	waitScreen(t, k2.u, flow.FormPage)
	k2.u.Redraw()
	texts2 := k2.texts()
	for _, en := range []string{"male", "female"} {
		if strings.Contains("|"+texts2+"|", "|"+en+"|") {
			t.Errorf("%q on a Chinese form page: %s", en, texts2)
		}
	}
	if !strings.Contains(texts2, "男") && !strings.Contains(texts2, "女") {
		t.Errorf("the sex read from the card is not shown in Chinese: %s", texts2)
	}
}

// TestDateTypedWithAHint: a date field says how to type it, and eight
// digits typed on the keypad read as a date, on the form and the review.
func TestDateTypedWithAHint(t *testing.T) {
	k := newTestKiosk(t, fyne.NewSize(1920, 1080))
	k.identify(t)
	k.s.SelectItem("residence-registration")
	k.s.Apply()
	for range 6 {
		v := k.s.View()
		if hasField(v.Fields, "move_in") {
			break
		}
		for _, f := range v.Fields {
			if !v.Prefilled[f.ID] {
				k.s.SetAnswer(f.ID, sampleAnswer(f, k.places))
			}
		}
		k.s.Next()
	}
	if !hasField(k.s.View().Fields, "move_in") {
		t.Fatalf("no move-in date page; on %v", k.s.View().State)
	}
	waitScreen(t, k.u, flow.FormPage)
	k.u.Redraw()
	k.tapPaging(t, "field:move_in")
	waitForText(t, k.u, k.w, k.u.t("form.date_hint"))
	tapKeys(t, k.u, k.w, "20261101")
	waitForText(t, k.u, k.w, "2026年11月1日")
	if got := k.s.View().Answers["move_in"]; got != "20261101" {
		t.Errorf("the answer is %q, want the digits typed", got)
	}
}

// tapLast taps the last widget labelled label in drawing order: the one on
// top (an overlay's button over the screen's).
func (k *testKiosk) tapLast(t *testing.T, label string) {
	t.Helper()
	var last fyne.Tappable
	k.u.mu.Lock()
	walkPlaced(k.w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, _ fyne.Position) {
		if l, ok := labelOf(o); ok && l == label {
			last = o.(fyne.Tappable)
		}
	})
	k.u.mu.Unlock()
	if last == nil {
		t.Fatalf("no %q on screen", label)
	}
	test.Tap(last)
	settle(k.u)
}

// TestEndAsksWhenHalfFilled: 结束办理 on a form with nothing typed ends at
// once; with answers typed it asks, 继续填写 keeps them, and confirming ends
// the visit.
func TestEndAsksWhenHalfFilled(t *testing.T) {
	k := newTestKiosk(t, fyne.NewSize(1920, 1080))
	u := k.u
	open := func() {
		t.Helper()
		k.identify(t)
		k.s.SelectItem("senior-allowance")
		k.tap(t, u.t("item.apply"))
		waitScreen(t, u, flow.FormPage)
	}
	open()
	k.tap(t, u.t("common.finish"))
	waitScreen(t, u, flow.Attract)

	open()
	k.tap(t, u.t("common.next")) // the first page holds what the card gave
	waitScreen(t, u, flow.FormPage)
	k.tapPaging(t, "field:phone")
	tapKeys(t, u, k.w, "138")
	k.tap(t, u.t("common.finish"))
	if k.s.View().State != flow.FormPage {
		t.Fatal("结束办理 dropped a half-filled form without asking")
	}
	waitForText(t, u, k.w, u.t("form.end_no"))
	k.tapLast(t, u.t("form.end_no"))
	if v := k.s.View(); v.State != flow.FormPage || v.Answers["phone"] != "138" {
		t.Fatalf("继续填写 lost the form: %v %q", v.State, v.Answers["phone"])
	}
	if strings.Contains(k.texts(), u.t("form.end_question")) {
		t.Error("the question stays after 继续填写")
	}
	k.tap(t, u.t("common.finish"))
	k.tapLast(t, u.t("form.end_yes"))
	waitScreen(t, u, flow.Attract)
}

// TestElderlySixItemsAPage: 长者模式 shows UX.md's 6 items a browse page
// (normal mode: 12 in landscape), in English on a landscape panel too.
func TestElderlySixItemsAPage(t *testing.T) {
	for _, tc := range []struct {
		lang     kiosk.Lang
		elderly  bool
		portrait bool
		want     int
	}{
		{kiosk.LangZH, true, false, 6}, {kiosk.LangEN, true, false, 6}, {kiosk.LangZH, true, true, 6}, {kiosk.LangEN, true, true, 6},
		{kiosk.LangZH, false, false, 12},
	} {
		size := fyne.NewSize(1920, 1080)
		if tc.portrait {
			size = fyne.NewSize(1080, 1920)
		}
		k := newTestKiosk(t, size)
		k.s.SetLanguage(tc.lang)
		k.s.SetElderly(tc.elderly)
		k.identify(t)
		tiles := 0
		k.u.mu.Lock()
		walkPlaced(k.w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, _ fyne.Position) {
			if _, ok := o.(*tile); ok {
				tiles++
			}
		})
		k.u.mu.Unlock()
		if tiles != tc.want {
			t.Errorf("%s elderly=%v portrait=%v: %d items a page, want %d", tc.lang, tc.elderly, tc.portrait, tiles, tc.want)
		}
		if bad := offPanel(k.u, k.w, size); len(bad) > 0 {
			t.Errorf("%s elderly=%v portrait=%v: %v", tc.lang, tc.elderly, tc.portrait, bad)
		}
	}
}

// TestGreyedItemSaysWhyAndWhere: an item the devices cannot serve is
// greyed with a short line that fits its tile (no "…"), and its screen
// gives the whole reason and where to go, 12345 included.
func TestGreyedItemSaysWhyAndWhere(t *testing.T) {
	why := kiosk.Text{ZH: "打印机缺纸，暂不能打印回执，暂不能办理此事项", EN: "The printer is out of paper, so this cannot be done here now"}
	gate := func(it kiosk.Item) (bool, kiosk.Text) { return it.Code != "senior-allowance", why }
	for _, lang := range []kiosk.Lang{kiosk.LangZH, kiosk.LangEN} {
		k := newGatedKiosk(t, fyne.NewSize(1080, 1920), func(it kiosk.Item) (bool, kiosk.Text) {
			if ok, w := gate(it); !ok {
				return false, w
			}
			return true, kiosk.Text{}
		})
		k.s.SetLanguage(lang)
		k.identify(t)
		k.tap(t, k.u.t("browse.tab_search"))
		tapKeys(t, k.u, k.w, "lnzhjt")
		texts := k.texts()
		if !strings.Contains(texts, k.u.t("browse.unavailable")) {
			t.Fatalf("%s: the greyed tile does not say it is unavailable: %s", lang, texts)
		}
		for _, x := range strings.Split(texts, "|") {
			if strings.HasSuffix(x, "…") && strings.Contains(k.u.t("browse.unavailable"), strings.TrimSuffix(x, "…")) {
				t.Errorf("%s: the reason is cut: %q", lang, x)
			}
		}
		k.tap(t, map[kiosk.Lang]string{kiosk.LangZH: "老年综合津贴申请", kiosk.LangEN: "Senior card and allowance"}[lang])
		waitScreen(t, k.u, flow.ItemDetail)
		waitForText(t, k.u, k.w, "12345")
		if !onScreen(k.u, k.w, why.In(lang)) {
			t.Errorf("%s: the item screen does not give the reason: %s", lang, k.texts())
		}
	}
}

// The card's address shows where it is read from the card and on the
// review, once and whole: before, the field said 已从身份证读取 with an
// empty value, the review said （未填写） and the application went empty.
func TestCardAddressShownAndReviewed(t *testing.T) {
	k := newTestKiosk(t, fyne.NewSize(1920, 1080))
	addr := kiosktest.Elder().Address
	k.identify(t)
	k.s.SelectItem("senior-card")
	k.s.Apply()
	waitScreen(t, k.u, flow.FormPage)
	seen := false
	for range 8 {
		v := k.s.View()
		if v.State != flow.FormPage {
			break
		}
		k.u.Redraw()
		for _, f := range v.Fields {
			if f.ID == "id_address" {
				seen = true
				if !strings.Contains("|"+k.texts()+"|", "|"+addr+"|") {
					t.Errorf("the card's address %q is not shown as it is on its form page: %s", addr, k.texts())
				}
			}
			if !v.Prefilled[f.ID] {
				k.s.SetAnswer(f.ID, sampleAnswer(f, k.places))
			}
		}
		k.s.Next()
	}
	if !seen {
		t.Fatal("the card's address field was never on a page")
	}
	waitScreen(t, k.u, flow.Review)
	if !strings.Contains(k.s.View().Answers["id_address"], "测试路1号") {
		t.Errorf("the application carries no card address: %q", k.s.View().Answers["id_address"])
	}
	var texts []string
	for range 10 {
		texts = append(texts, k.texts())
		if !k.canTap(k.u.t("common.next_page")) {
			break
		}
		before := k.texts()
		k.tap(t, k.u.t("common.next_page"))
		if k.texts() == before {
			break
		}
	}
	if all := strings.Join(texts, "|"); !strings.Contains(all, addr) {
		t.Errorf("the review does not show the card's address: %s", all)
	}
}

// TestNewbornByBirthCertificate: a newborn without an ID number yet is
// added to 生育生活津贴's list by the 出生医学证明 number, typed on a
// keyboard with letters and digits; the list shows it masked, and the
// form takes it.
func TestNewbornByBirthCertificate(t *testing.T) {
	cat, err := catalog.Load(servicescatalog.FS())
	if err != nil {
		t.Fatal(err)
	}
	it, ok := cat.Item("maternity-benefit")
	if !ok {
		t.Fatal("no maternity-benefit item")
	}
	it.Rules = nil // the test resident is not a mother; the list is what is tried
	for _, portrait := range []bool{false, true} {
		size := fyne.NewSize(1920, 1080)
		name := "landscape"
		if portrait {
			size, name = fyne.NewSize(1080, 1920), "portrait"
		}
		t.Run(name, func(t *testing.T) {
			k := newTestKiosk(t, size, it)
			u := k.u
			f := k.toFamilyPage(t, it.Code)
			page := k.s.View().Page
			k.tap(t, u.t("family.add"))
			for i, c := range []rune("测试丁") {
				k.typeChinese(t, []string{"ce", "shi", "ding"}[i], c)
			}
			k.tapPaging(t, "field:"+memberCert)
			if _, latin := keyboardOnScreen(u, k.w).(*keyboard.Latin); !latin {
				t.Fatalf("the birth-certificate number gets %T, want letters with digits", keyboardOnScreen(u, k.w))
			}
			tapKeys(t, u, k.w, "p310012345")
			if !portrait {
				golden.Assert(t, "screens/zh-household-newborn", k.w.Canvas().Capture(), *update)
			}
			k.tapAnyPage(t, u.t("form.relation_child"))
			k.tapAnyPage(t, u.t("form.sex_female"))
			k.tap(t, u.t("family.done"))
			var ms []form.Member
			if err := json.Unmarshal([]byte(k.s.View().Answers[f.ID]), &ms); err != nil || len(ms) != 1 {
				t.Fatalf("answer %q (%v)", k.s.View().Answers[f.ID], err)
			}
			if ms[0].BirthCert != "P310012345" || ms[0].IDNumber != "" || ms[0].Sex != "female" || ms[0].Relation != "child" {
				t.Errorf("member %+v", ms[0])
			}
			if texts := k.texts(); strings.Contains(texts, "310012345") || !strings.Contains(texts, "P*****2345") {
				t.Errorf("the list should show the number masked: %s", texts)
			}
			k.tap(t, u.t("common.next"))
			if v := k.s.View(); v.State == flow.FormPage && v.Page == page {
				t.Fatalf("a newborn by birth certificate refused: %v", v.FieldErrors)
			}
		})
	}
}

// TestPickUpCentre: where an item offers collection at a centre, the
// resident picks the district, then the street or town, and the form names
// that street's own centre (not only the district); 换一个中心 starts again.
func TestPickUpCentre(t *testing.T) {
	k := newTestKiosk(t, fyne.NewSize(1920, 1080))
	u := k.u
	k.toField(t, "dibao-certificate", "pickup_centre")
	k.tapAnyPage(t, "徐汇区")
	k.tapAnyPage(t, "田林街道")
	const centre = "徐汇区田林街道社区事务受理服务中心"
	waitForText(t, u, k.w, "✓  "+centre)
	golden.Assert(t, "screens/zh-pickup-centre", k.w.Canvas().Capture(), *update)
	var a form.Address
	if err := json.Unmarshal([]byte(k.s.View().Answers["pickup_centre"]), &a); err != nil || k.places.CentreName(a) != centre {
		t.Fatalf("answer %q (%v), want %s", k.s.View().Answers["pickup_centre"], err, centre)
	}
	if _, ok := keyboardOnScreen(u, k.w).(keyboardWidget); ok {
		t.Error("a keyboard for a centre, where nothing is typed")
	}
	k.tap(t, u.t("form.centre_change"))
	if got := k.s.View().Answers["pickup_centre"]; strings.Contains(got, "田林街道") {
		t.Errorf("换一个中心 kept %q", got)
	}
	k.tapAnyPage(t, "闵行区")
	k.tapAnyPage(t, "莘庄工业区")
	waitForText(t, u, k.w, "✓  闵行区莘庄工业区社区事务受理服务中心")
}

// TestApplyForSomeoneElseOnScreen: the item screen offers 为他人代办 where
// the item allows it and not where it must be done in person; tapped, the
// form says it is for someone else and asks the applicant's name and ID
// number, with nothing from the card on the reader.
func TestApplyForSomeoneElseOnScreen(t *testing.T) {
	k := newTestKiosk(t, fyne.NewSize(1920, 1080))
	u := k.u
	k.identify(t)
	k.s.SelectItem("pension-eligibility-check")
	waitScreen(t, u, flow.ItemDetail)
	u.Redraw()
	if k.canTap(u.t("item.apply_for_other")) {
		t.Error("为他人代办 offered for 养老金领取资格认证, which must be done in person")
	}
	k.s.Back()
	k.s.SelectItem("social-security-card")
	waitScreen(t, u, flow.ItemDetail)
	u.Redraw()
	k.tap(t, u.t("item.apply_for_other"))
	waitScreen(t, u, flow.FormPage)
	waitForText(t, u, k.w, u.t("form.agent_note"))
	v := k.s.View()
	if !v.Agent || len(v.Prefilled) != 0 {
		t.Fatalf("代办 form: agent %v, prefilled %v", v.Agent, v.Prefilled)
	}
	if texts := k.texts(); strings.Contains(texts, kiosktest.Elder().Name) || strings.Contains(texts, kiosk.MaskNumber(kiosktest.Elder().Number)) {
		t.Errorf("the agent's card shows on the applicant's fields: %s", texts)
	}
	golden.Assert(t, "screens/zh-agent-form", k.w.Canvas().Capture(), *update)
}
