package ui

import (
	"context"
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/i18n"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/ui/internal/golden"
)

var (
	shots  = flag.String("shots", "", "write a PNG of every screen to this folder")
	update = flag.Bool("update", false, "rewrite the golden screen images in testdata/screens")
)

// goldenScreens are compared with masters in testdata/screens (rendered
// with the embedded font, so they do not depend on the machine's fonts).
var goldenScreens = map[string]bool{"attract": true, "identify": true, "browse": true, "item": true, "form": true, "review": true, "done": true, "ticket-choose": true}

type fakeBrowser struct{ items []kiosk.Item }

func (b fakeBrowser) Popular(n int) []kiosk.Item { return b.items }
func (b fakeBrowser) Departments() []Group {
	return []Group{{ID: "MZ", Name: kiosk.Text{ZH: "民政"}}, {ID: "RS", Name: kiosk.Text{ZH: "人社"}}}
}
func (b fakeBrowser) InDepartment(string) []kiosk.Item { return b.items }
func (b fakeBrowser) LifeEvents() []Group {
	return []Group{{ID: "birth", Name: kiosk.Text{ZH: "出生"}}, {ID: "elderly", Name: kiosk.Text{ZH: "养老"}}}
}
func (b fakeBrowser) ForLifeEvent(string) []kiosk.Item    { return b.items }
func (b fakeBrowser) Search(q string, n int) []kiosk.Item { return b.items[:1] }

var testItem = kiosk.Item{
	Code: "MZ0109_02", Name: kiosk.Text{ZH: "老年综合津贴申请", EN: "Senior citizens' allowance"},
	Summary:     kiosk.Text{ZH: "65周岁以上本市户籍老人按月领取津贴", EN: "A monthly allowance for residents aged 65 and over"},
	WhoCanApply: kiosk.Text{ZH: "年满65周岁的本市户籍老年人。", EN: "Shanghai residents aged 65 or over."},
	AfterDone:   kiosk.Text{ZH: "审核通过后，津贴按月发放到您的社保卡。", EN: "Once approved, the allowance is paid monthly to your social security card."},
	Actions:     []kiosk.Action{kiosk.ActionApply}, Promise: kiosk.TimeLimit{Days: 30},
	Materials: []kiosk.Material{{Name: kiosk.Text{ZH: "居民身份证", EN: "ID card"}, Required: true, FromLicenceLibrary: true}},
	Form: []kiosk.Field{
		{ID: "name", Type: kiosk.FieldText, Label: kiosk.Text{ZH: "姓名", EN: "Name"}, Prefill: kiosk.PrefillName, Required: true},
		{ID: "phone", Type: kiosk.FieldPhone, Label: kiosk.Text{ZH: "手机号码", EN: "Mobile number"}, Required: true},
		{ID: "bank", Type: kiosk.FieldChoice, Label: kiosk.Text{ZH: "发放方式", EN: "Paid to"}, Required: true, Options: []kiosk.Option{
			{Value: "sscard", Label: kiosk.Text{ZH: "社保卡", EN: "Social security card"}}, {Value: "bank", Label: kiosk.Text{ZH: "银行卡", EN: "Bank card"}}}},
	},
}

type oneCatalog struct{}

func (oneCatalog) Item(code kiosk.ItemCode) (kiosk.Item, bool) {
	return testItem, code == testItem.Code
}

type onePage struct{}

func (onePage) Pages(it kiosk.Item, _ kiosk.Identity, _ kiosk.Answers) [][]kiosk.Field {
	return [][]kiosk.Field{it.Form}
}
func (onePage) Validate(kiosk.Item, []kiosk.Field, kiosk.Identity, kiosk.Answers) map[string]kiosk.Text {
	return nil
}
func (onePage) Prefill(_ kiosk.Item, who kiosk.Identity) kiosk.Answers {
	return kiosk.Answers{"name": who.Name}
}

type fakeTickets struct{}

func (fakeTickets) Take(_ context.Context, service kiosk.Text) (kiosk.Ticket, error) {
	return kiosk.Ticket{Number: "A012", Service: service, Waiting: 3}, nil
}

// saturdayHours open the counters on the tests' Saturday morning.
func saturdayHours(t *testing.T) kiosk.Hours {
	h, err := kiosk.ParseHours("mon-sat 09:00-12:00,13:00-17:00")
	if err != nil {
		t.Fatal(err)
	}
	return h
}

type fakeStatus struct{}

func (fakeStatus) Status(_ context.Context, receipt string) (kiosk.SubmissionStatus, error) {
	return kiosk.SubmissionStatus{LocalReceipt: receipt, Item: testItem.Name, State: kiosk.StateAcknowledged}, nil
}

// looksLikeID matches a message ID shown instead of its words.
var looksLikeID = regexp.MustCompile(`^[a-z]+(\.[a-z0-9_]+)+$`)

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// TestEveryScreenRenders walks a whole visit in both languages and both
// modes, checking each screen shows its key words (taken from the catalog),
// that no message ID shows instead of words and that an English screen
// shows no Chinese but the resident's and the center's names; with
// -shots DIR it writes a PNG of each screen to look at.
func TestEveryScreenRenders(t *testing.T) {
	words, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	const centerName = "徐汇区测试街道社区事务受理服务中心"
	for _, mode := range []struct {
		name     string
		lang     kiosk.Lang
		elderly  bool
		portrait bool
		contrast bool
	}{{"zh", kiosk.LangZH, false, false, false}, {"zh-elderly", kiosk.LangZH, true, false, false}, {"en", kiosk.LangEN, false, false, false},
		{"en-elderly-portrait", kiosk.LangEN, true, true, false}, {"zh-contrast", kiosk.LangZH, false, false, true}} {
		t.Run(mode.name, func(t *testing.T) {
			a := test.NewTempApp(t)
			w := a.NewWindow("kiosk")
			w.Resize(fyne.NewSize(1920, 1080))
			if mode.portrait {
				w.Resize(fyne.NewSize(1080, 1920))
			}
			clock := kiosktest.NewClock(time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC))
			reader := kiosktest.NewReader()
			s := flow.New(flow.Deps{Clock: clock, Reader: reader, Queue: &kiosktest.Queue{}, Printer: &kiosktest.Printer{},
				Catalog: oneCatalog{}, Forms: onePage{}, Tickets: fakeTickets{}, Status: fakeStatus{}, Hours: saturdayHours(t),
				Numbers: func(time.Time) (string, string, error) { return "id-1", "XH0123-20261128-0042", nil }})
			u := New(s, w, Options{CenterName: centerName, Browser: fakeBrowser{items: []kiosk.Item{testItem, testItem, testItem}}, Clock: clock, Words: words})
			loc := words.NewLocalizer(mode.lang)
			waitFor := func(st flow.State) {
				t.Helper()
				deadline := time.Now().Add(5 * time.Second)
				for {
					var cur flow.State
					u.mu.Lock()
					cur = u.view.State
					u.mu.Unlock()
					if cur == st {
						return
					}
					if time.Now().After(deadline) {
						t.Fatalf("screen %v never drawn; on %v, session %+v", st, cur, s.View())
					}
					time.Sleep(5 * time.Millisecond)
				}
			}
			shot := func(name string, want ...string) {
				t.Helper()
				for _, bad := range offPanel(u, w, w.Canvas().Size()) {
					t.Errorf("%s: %s", name, bad)
				}
				u.mu.Lock()
				defer u.mu.Unlock()
				all := canvasTexts(w.Content())
				texts := strings.Join(all, "|")
				spaced := strings.Join(all, " ") // a title may take two lines
				for _, s := range want {
					if !strings.Contains(texts, s) && !strings.Contains(spaced, s) {
						t.Errorf("%s: %q not on screen; texts: %s", name, s, texts)
					}
				}
				for _, x := range all {
					if looksLikeID.MatchString(strings.TrimSpace(x)) {
						t.Errorf("%s: message ID %q shown instead of words", name, x)
					}
					if mode.lang == kiosk.LangEN && hasHan(x) && x != centerName && x != loc.T("common.language_other") && !strings.Contains(x, "张") {
						t.Errorf("%s: Chinese %q on an English screen", name, x)
					}
				}
				img := w.Canvas().Capture()
				if *shots != "" {
					savePNG(t, filepath.Join(*shots, mode.name+"-"+name+".png"), img)
				}
				if goldenScreens[name] {
					golden.Assert(t, "screens/"+mode.name+"-"+name, img, *update)
				}
			}
			// The visit goes through the widgets, as a resident's fingers
			// would: the modes on the attract screen, then every step.
			tap := func(label string) {
				t.Helper()
				tapOn(t, u, w, label)
				settle(u)
			}
			// findPaging turns the screen's pages until a widget whose label
			// starts with prefix shows, and returns its label.
			findPaging := func(prefix string) string {
				t.Helper()
				for range 10 {
					found := ""
					u.mu.Lock()
					walkPlaced(w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, _ fyne.Position) {
						if l, ok := labelOf(o); ok && strings.HasPrefix(l, prefix) && found == "" {
							found = l
						}
					})
					u.mu.Unlock()
					if found != "" {
						return found
					}
					tap(loc.T("common.next_page"))
				}
				t.Fatalf("no %q… on any page", prefix)
				return ""
			}
			chooseModes := func() {
				t.Helper()
				waitFor(flow.Attract)
				if mode.lang == kiosk.LangEN {
					tap(words.NewLocalizer(kiosk.LangZH).T("common.language_other"))
				}
				if mode.elderly {
					tap(loc.T("common.senior_mode"))
				}
				if mode.contrast {
					tap(loc.T("common.high_contrast"))
				}
				settle(u)
			}
			chooseModes()
			shot("attract", loc.T("attract.start"), loc.T("common.language_other"), "徐汇区测试街道")
			tap(loc.T("attract.start"))
			waitFor(flow.Identify)
			shot("identify", loc.T("identify.place_card"), loc.T("identify.title"))
			reader.Cards <- kiosktest.CardResult{ID: kiosktest.Elder()} // the simulated card
			waitFor(flow.Browse)
			shot("browse", "张*试", loc.T("browse.tab_popular"))
			tap(loc.T("browse.tab_search"))
			shot("search", loc.T("browse.search_hint"), loc.T("keyboard.backspace"))
			timing := flow.NormalTiming()
			if mode.elderly {
				timing = flow.ElderlyTiming()
			}
			s.CardPresence(false) // the card lifted: the idle timer was paused while it lay on the reader
			clock.Advance(timing.Idle)
			waitForCountdown(t, u)
			shot("countdown", loc.T("countdown.question"), loc.T("countdown.continue"))
			tap(loc.T("countdown.continue"))
			tap(loc.T("browse.tab_popular"))
			tap(testItem.Name.In(mode.lang))
			waitFor(flow.ItemDetail)
			shot("item", loc.T("item.who_can_apply"), loc.T("item.apply"), loc.T("item.working_days", map[string]any{"Count": 30}))
			tap(loc.T("item.apply"))
			waitFor(flow.FormPage)
			tap("field:phone")
			tapKeys(t, u, w, "13800138000")
			tap(findPaging(testItem.Form[2].Options[0].Label.In(mode.lang)))
			shot("form", loc.T("common.step", map[string]any{"Step": 1, "Total": 1}), loc.T("form.from_id_card"), "13800138000")
			tap(loc.T("common.next"))
			waitFor(flow.Review)
			tap(findPaging("☐"))
			shot("review", loc.T("review.title"), loc.T("review.next"), "13800138000")
			tap(strings.ReplaceAll(loc.T("review.next"), "\n", " "))
			waitFor(flow.Sign)
			shot("sign", loc.T("sign.confirm"), loc.T("sign.title"))
			u.mu.Lock()
			pad := u.pad
			u.mu.Unlock()
			for i := range 40 { // a finger's stroke across the pad
				pad.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(float32(40+i*12), float32(100+(i%7)*15))}, Dragged: fyne.NewDelta(12, 5)})
			}
			pad.DragEnd()
			tap(loc.T("sign.confirm"))
			waitFor(flow.Done)
			shot("done", loc.T("done.accepted"), "XH0123-20261128-0042", loc.T("done.take_receipt"))
			tap(loc.T("common.done"))
			waitFor(flow.Attract)
			u.mu.Lock()
			texts := strings.Join(canvasTexts(w.Content()), "|")
			u.mu.Unlock()
			if strings.Contains(texts, "张") || strings.Contains(texts, "13800138000") {
				t.Errorf("personal data still on screen after the session: %s", texts)
			}

			// The progress query and the counter ticket, in the mode again
			// (the session's end reset it).
			chooseModes()
			s.Scanned(kiosk.ScannedCode{Kind: kiosk.ScanProgress, Receipt: "XH0123-20261128-0042"}) // the scanner's event
			waitFor(flow.Query)
			waitForText(t, u, w, loc.T("query.status_received"))
			shot("query", loc.T("query.title"), loc.T("query.status_received"))
			tap(loc.T("common.finish"))
			chooseModes()
			tap(loc.T("item.ticket"))
			waitFor(flow.Ticket)
			shot("ticket-choose", loc.T("ticket.choose"), loc.T("ticket.business.insurance"), loc.T("ticket.general_counter"))
			tap(loc.T("ticket.general_counter"))
			waitForText(t, u, w, "A012")
			shot("ticket", loc.T("ticket.title"), loc.T("ticket.take"), loc.T("ticket.waiting", map[string]any{"Count": 3}))
		})
	}
}

// waitForCountdown waits until the countdown overlay is up.
func waitForCountdown(t *testing.T, u *Screens) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		u.mu.Lock()
		n := u.view.Countdown
		u.mu.Unlock()
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the countdown never showed")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitForText waits until want is drawn (words that arrive after the
// screen, from a goroutine of the session).
func waitForText(t *testing.T, u *Screens, w fyne.Window, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		u.mu.Lock()
		texts := strings.Join(canvasTexts(w.Content()), "|")
		u.mu.Unlock()
		if strings.Contains(texts, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%q never drawn; texts: %s", want, texts)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// canvasTexts collects every string drawn on the screen.
func canvasTexts(o fyne.CanvasObject) []string {
	var out []string
	for _, x := range test.LaidOutObjects(o) {
		if t, ok := x.(*canvas.Text); ok && t.Visible() {
			out = append(out, t.Text)
		}
	}
	return out
}

func savePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
