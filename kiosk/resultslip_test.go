package kiosk

import "testing"

func TestResultMasked(t *testing.T) {
	r := QueryResult{Fields: []ResultField{
		{Label: Text{ZH: "月养老金"}, Value: "4,321.00元"},
		{Label: Text{ZH: "银行账号"}, Value: "6222020000001234567", Private: true},
		{Label: Text{ZH: "住址"}, Value: "测试路1号", Private: true},
		{Label: Text{ZH: "姓名"}, Value: "测试甲", Private: true},
		{Label: Text{ZH: "配偶"}, Value: "Test Person", Private: true},
		{Label: Text{ZH: "户籍地址"}, Value: "上海市徐汇区测试街道测试路一千弄", Private: true},
		{Label: Text{ZH: "村名"}, Value: "测试一村", Private: true},
		{Label: Text{ZH: "路名"}, Value: "测试路一号", Private: true},
	}}
	m := r.Masked()
	want := []string{"4,321.00元", "622202*********4567", "*****", "测*甲", "T*** P*****", "上海市徐汇区****", "测**村", "测****"}
	for i, f := range m.Fields {
		if f.Value != want[i] {
			t.Errorf("field %d shown as %q, want %q", i, f.Value, want[i])
		}
		if again := f.Shown(); again != f.Value {
			t.Errorf("masking %q again gave %q", f.Value, again)
		}
	}
	if r.Fields[1].Value != "6222020000001234567" {
		t.Error("Masked changed the result it copied")
	}
}
