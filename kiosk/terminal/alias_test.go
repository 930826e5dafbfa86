package terminal

import (
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/catalog"
	"github.com/tongban/tongban/kiosk/flow"
	servicescatalog "github.com/tongban/tongban/services-catalog"
)

// TestQueuedOldCodeStillResolves: a submission queued before 敬老卡 was
// merged into 老年综合津贴 names the old code. The running catalog finds
// the merged item by it, so the staff's reprint (queueReceipts.Receipt)
// rebuilds the receipt with the item's promise and what to bring, not the
// bare placeholder of an unknown item; the screens' figures come from the
// same running catalog.
func TestQueuedOldCodeStillResolves(t *testing.T) {
	c, err := catalog.Load(servicescatalog.FS())
	if err != nil {
		t.Fatal(err)
	}
	cs := &catalogs{cur: c, src: sourceEmbedded}
	sub := kiosk.Submission{Item: "senior-card", ItemName: kiosk.Text{ZH: "敬老卡申领、发放"},
		Applicant: kiosk.Identity{Card: kiosk.CardResident, Name: "测试甲", Number: "310104194001010018"},
		CreatedAt: time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC)}
	for _, code := range []kiosk.ItemCode{"senior-card", "ltc-insurance", "home-care-ltc"} {
		if _, ok := cs.Item(code); !ok {
			t.Errorf("the running catalog does not find the old code %s", code)
		}
	}
	it, ok := cs.Item(sub.Item)
	if !ok || it.Code != "senior-allowance" {
		t.Fatalf("Item(senior-card) = %s, %v", it.Code, ok)
	}
	r := flow.ReceiptOf(flow.Terminal{CenterName: "测试中心"}, it, sub, nil)
	if r.Promise.Days != 30 || r.AfterDone.ZH == "" {
		t.Errorf("the reprinted receipt promises %+v, after done %q: want the merged item's 30 working days", r.Promise, r.AfterDone.ZH)
	}
	if got := cs.Figures(it, sub.CreatedAt); len(got) != len(c.Figures(it, sub.CreatedAt)) {
		t.Errorf("figures through the holder = %v", got)
	}
}
