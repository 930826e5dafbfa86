package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/i18n"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// returnedStatus is a submission the back office's staff returned, with
// their reason.
type returnedStatus struct{}

func (returnedStatus) Status(_ context.Context, receipt string) (kiosk.SubmissionStatus, error) {
	return kiosk.SubmissionStatus{LocalReceipt: receipt, Item: testItem.Name, State: kiosk.StateAcknowledged,
		Progress: kiosk.Text{ZH: "已退回。", EN: "Returned."},
		Reason:   kiosk.Text{ZH: "材料不齐全：缺户口簿", EN: "Documents incomplete: household register missing"}}, nil
}

// TestQueryShowsReason: the progress query shows why staff returned a
// submission, in the resident's language.
func TestQueryShowsReason(t *testing.T) {
	words, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang          kiosk.Lang
		state, reason string
	}{
		{kiosk.LangZH, "已退回。", "材料不齐全：缺户口簿"},
		{kiosk.LangEN, "Returned.", "Documents incomplete: household register missing"},
	} {
		a := test.NewTempApp(t)
		w := a.NewWindow("kiosk")
		w.Resize(fyne.NewSize(1920, 1080))
		clock := kiosktest.NewClock(time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC))
		s := flow.New(flow.Deps{Clock: clock, Reader: kiosktest.NewReader(), Queue: &kiosktest.Queue{}, Printer: &kiosktest.Printer{},
			Catalog: oneCatalog{}, Forms: onePage{}, Tickets: fakeTickets{}, Status: returnedStatus{},
			Numbers: func(time.Time) (string, string, error) { return "id-1", "XH0123-20261128-0042", nil }})
		u := New(s, w, Options{CenterName: "测试中心", Browser: fakeBrowser{items: []kiosk.Item{testItem}}, Clock: clock, Words: words})
		s.SetLanguage(tc.lang)
		s.Scanned(kiosk.ScannedCode{Kind: kiosk.ScanProgress, Receipt: "XH0123-20261128-0042"})
		waitForText(t, u, w, tc.state)
		waitForText(t, u, w, tc.reason)
	}
}

// bundleStatus is a 一件事 whose staff took in one part and returned the
// other.
type bundleStatus struct{}

func (bundleStatus) Status(_ context.Context, receipt string) (kiosk.SubmissionStatus, error) {
	return kiosk.SubmissionStatus{LocalReceipt: receipt, Item: kiosk.Text{ZH: "退休一件事"}, State: kiosk.StateAcknowledged,
		Progress: kiosk.Text{ZH: "已收到。", EN: "Received."},
		Parts: []kiosk.PartStatus{
			{Item: kiosk.Text{ZH: "职工退休申请"}, Number: "SQ1-1", Progress: kiosk.Text{ZH: "已受理", EN: "Taken in"}},
			{Item: kiosk.Text{ZH: "职工医保退休人员待遇核定"}, Number: "SQ1-2", Progress: kiosk.Text{ZH: "已退回", EN: "Returned"},
				Reason: kiosk.Text{ZH: "缴费年限不足", EN: "Too few years"}},
		}}, nil
}

// TestQueryShowsEachPart: the progress query of a bundle shows each part
// with its number, progress and reason, in the resident's language.
func TestQueryShowsEachPart(t *testing.T) {
	words, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang     kiosk.Lang
		one, two string
	}{
		{kiosk.LangZH, "1. 职工退休申请  SQ1-1：已受理", "2. 职工医保退休人员待遇核定  SQ1-2：已退回 — 缴费年限不足"},
		{kiosk.LangEN, "1. 职工退休申请  SQ1-1: Taken in", "2. 职工医保退休人员待遇核定  SQ1-2: Returned — Too few years"},
	} {
		a := test.NewTempApp(t)
		w := a.NewWindow("kiosk")
		w.Resize(fyne.NewSize(1920, 1080))
		clock := kiosktest.NewClock(time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC))
		s := flow.New(flow.Deps{Clock: clock, Reader: kiosktest.NewReader(), Queue: &kiosktest.Queue{}, Printer: &kiosktest.Printer{},
			Catalog: oneCatalog{}, Forms: onePage{}, Tickets: fakeTickets{}, Status: bundleStatus{},
			Numbers: func(time.Time) (string, string, error) { return "id-1", "XH0123-20261128-0042", nil }})
		u := New(s, w, Options{CenterName: "测试中心", Browser: fakeBrowser{items: []kiosk.Item{testItem}}, Clock: clock, Words: words})
		s.SetLanguage(tc.lang)
		s.Scanned(kiosk.ScannedCode{Kind: kiosk.ScanProgress, Receipt: "XH0123-20261128-0042"})
		waitForText(t, u, w, tc.one)
		waitForText(t, u, w, tc.two)
	}
}
