package form_test

import (
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
