package flow

import (
	"testing"

	"github.com/tongban/tongban/kiosk"
)

// TestReceiptNumbersTheParts: a bundle's receipt lists each part under
// the back office's number when it answered, else under the local one;
// a receipt of one item lists none.
func TestReceiptNumbersTheParts(t *testing.T) {
	it := kiosk.Item{Code: "yjs-after-death", Parts: []kiosk.Part{
		{Item: "after-death-benefits-stop", Name: kiosk.Text{ZH: "逝者民政待遇停发"}},
		{Item: "after-death-insurance-settlement", Name: kiosk.Text{ZH: "逝者社会保险待遇结算"}},
	}}
	sub := kiosk.Submission{Item: it.Code, LocalReceipt: "XH0123-20261128-0042", Parts: it.Parts}
	r := ReceiptOf(Terminal{}, it, sub, nil)
	if len(r.Parts) != 2 || r.Parts[0].Number != "XH0123-20261128-0042-1" || r.Parts[1].Number != "XH0123-20261128-0042-2" || r.Parts[1].Name.ZH != "逝者社会保险待遇结算" {
		t.Fatalf("queued receipt parts %+v", r.Parts)
	}
	r.Official = "SQ20261128000000042"
	numberParts(&r)
	if r.Parts[0].Number != "SQ20261128000000042-1" || r.Parts[1].Number != "SQ20261128000000042-2" {
		t.Fatalf("confirmed receipt parts %+v", r.Parts)
	}
	if one := ReceiptOf(Terminal{}, kiosk.Item{}, kiosk.Submission{LocalReceipt: "XH0123-20261128-0043"}, nil); one.Parts != nil {
		t.Fatalf("a receipt of one item lists parts: %+v", one.Parts)
	}
}
