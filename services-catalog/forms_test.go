package servicescatalog_test

import (
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/catalog"
	"github.com/tongban/tongban/kiosk/form"
	"github.com/tongban/tongban/kiosk/kiosktest"
	servicescatalog "github.com/tongban/tongban/services-catalog"
)

// TestEveryFormWorksInTheEngine checks each item's form with the form
// engine the kiosk uses: the spec is sound, the pages hold at most four
// fields, and the card's data is prefilled, never asked again.
func TestEveryFormWorksInTheEngine(t *testing.T) {
	cat, err := catalog.Load(servicescatalog.FS())
	if err != nil {
		t.Fatal(err)
	}
	rules := form.Rules{Today: func() time.Time { return time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC) }}
	who := kiosktest.Elder()
	forms := 0
	for _, it := range cat.Items() {
		if len(it.Form) == 0 {
			continue
		}
		forms++
		if err := form.Check(it.Form); err != nil {
			t.Errorf("%s (%s): %v", it.Code, it.Name.ZH, err)
			continue
		}
		pre := rules.Prefill(it, who)
		for _, f := range it.Form {
			if f.Prefill != "" && pre[f.ID] == "" && f.Prefill != kiosk.PrefillAddress {
				t.Errorf("%s: field %s should be prefilled from the card", it.Code, f.ID)
			}
		}
		for i, p := range rules.Pages(it, who, pre) {
			if len(p) > form.PageSize {
				t.Errorf("%s: page %d has %d fields", it.Code, i+1, len(p))
			}
		}
	}
	if forms < 60 {
		t.Errorf("only %d items have a form", forms)
	}
}
