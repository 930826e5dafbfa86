package form

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/rule"
)

func nameFields() []kiosk.Field {
	l := txt("项", "Item")
	return []kiosk.Field{
		{ID: "income", Type: kiosk.FieldNumber, Label: l},
		{ID: "since", Type: kiosk.FieldDate, Label: l},
		{ID: "purpose", Type: kiosk.FieldChoice, Label: l, Options: []kiosk.Option{{Value: "rent", Label: l}, {Value: "other", Label: l}}},
		{ID: "proxy", Type: kiosk.FieldYesNo, Label: l},
		{ID: "partner", Type: kiosk.FieldIDNumber, Label: l},
		{ID: "home", Type: kiosk.FieldAddress, Label: l},
		{ID: "members", Type: kiosk.FieldFamily, Label: l},
		{ID: "note", Type: kiosk.FieldText, Label: l},
		{ID: "sign", Type: kiosk.FieldSignature, Label: l},
	}
}

// TestAnswerValues: submitted answers (as form.Answers writes them) read
// as typed values, parts included; what is not answered has no value.
func TestAnswerValues(t *testing.T) {
	answers := kiosk.Answers{
		"income":  "1650.5",
		"since":   "2026-03-01",
		"purpose": "rent",
		"proxy":   "no",
		"partner": idSpouse, // a woman born 1960-07-15
		"home":    `{"district":"徐汇区","district_code":"310104","street":"田林街道","detail":"测试路1号"}`,
		"members": `[{"name":"测试甲","relation":"child","id_number":"x"},{"name":"测试乙","relation":"child","id_number":"y"}]`,
		"note":    "  ",
		"sign":    "yes",
	}
	vals := AnswerValues(nameFields(), answers, today) // 2026-11-28
	tests := []struct {
		name  string
		typ   rule.Type
		value string // "" with typ NoType: no value
	}{
		{"income", rule.Number, "1650.5"},
		{"since", rule.Date, "2026-03-01"},
		{"purpose", rule.Text, "rent"},
		{"proxy", rule.Text, "no"},
		{"partner", rule.Text, idSpouse},
		{"partner.age", rule.Number, "66"},
		{"partner.sex", rule.Text, "female"},
		{"partner.birth_date", rule.Date, "1960-07-15"},
		{"home.district", rule.Text, "徐汇区"},
		{"home.street", rule.Text, "田林街道"},
		{"members.count", rule.Number, "2"},
		{"note", rule.NoType, ""}, // blank: not answered
		{"sign", rule.NoType, ""}, // a signature is never a value
		{"home", rule.NoType, ""}, // an address only by its parts
		{"members", rule.NoType, ""},
		{"income.part", rule.NoType, ""},
		{"absent", rule.NoType, ""},
	}
	for _, tc := range tests {
		v, ok := vals.Value(tc.name)
		switch {
		case tc.typ == rule.NoType && ok:
			t.Errorf("%s = %v (%v), want no value", tc.name, v, v.Type())
		case tc.typ != rule.NoType && (!ok || v.Type() != tc.typ || v.String() != tc.value):
			t.Errorf("%s = %q (%v, %v), want %q (%v)", tc.name, v.String(), v.Type(), ok, tc.value, tc.typ)
		}
	}
	// Broken submitted values have no value rather than a wrong one.
	broken := AnswerValues(nameFields(), kiosk.Answers{"income": "lots", "since": "1 March", "partner": "123", "home": "{", "members": "[1,"}, today)
	for _, n := range []string{"income", "since", "partner.age", "partner.sex", "home.district", "members.count"} {
		if v, ok := broken.Value(n); ok {
			t.Errorf("broken %s = %v, want no value", n, v)
		}
	}
	// Answers a session keeps as typed are read as the form reads them.
	typed := AnswerValues(nameFields(), kiosk.Answers{"income": " 1,700 ", "since": "2026/3/1", "proxy": "是", "partner": strings.ToLower(idSpouse)}, today)
	for n, want := range map[string]string{"income": "1700", "since": "2026-03-01", "proxy": "yes", "partner": idSpouse, "partner.age": "66"} {
		if v, ok := typed.Value(n); !ok || v.String() != want {
			t.Errorf("typed %s = %q, %v; want %q", n, v.String(), ok, want)
		}
	}
	// Answers the form would refuse have no value.
	refused := AnswerValues(nameFields(), kiosk.Answers{"purpose": "buy", "proxy": "maybe", "partner": "310104195803010016"}, today)
	for _, n := range []string{"purpose", "proxy", "partner", "partner.age"} {
		if v, ok := refused.Value(n); ok {
			t.Errorf("refused %s = %v, want no value", n, v)
		}
	}
	// Without a day, an age cannot be known.
	if v, ok := AnswerValues(nameFields(), answers, time.Time{}).Value("partner.age"); ok {
		t.Errorf("partner.age without a day = %v", v)
	}
}

// TestFieldNames: every answer is declared with the type AnswerValues gives
// it, and names that are no field's are ErrNotAField.
func TestFieldNames(t *testing.T) {
	names := FieldNames(nameFields())
	want := map[string]rule.Type{
		"income": rule.Number, "since": rule.Date, "purpose": rule.Text, "proxy": rule.Text, "partner": rule.Text,
		"partner.age": rule.Number, "partner.sex": rule.Text, "partner.birth_date": rule.Date,
		"home.district": rule.Text, "home.street": rule.Text, "members.count": rule.Number, "note": rule.Text,
	}
	for n, typ := range want {
		if d, err := names.Decl(n); err != nil || d.Type != typ {
			t.Errorf("Decl(%s) = %v, %v; want %v", n, d, err, typ)
		}
	}
	if d, _ := names.Decl("purpose"); len(d.Values) != 2 || d.Values[0] != "rent" {
		t.Errorf("purpose values = %v", d.Values)
	}
	if d, _ := names.Decl("proxy"); len(d.Values) != 2 || d.Values[0] != Yes || d.Values[1] != No {
		t.Errorf("proxy values = %v", d.Values)
	}
	for _, n := range []string{"home", "members", "sign", "income.part", "members.size"} {
		if _, err := names.Decl(n); err == nil || errors.Is(err, ErrNotAField) {
			t.Errorf("Decl(%s) = %v, want a plain refusal", n, err)
		}
	}
	if _, err := names.Decl("age"); !errors.Is(err, ErrNotAField) {
		t.Errorf("Decl(age) = %v: age is the catalog's fact, not a field", err)
	}
}

// TestVisibilityOfUnanswered: in a live form a text answer not given yet
// reads "" (a field shown unless purpose is "rent" shows until it is), a
// number not given yet is unknown (a field shown when income > 0 stays
// hidden), and a hidden field reads as not answered.
func TestVisibilityOfUnanswered(t *testing.T) {
	l := txt("项", "Item")
	fields := []kiosk.Field{
		{ID: "purpose", Type: kiosk.FieldChoice, Label: l, Options: []kiosk.Option{{Value: "rent", Label: l}, {Value: "other", Label: l}}},
		{ID: "unit", Type: kiosk.FieldText, Label: l, VisibleIf: `purpose != "rent"`},
		{ID: "income", Type: kiosk.FieldNumber, Label: l},
		{ID: "payslip", Type: kiosk.FieldText, Label: l, VisibleIf: `income > 0`},
		{ID: "no_income", Type: kiosk.FieldText, Label: l, VisibleIf: `!(income > 0)`},
		{ID: "partner", Type: kiosk.FieldIDNumber, Label: l},
		{ID: "guardian", Type: kiosk.FieldText, Label: l, VisibleIf: `partner.age < 18`},
		{ID: "not_male", Type: kiosk.FieldText, Label: l, VisibleIf: `partner.sex != "male"`},
		{ID: "employer", Type: kiosk.FieldText, Label: l, VisibleIf: `unit == ""`},
		{ID: "pensioner", Type: kiosk.FieldText, Label: l, VisibleIf: `age >= 65 && card == "resident"`},
	}
	f := newForm(t, fields, elder())
	steps := []struct {
		do   func()
		want map[string]bool
	}{
		{func() {}, map[string]bool{"unit": true, "payslip": false, "no_income": false, "guardian": false, "not_male": false, "employer": true, "pensioner": true}},
		{func() { must(t, f.Set("purpose", "rent")) }, map[string]bool{"unit": false, "employer": true}},
		{func() { must(t, f.Set("purpose", "other")); must(t, f.Set("unit", "测试单位")) }, map[string]bool{"unit": true, "employer": false}},
		// unit is hidden again: it reads as not answered, whatever it holds.
		{func() { must(t, f.Set("purpose", "rent")) }, map[string]bool{"unit": false, "employer": true}},
		{func() { must(t, f.Set("income", "0")) }, map[string]bool{"payslip": false, "no_income": true}},
		{func() { must(t, f.Set("income", "1,650")) }, map[string]bool{"payslip": true, "no_income": false}},
		{func() { must(t, f.Set("income", "lots")) }, map[string]bool{"payslip": false, "no_income": false}},
		{func() { must(t, f.Set("partner", idNumberFor(t, time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)))) }, map[string]bool{"guardian": true, "not_male": false}},
		{func() { must(t, f.Set("partner", idSpouse)) }, map[string]bool{"guardian": false, "not_male": true}},
	}
	for i, s := range steps {
		s.do()
		for id, want := range s.want {
			if got := f.Visible(id); got != want {
				t.Errorf("step %d: %s visible = %v, want %v", i+1, id, got, want)
			}
		}
	}
	young := elder()
	young.BirthDate = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	if newForm(t, fields, young).Visible("pensioner") {
		t.Error("pensioner shown to a resident of 36")
	}
	permit := elder()
	permit.Card = kiosk.CardPermitHKMOTW
	if newForm(t, fields, permit).Visible("pensioner") {
		t.Error("pensioner shown to a permit holder")
	}
}

// idNumberFor returns a synthetic valid ID number of a man born on birth.
func idNumberFor(t *testing.T, birth time.Time) string {
	t.Helper()
	body := "310104" + birth.Format("20060102") + "013"
	for c := byte('0'); c <= '9'; c++ {
		if n, msg := checkIDNumber(body+string(c), today); msg.IsZero() {
			return n
		}
	}
	if n, msg := checkIDNumber(body+"X", today); msg.IsZero() {
		return n
	}
	t.Fatal("no check character")
	return ""
}
