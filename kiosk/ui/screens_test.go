package ui

import (
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

var shots = flag.String("shots", "", "write a PNG of every screen to this folder")

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

// TestEveryScreenRenders walks a whole visit in both languages and both
// modes, checking each screen shows its key words; with -shots DIR it
// writes a PNG of each screen to look at.
func TestEveryScreenRenders(t *testing.T) {
	for _, mode := range []struct {
		name    string
		lang    kiosk.Lang
		elderly bool
	}{{"zh", kiosk.LangZH, false}, {"zh-elderly", kiosk.LangZH, true}, {"en", kiosk.LangEN, false}} {
		t.Run(mode.name, func(t *testing.T) {
			a := test.NewTempApp(t)
			w := a.NewWindow("kiosk")
			w.Resize(fyne.NewSize(1920, 1080))
			clock := kiosktest.NewClock(time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC))
			reader := kiosktest.NewReader()
			s := flow.New(flow.Deps{Clock: clock, Reader: reader, Queue: &kiosktest.Queue{}, Printer: &kiosktest.Printer{},
				Catalog: oneCatalog{}, Forms: onePage{},
				Numbers: func(time.Time) (string, string, error) { return "id-1", "XH0123-20261128-0042", nil }})
			u := New(s, w, Options{CenterName: "徐汇区测试街道社区事务受理服务中心", Browser: fakeBrowser{items: []kiosk.Item{testItem, testItem, testItem}}, Clock: clock})
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
				u.mu.Lock()
				defer u.mu.Unlock()
				texts := strings.Join(canvasTexts(w.Content()), "|")
				for _, s := range want {
					if !strings.Contains(texts, s) {
						t.Errorf("%s: %q not on screen; texts: %s", name, s, texts)
					}
				}
				if *shots != "" {
					savePNG(t, filepath.Join(*shots, mode.name+"-"+name+".png"), w.Canvas().Capture())
				}
			}
			s.SetLanguage(mode.lang)
			s.SetElderly(mode.elderly)
			waitFor(flow.Attract)
			zh := mode.lang == kiosk.LangZH
			pick := func(z, e string) string {
				if zh {
					return z
				}
				return e
			}
			shot("attract", pick("开始办理", "Start"), "徐汇区测试街道")
			s.Start()
			waitFor(flow.Identify)
			shot("identify", pick("请将身份证放在感应区", "Place your ID card"))
			reader.Cards <- kiosktest.CardResult{ID: kiosktest.Elder()}
			waitFor(flow.Browse)
			shot("browse", "张*试", pick("常办事项", "Popular"))
			s.SelectItem(testItem.Code)
			waitFor(flow.ItemDetail)
			shot("item", pick("谁可以办", "Who can apply"), pick("开始申请", "Apply"))
			s.Apply()
			waitFor(flow.FormPage)
			s.SetAnswer("phone", "13800138000")
			s.SetAnswer("bank", "sscard")
			u.redraw()
			shot("form", pick("第 1 步 / 共 1 步", "Step 1 of 1"), pick("已从身份证读取", "From your ID card"), "13800138000")
			s.Next()
			waitFor(flow.Review)
			s.SetConsent(true)
			shot("review", pick("请核对您的信息", "Check your answers"), "13800138000")
			s.Confirm()
			waitFor(flow.Sign)
			shot("sign", pick("确认签名", "Confirm"))
			s.Signed([]byte("png"))
			waitFor(flow.Done)
			shot("done", pick("已受理", "Accepted"), "XH0123-20261128-0042")
			s.CardPresence(false)
			clock.Advance(flow.ElderlyTiming().Done)
			waitFor(flow.Attract)
			u.mu.Lock()
			texts := strings.Join(canvasTexts(w.Content()), "|")
			u.mu.Unlock()
			if strings.Contains(texts, "张") || strings.Contains(texts, "13800138000") {
				t.Errorf("personal data still on screen after the session: %s", texts)
			}
		})
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
