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
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/i18n"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/ui/internal/golden"
)

// deptKiosk is a terminal whose center has connected the pension query
// and the household certificate, with a fake department service, a fake
// A4 printer and the fake receipt printer.
type deptKiosk struct {
	*testKiosk
	dept    *kiosktest.Departments
	a4      *kiosktest.A4
	printer *kiosktest.Printer
	conn    kiosk.Connected
}

type deptCatalog struct{}

func (deptCatalog) Item(code kiosk.ItemCode) (kiosk.Item, bool) {
	for _, it := range []kiosk.Item{kiosktest.PensionItem, kiosktest.RegisterItem} {
		if it.Code == code {
			return it, true
		}
	}
	return kiosk.Item{}, false
}

func newDeptKiosk(t *testing.T, size fyne.Size, change func(*deptKiosk, *flow.Deps)) *deptKiosk {
	t.Helper()
	words, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	w := a.NewWindow("kiosk")
	w.SetPadded(false)
	w.Resize(size)
	clock := kiosktest.NewClock(time.Date(2026, 12, 1, 3, 12, 0, 0, time.UTC))
	k := &deptKiosk{
		testKiosk: &testKiosk{w: w, reader: kiosktest.NewReader(), queue: &kiosktest.Queue{}},
		dept: &kiosktest.Departments{
			Results:   map[kiosk.ItemCode]kiosk.QueryResult{kiosktest.PensionItem.Code: kiosktest.PensionResult()},
			Documents: map[kiosk.ItemCode]kiosk.Document{kiosktest.RegisterItem.Code: kiosktest.RegisterDocument()},
		},
		a4:      &kiosktest.A4{},
		printer: &kiosktest.Printer{},
		conn:    kiosk.Connected{Queries: []kiosk.ItemCode{kiosktest.PensionItem.Code}, Documents: []kiosk.ItemCode{kiosktest.RegisterItem.Code}},
	}
	deps := flow.Deps{Clock: clock, Reader: k.reader, Queue: k.queue, Printer: k.printer,
		Terminal: flow.Terminal{CenterName: "徐汇区测试街道社区事务受理服务中心", Center: "XH01", Code: "XH0123"},
		Catalog:  deptCatalog{}, Forms: onePage{}, Tickets: fakeTickets{},
		Departments: k.dept, A4: k.a4, Connected: func() kiosk.Connected { return k.conn },
		Numbers: func(time.Time) (string, string, error) { return "id-1", "XH0123-20261128-0042", nil }}
	if change != nil {
		change(k, &deps)
	}
	k.s = flow.New(deps)
	k.u = New(k.s, w, Options{CenterName: "徐汇区测试街道社区事务受理服务中心", Clock: clock, Words: words,
		Browser: fakeBrowser{items: []kiosk.Item{kiosktest.PensionItem, kiosktest.RegisterItem}}})
	waitScreen(t, k.u, flow.Attract)
	return k
}

// untilText waits for want on screen.
func (k *deptKiosk) untilText(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !onScreen(k.u, k.w, want) {
		if time.Now().After(deadline) {
			t.Fatalf("%q never on screen; texts: %s", want, k.texts())
		}
		time.Sleep(5 * time.Millisecond)
	}
	settle(k.u)
}

// disabledButton reports whether a greyed button labelled label is drawn.
func (k *deptKiosk) disabledButton(label string) bool {
	found := false
	k.u.mu.Lock()
	walkPlaced(k.w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, _ fyne.Position) {
		if b, ok := o.(*touchButton); ok && b.disabled && b.label == label {
			found = true
		}
	})
	k.u.mu.Unlock()
	return found
}

// The resident taps 查询 on the pension item: the result shows in large
// type with the account and ID number masked, its source and date; 打印
// prints the same masked lines on the receipt printer; 结束办理 leaves
// nothing of it on screen.
func TestQueryResultScreen(t *testing.T) {
	for _, mode := range []struct {
		name    string
		size    fyne.Size
		elderly bool
	}{{"zh", fyne.NewSize(1920, 1080), false}, {"zh-elderly-portrait", fyne.NewSize(1080, 1920), true}} {
		t.Run(mode.name, func(t *testing.T) {
			k := newDeptKiosk(t, mode.size, nil)
			u := k.u
			if mode.elderly {
				k.tap(t, u.t("common.senior_mode"))
			}
			k.identify(t)
			k.tap(t, kiosktest.PensionItem.Name.ZH)
			waitScreen(t, u, flow.ItemDetail)
			k.tap(t, u.t("item.run_query"))
			waitScreen(t, u, flow.Result)
			k.untilText(t, "4,321.00元")
			for _, want := range []string{"个人享受城镇基本养老金情况", "数据截至2026年11月30日", "上海市社会保险事业管理中心", "月养老金"} {
				if !onScreen(u, k.w, want) {
					t.Errorf("%q not on the result screen; texts: %s", want, k.texts())
				}
			}
			// Every line, page by page: the private ones masked.
			seen := k.texts()
			for range 5 {
				if !k.canTap(u.t("common.next_page")) {
					break
				}
				k.tap(t, u.t("common.next_page"))
				seen += "|" + k.texts()
			}
			if !strings.Contains(seen, "622202*********4567") || !strings.Contains(seen, "310104********0013") {
				t.Errorf("the masked lines are not on any page; texts: %s", seen)
			}
			if strings.Contains(seen, "0000001234567") || strings.Contains(seen, "195001010013") {
				t.Errorf("a private value on screen unmasked; texts: %s", seen)
			}
			for _, bad := range offPanel(u, k.w, k.w.Canvas().Size()) {
				t.Errorf("result screen: %s", bad)
			}
			golden.Assert(t, "screens/"+mode.name+"-result", k.w.Canvas().Capture(), *update)

			k.tap(t, u.t("dept.print"))
			k.untilText(t, "请取走查询结果")
			slips := k.printer.PrintedResults()
			if len(slips) != 1 {
				t.Fatalf("%d result slips printed", len(slips))
			}
			for _, f := range slips[0].Result.Fields {
				if strings.Contains(f.Value, "0000001234567") || strings.Contains(f.Value, "195001010013") {
					t.Errorf("printed unmasked: %s %q", f.Label.ZH, f.Value)
				}
			}
			k.tap(t, u.t("common.finish"))
			waitScreen(t, u, flow.Attract)
			if onScreen(u, k.w, "4,321.00") || onScreen(u, k.w, "养老金情况") {
				t.Errorf("the result is still on screen after 结束办理; texts: %s", k.texts())
			}
		})
	}
}

// An item whose query this center has not connected shows 查询 greyed,
// with the reason and where to go; an A4 printer that is missing greys
// 打印证明 the same way.
func TestUnconnectedQueryGreyed(t *testing.T) {
	k := newDeptKiosk(t, fyne.NewSize(1920, 1080), func(k *deptKiosk, d *flow.Deps) {
		k.conn = kiosk.Connected{Documents: []kiosk.ItemCode{kiosktest.RegisterItem.Code}}
		d.A4 = nil
	})
	u := k.u
	k.identify(t)
	k.tap(t, kiosktest.PensionItem.Name.ZH)
	waitScreen(t, u, flow.ItemDetail)
	if !k.disabledButton(u.t("item.run_query")) || k.canTap(u.t("item.run_query")) {
		t.Errorf("查询 is not greyed; texts: %s", k.texts())
	}
	if !onScreen(u, k.w, "本中心暂未开通此查询") {
		t.Errorf("no reason for the greyed query; texts: %s", k.texts())
	}
	if !k.canTap(u.t("item.ticket")) {
		t.Error("no way to the counter from a greyed query")
	}
	golden.Assert(t, "screens/zh-item-unconnected", k.w.Canvas().Capture(), *update)
	k.tap(t, u.t("common.back"))
	k.tap(t, kiosktest.RegisterItem.Name.ZH)
	waitScreen(t, u, flow.ItemDetail)
	if !k.disabledButton(u.t("item.print_document")) || !onScreen(u, k.w, "本机没有A4打印机") {
		t.Errorf("打印证明 is not greyed with its reason; texts: %s", k.texts())
	}
	if k.dept.Calls != 0 {
		t.Errorf("%d calls to the department for greyed items", k.dept.Calls)
	}
}

// The department fails for a passing reason: its words and 重试; the
// retry works. Then it fails twice: the counter, and no 重试.
func TestQueryRetryThenCounter(t *testing.T) {
	k := newDeptKiosk(t, fyne.NewSize(1920, 1080), nil)
	u := k.u
	k.dept.Errs = []error{kiosktest.ErrDepartmentBusy}
	k.identify(t)
	k.tap(t, kiosktest.PensionItem.Name.ZH)
	waitScreen(t, u, flow.ItemDetail)
	k.tap(t, u.t("item.run_query"))
	k.untilText(t, u.t("dept.busy"))
	k.tap(t, u.t("dept.retry"))
	k.untilText(t, "4,321.00元")

	k.tap(t, u.t("common.back"))
	waitScreen(t, u, flow.ItemDetail)
	k.dept.Errs = []error{kiosktest.ErrDepartmentBusy, kiosktest.ErrDepartmentBusy}
	k.tap(t, u.t("item.run_query"))
	k.untilText(t, u.t("dept.busy"))
	k.tap(t, u.t("dept.retry"))
	k.untilText(t, "请到人工窗口办理")
	if k.canTap(u.t("dept.retry")) {
		t.Error("重试 still offered after the second failure")
	}
	golden.Assert(t, "screens/zh-result-counter", k.w.Canvas().Capture(), *update)
	k.tap(t, u.t("common.done"))
	waitScreen(t, u, flow.Attract)
}

// 打印证明: the document is issued and sent to the A4 printer; the screen
// says 正在打印 while the job runs, then to take the pages; the PDF is
// not left in memory.
func TestDocumentPrintsOnA4(t *testing.T) {
	k := newDeptKiosk(t, fyne.NewSize(1920, 1080), nil)
	u := k.u
	k.a4.Hold = make(chan struct{})
	k.identify(t)
	k.tap(t, kiosktest.RegisterItem.Name.ZH)
	waitScreen(t, u, flow.ItemDetail)
	k.tap(t, u.t("item.print_document"))
	waitScreen(t, u, flow.Document)
	k.untilText(t, u.t("dept.printing"))
	if k.canTap(u.t("common.back")) {
		t.Error("返回 offered while the pages print")
	}
	golden.Assert(t, "screens/zh-document-printing", k.w.Canvas().Capture(), *update)
	// 结束办理 while the pages print asks first; 等待打印 stays.
	k.tap(t, u.t("common.finish"))
	k.untilText(t, "文件正在打印")
	k.tap(t, u.t("dept.end_no"))
	if st := k.s.View().State; st != flow.Document || k.a4.Cancels() != 0 {
		t.Errorf("等待打印 left for %v, %d jobs cancelled", st, k.a4.Cancels())
	}
	close(k.a4.Hold)
	k.untilText(t, "请取走打印的文件")
	if jobs := k.a4.Printed(); len(jobs) != 1 || !strings.HasPrefix(string(jobs[0]), "%PDF") {
		t.Errorf("A4 jobs: %q", jobs)
	}
	if k.dept.Leftover() {
		t.Error("the document's PDF is still in memory")
	}
	golden.Assert(t, "screens/zh-document-printed", k.w.Canvas().Capture(), *update)
	k.tap(t, u.t("common.done"))
	waitScreen(t, u, flow.Attract)
}

// Paper runs out while the document prints: the printer's words with the
// counter, no retry, nothing of the document in memory, and the visit
// ends clean.
func TestDocumentPaperOutOnScreen(t *testing.T) {
	k := newDeptKiosk(t, fyne.NewSize(1920, 1080), nil)
	u := k.u
	k.a4.WaitErr = &kiosk.Error{Op: "test", Kind: kiosk.KindNoPaper, Message: kiosk.Msg("a4.no_paper")}
	k.identify(t)
	k.tap(t, kiosktest.RegisterItem.Name.ZH)
	waitScreen(t, u, flow.ItemDetail)
	k.tap(t, u.t("item.print_document"))
	k.untilText(t, "A4打印机没有纸了")
	if !onScreen(u, k.w, "人工窗口") || k.canTap(u.t("dept.retry")) {
		t.Errorf("paper out: no counter or a retry; texts: %s", k.texts())
	}
	if k.dept.Leftover() {
		t.Error("the document's PDF is still in memory")
	}
	k.tap(t, u.t("common.done"))
	waitScreen(t, u, flow.Attract)
	if v := k.s.View(); v.Result != nil || v.Item != nil || !v.DocTitle.IsZero() {
		t.Errorf("the session still shows the visit: %+v", v)
	}
}

// longResult is a department's answer with many lines, long labels and
// values: an address, an unbroken account number, English words.
func longResult() kiosk.QueryResult {
	r := kiosktest.PensionResult()
	r.Title = kiosk.Text{ZH: "个人历年缴纳城镇职工基本养老保险费明细及视同缴费年限核定情况", EN: "Your urban employees' basic pension contributions by year, and the years counted as paid"}
	r.Fields = append(r.Fields,
		kiosk.ResultField{Label: kiosk.Text{ZH: "户籍地址", EN: "Registered address"}, Value: "上海市徐汇区测试街道测试路一千二百三十四弄五十六号七百八十九室", Private: true},
		kiosk.ResultField{Label: kiosk.Text{ZH: "社会保障卡卡号（金融账户）", EN: "Social security card number (bank account)"}, Value: "62220200000012345678901234"},
		kiosk.ResultField{Label: kiosk.Text{ZH: "参保状态", EN: "Insurance status"}, Value: "Paying contributions through an employer in another province"},
	)
	for y := 2015; y <= 2024; y++ {
		r.Fields = append(r.Fields, kiosk.ResultField{Label: kiosk.Text{ZH: fmt.Sprintf("%d年缴费月数", y), EN: fmt.Sprintf("Months paid in %d", y)}, Value: "12"})
	}
	return r
}

// A long result fits every panel and mode: nothing drawn off the panel,
// nothing scrolls, every line on some page.
func TestLongResultFits(t *testing.T) {
	for _, lang := range []kiosk.Lang{kiosk.LangZH, kiosk.LangEN} {
		for _, elderly := range []bool{false, true} {
			for _, size := range []fyne.Size{fyne.NewSize(1920, 1080), fyne.NewSize(1080, 1920)} {
				name := fmt.Sprintf("%s-elderly=%v-%.0fx%.0f", lang, elderly, size.Width, size.Height)
				t.Run(name, func(t *testing.T) {
					k := newDeptKiosk(t, size, nil)
					k.dept.Results[kiosktest.PensionItem.Code] = longResult()
					u := k.u
					if lang == kiosk.LangEN {
						k.tap(t, u.t("common.language_other"))
					}
					if elderly {
						k.tap(t, u.t("common.senior_mode"))
					}
					k.identify(t)
					k.tap(t, kiosktest.PensionItem.Name.In(lang))
					waitScreen(t, u, flow.ItemDetail)
					k.tap(t, u.t("item.run_query"))
					waitScreen(t, u, flow.Result)
					k.untilText(t, u.t("dept.print"))
					seen := ""
					for page := 0; ; page++ {
						for _, bad := range offPanel(u, k.w, size) {
							t.Errorf("page %d: %s", page+1, bad)
						}
						if *shots != "" {
							savePNG(t, filepath.Join(*shots, fmt.Sprintf("result-%s-page%d.png", name, page+1)), k.w.Canvas().Capture())
						}
						seen += "|" + strings.Join(strings.Fields(k.texts()), "")
						if !k.canTap(u.t("common.next_page")) || page > 10 {
							break
						}
						k.tap(t, u.t("common.next_page"))
					}
					for _, f := range longResult().Masked().Fields {
						if v := strings.Join(strings.Fields(f.Value), ""); !strings.Contains(strings.ReplaceAll(seen, "|", ""), v) {
							t.Errorf("%s (%q) on no page", f.Label.In(lang), f.Value)
						}
					}
				})
			}
		}
	}
}

// An item with a query and a document, in English, 长者模式, on a portrait
// panel: its three buttons do not fit one row, so the way to the counter
// stands above the other two, nothing off the panel.
func TestItemWithQueryAndPrintFits(t *testing.T) {
	both := kiosktest.PensionItem
	both.Actions = []kiosk.Action{kiosk.ActionQuery, kiosk.ActionPrint, kiosk.ActionTicket}
	size := fyne.NewSize(1080, 1920)
	k := newDeptKiosk(t, size, func(k *deptKiosk, d *flow.Deps) {
		d.Catalog = catalog1{both}
		k.conn.Documents = nil // the query only: 打印证明 greyed
	})
	u := k.u
	k.tap(t, u.t("common.language_other"))
	k.tap(t, u.t("common.senior_mode"))
	k.identify(t)
	k.tap(t, both.Name.EN)
	waitScreen(t, u, flow.ItemDetail)
	for _, bad := range offPanel(u, k.w, size) {
		t.Error(bad)
	}
	if !k.canTap(u.t("item.run_query")) || !k.canTap(u.t("item.ticket")) || !k.disabledButton(u.t("item.print_document")) {
		t.Errorf("buttons: %s", k.texts())
	}
	golden.Assert(t, "screens/en-elderly-portrait-item-query-print", k.w.Canvas().Capture(), *update)
}

// catalog1 is a catalog of one item.
type catalog1 struct{ it kiosk.Item }

func (c catalog1) Item(code kiosk.ItemCode) (kiosk.Item, bool) { return c.it, code == c.it.Code }
