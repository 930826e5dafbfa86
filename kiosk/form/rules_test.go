package form_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/form"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

func TestRulesDriveASession(t *testing.T) {
	item := kiosk.Item{Code: "T1", Form: []kiosk.Field{
		{ID: "name", Type: kiosk.FieldText, Label: kiosk.Text{ZH: "姓名"}, Prefill: kiosk.PrefillName, Required: true},
		{ID: "phone", Type: kiosk.FieldPhone, Label: kiosk.Text{ZH: "手机号码"}, Required: true},
		{ID: "married", Type: kiosk.FieldYesNo, Label: kiosk.Text{ZH: "是否已婚"}, Required: true},
		{ID: "spouse_id", Type: kiosk.FieldIDNumber, Label: kiosk.Text{ZH: "配偶身份证号"}, Required: true, VisibleIf: `married == "yes"`},
		{ID: "home", Type: kiosk.FieldAddress, Label: kiosk.Text{ZH: "居住地址"}, Required: true},
		{ID: "sign", Type: kiosk.FieldSignature, Label: kiosk.Text{ZH: "签名"}, Required: true},
	}}
	r := form.Rules{Today: func() time.Time { return time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC) }}
	who := kiosktest.Elder()

	pre := r.Prefill(item, who)
	if pre["name"] != who.Name || len(pre) != 1 {
		t.Fatalf("prefill = %v", pre)
	}
	a := kiosk.Answers{"name": who.Name, "phone": "1380013", "married": "no"}
	pages := r.Pages(item, who, a)
	var ids []string
	for _, p := range pages {
		for _, f := range p {
			ids = append(ids, f.ID)
		}
	}
	for _, id := range ids {
		if id == "spouse_id" || id == "sign" {
			t.Fatalf("pages show %s: %v", id, ids)
		}
	}
	errs := r.Validate(item, item.Form, who, a)
	if errs["phone"].IsZero() || errs["home"].IsZero() {
		t.Fatalf("errors = %v, want phone and home", errs)
	}
	if _, ok := errs["spouse_id"]; ok {
		t.Fatal("a hidden field was validated")
	}
	if _, ok := errs["sign"]; ok {
		t.Fatal("the signature field is the session's, not the form's")
	}

	a["phone"] = "13800138000"
	a["married"] = "yes"
	a["spouse_id"] = "310101198806122340"
	a["home"] = `{"district":"徐汇区","street":"田林街道","detail":"测试路1号"}`
	if errs := r.Validate(item, item.Form, who, a); len(errs) != 0 {
		t.Fatalf("good answers refused: %v", errs)
	}
	a["home"] = `{"district":"火星区","detail":"x"}`
	if errs := r.Validate(item, item.Form, who, a); errs["home"].IsZero() {
		t.Fatal("an unknown district was accepted")
	}
}

// The card's address is an answer like any other: before, an address
// field prefilled from the card was marked 已从身份证读取 with an empty
// value, shown as （未填写） on the review and submitted empty.
func TestRulesPrefillTheCardAddress(t *testing.T) {
	item := kiosk.Item{Code: "T2", Form: []kiosk.Field{
		{ID: "home", Type: kiosk.FieldAddress, Label: kiosk.Text{ZH: "户籍地址"}, Prefill: kiosk.PrefillAddress, Required: true},
	}}
	r := form.Rules{Today: func() time.Time { return time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC) }}
	who := kiosktest.Elder()
	if who.Address == "" {
		t.Fatal("the synthetic elder's card has no address")
	}
	pre := r.Prefill(item, who)
	var got form.Address
	if err := json.Unmarshal([]byte(pre["home"]), &got); err != nil || got.Detail != who.Address {
		t.Fatalf("prefilled address %q (%v), want the card's %q", pre["home"], err, who.Address)
	}
	pages := r.Pages(item, who, pre)
	if len(pages) == 0 {
		t.Fatal("no page")
	}
	if errs := r.Validate(item, pages[0], who, pre); len(errs) > 0 {
		t.Fatalf("the card's address is refused: %v", errs)
	}
}
