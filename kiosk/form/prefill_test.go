package form

import (
	"testing"

	"github.com/tongban/tongban/kiosk"
)

// TestPrefillEveryCardField: every field the ID card gives, 民族 included,
// is filled and read-only; other cards and a 随申码 leave what they do not
// carry empty and editable, and a 随申码 token never lands in an ID field.
func TestPrefillEveryCardField(t *testing.T) {
	fields := []kiosk.Field{
		{ID: "name", Type: kiosk.FieldText, Label: txt("姓名", "Name"), Prefill: kiosk.PrefillName},
		{ID: "sex", Type: kiosk.FieldText, Label: txt("性别", "Sex"), Prefill: kiosk.PrefillSex},
		{ID: "nation", Type: kiosk.FieldText, Label: txt("民族", "Ethnic group"), Prefill: kiosk.PrefillNation},
		{ID: "birth", Type: kiosk.FieldDate, Label: txt("出生日期", "Date of birth"), Prefill: kiosk.PrefillBirthDate},
		{ID: "addr", Type: kiosk.FieldText, Label: txt("户籍地址", "Address"), Prefill: kiosk.PrefillAddress},
		{ID: "pid", Type: kiosk.FieldIDNumber, Label: txt("身份证号码", "ID number"), Prefill: kiosk.PrefillIDNumber},
	}
	foreign := elder()
	foreign.Card, foreign.Nation = kiosk.CardForeignPR2023, "USA"
	qr := kiosk.Identity{Card: kiosk.CardSuishenma, Number: "SSM-TOKEN-0001"}
	cases := []struct {
		name string
		id   kiosk.Identity
		want map[string]string // "" : empty and editable
	}{
		{"resident card", elder(), map[string]string{"name": "张测试", "sex": "女", "nation": "汉",
			"birth": "1958-03-01", "addr": "上海市徐汇区测试路100弄1号101室", "pid": idApplicant}},
		{"foreign PR card", foreign, map[string]string{"name": "张测试", "sex": "女", "nation": "",
			"birth": "1958-03-01", "addr": "上海市徐汇区测试路100弄1号101室", "pid": idApplicant}},
		{"随申码", qr, map[string]string{"name": "", "sex": "", "nation": "", "birth": "", "addr": "", "pid": ""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newForm(t, fields, c.id)
			for id, want := range c.want {
				a := f.answers[f.index[id]]
				if a.text != want {
					t.Errorf("%s = %q, want %q", id, a.text, want)
				}
				if a.fromCard != (want != "") {
					t.Errorf("%s read-only = %v, want %v", id, a.fromCard, want != "")
				}
			}
			if c.id.Card == kiosk.CardSuishenma {
				// The resident types the ID number; the token was never in it.
				must(t, f.Set("pid", idApplicant))
				must(t, f.ValidateField("pid"))
			}
		})
	}
}

func TestPrefillNationFits(t *testing.T) {
	bad := kiosk.Field{ID: "n", Type: kiosk.FieldDate, Label: txt("民族", "Ethnic group"), Prefill: kiosk.PrefillNation}
	if err := Check([]kiosk.Field{bad}); err == nil {
		t.Error("Check accepted a 民族 prefill on a date field")
	}
}
