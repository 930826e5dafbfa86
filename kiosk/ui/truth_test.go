package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/i18n"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// newSmallKiosk is a terminal on the one test item (one form page) with
// simulated devices; change adjusts its session's dependencies (tickets,
// appointments, hours). The clock stands at now.
func newSmallKiosk(t *testing.T, now time.Time, change func(*flow.Deps)) *testKiosk {
	t.Helper()
	words, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	w := a.NewWindow("kiosk")
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1920, 1080))
	clock := kiosktest.NewClock(now)
	k := &testKiosk{w: w, reader: kiosktest.NewReader(), queue: &kiosktest.Queue{}}
	deps := flow.Deps{Clock: clock, Reader: k.reader, Queue: k.queue, Printer: &kiosktest.Printer{},
		Catalog: oneCatalog{}, Forms: onePage{},
		Numbers: func(time.Time) (string, string, error) { return "id-1", "XH0123-20261128-0042", nil }}
	if change != nil {
		change(&deps)
	}
	k.s = flow.New(deps)
	k.u = New(k.s, w, Options{CenterName: "徐汇区测试街道社区事务受理服务中心", Browser: fakeBrowser{items: []kiosk.Item{testItem}}, Clock: clock, Words: words})
	waitScreen(t, k.u, flow.Attract)
	return k
}

// TestSuishenmaNeverFalselyAccepted: a bare 随申码 (the scanner's event)
// that no back office verified identifies nobody: the identify screen
// stays, saying in plain words to use the ID card or the counter.
func TestSuishenmaNeverFalselyAccepted(t *testing.T) {
	k := newSmallKiosk(t, time.Date(2026, 11, 30, 3, 12, 0, 0, time.UTC), nil)
	u := k.u
	k.tap(t, u.t("attract.start"))
	waitScreen(t, u, flow.Identify)
	k.s.Scanned(kiosk.ScannedCode{Kind: kiosk.ScanSuishenma, Token: "SSM-5f2c9a1e77d04b2e"})
	deadline := time.Now().Add(5 * time.Second)
	for !onScreen(u, k.w, "随申码暂时无法核验") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !onScreen(u, k.w, "随申码暂时无法核验") || !onScreen(u, k.w, "人工窗口") {
		t.Errorf("the identify screen does not say why and where to go; texts: %s", k.texts())
	}
	if st := k.s.View().State; st != flow.Identify {
		t.Errorf("a bare 随申码 left the identify screen for %v", st)
	}
}

// TestRejectedOnTheDoneScreen: the back office refuses the application
// while its done screen is still up; the screen stops saying 已受理 and
// says so plainly, with where to go.
func TestRejectedOnTheDoneScreen(t *testing.T) {
	k := newSmallKiosk(t, time.Date(2026, 11, 30, 3, 12, 0, 0, time.UTC), nil)
	u := k.u
	k.identify(t)
	k.tap(t, testItem.Name.ZH)
	waitScreen(t, u, flow.ItemDetail)
	k.tap(t, u.t("item.apply"))
	waitScreen(t, u, flow.FormPage)
	k.tap(t, "field:phone")
	tapKeys(t, u, k.w, "13800138000")
	k.tapPaging(t, testItem.Form[2].Options[0].Label.ZH)
	k.tap(t, u.t("common.next"))
	waitScreen(t, u, flow.Review)
	k.tapPagingPrefix(t, "☐")
	k.tap(t, strings.ReplaceAll(u.t("review.next"), "\n", " "))
	waitScreen(t, u, flow.Sign)
	u.mu.Lock()
	pad := u.pad
	u.mu.Unlock()
	for i := range 20 {
		pad.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(float32(40+i*12), 120)}, Dragged: fyne.NewDelta(12, 3)})
	}
	pad.DragEnd()
	k.tap(t, u.t("sign.confirm"))
	waitScreen(t, u, flow.Done)
	waitForText(t, u, k.w, u.t("done.accepted"))

	k.s.SubmissionRejected("XH0123-20261128-0041") // another visit's: nothing changes
	settle(u)
	if !onScreen(u, k.w, u.t("done.accepted")) {
		t.Fatalf("another receipt's refusal changed the screen; texts: %s", k.texts())
	}
	k.s.SubmissionRejected("XH0123-20261128-0042")
	waitForText(t, u, k.w, u.t("done.not_accepted"))
	if onScreen(u, k.w, u.t("done.accepted")) || onScreen(u, k.w, u.t("done.queued")) {
		t.Errorf("已受理 still on screen after the refusal; texts: %s", k.texts())
	}
	if !onScreen(u, k.w, "请到人工窗口办理") {
		t.Errorf("the refusal does not say where to go; texts: %s", k.texts())
	}
	k.tap(t, u.t("common.done"))
	waitScreen(t, u, flow.Attract)
}
