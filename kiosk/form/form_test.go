package form

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func txt(zh, en string) kiosk.Text { return kiosk.Text{ZH: zh, EN: en} }

// sampleFields is a form in the spirit of 低保 and 老年综合津贴 (reference/
// catalog.md §3.1–3.2), with every field type.
func sampleFields() []kiosk.Field {
	return []kiosk.Field{
		{ID: "name", Type: kiosk.FieldText, Label: txt("姓名", "Name"), Required: true, Prefill: kiosk.PrefillName},
		{ID: "sex", Type: kiosk.FieldChoice, Label: txt("性别", "Sex"), Prefill: kiosk.PrefillSex,
			Options: []kiosk.Option{{Value: "male", Label: txt("男", "Male")}, {Value: "female", Label: txt("女", "Female")}}},
		{ID: "birth", Type: kiosk.FieldDate, Label: txt("出生日期", "Date of birth"), Prefill: kiosk.PrefillBirthDate},
		{ID: "pid", Type: kiosk.FieldIDNumber, Label: txt("身份证号码", "ID number"), Required: true, Prefill: kiosk.PrefillIDNumber},
		{ID: "home", Type: kiosk.FieldAddress, Label: txt("户籍地址", "Registered address"), Required: true, Prefill: kiosk.PrefillAddress},
		{ID: "phone", Type: kiosk.FieldPhone, Label: txt("联系电话", "Phone number"), Required: true},
		{ID: "marital", Type: kiosk.FieldChoice, Label: txt("婚姻状况", "Marital status"), Required: true,
			Options: []kiosk.Option{{Value: "single", Label: txt("未婚", "Single")}, {Value: "married", Label: txt("已婚", "Married")},
				{Value: "divorced", Label: txt("离异", "Divorced")}, {Value: "widowed", Label: txt("丧偶", "Widowed")}}},
		{ID: "spouse_name", Type: kiosk.FieldText, Label: txt("配偶姓名", "Spouse's name"), Required: true, VisibleIf: `marital == "married"`},
		{ID: "spouse_id", Type: kiosk.FieldIDNumber, Label: txt("配偶身份证号码", "Spouse's ID number"), Required: true, VisibleIf: `marital == "married"`},
		{ID: "has_income", Type: kiosk.FieldYesNo, Label: txt("是否有收入", "Do you have an income?"), Required: true},
		{ID: "income", Type: kiosk.FieldNumber, Label: txt("月收入（元）", "Monthly income (yuan)"), Required: true, Min: ip(0), Max: ip(100000), VisibleIf: `has_income == "yes"`},
		{ID: "bank", Type: kiosk.FieldChoice, Label: txt("发放银行", "Paying bank"), Required: true, VisibleIf: `age >= 65`,
			Options: []kiosk.Option{{Value: "icbc", Label: txt("工商银行", "ICBC")}, {Value: "bos", Label: txt("上海银行", "Bank of Shanghai")}}},
		{ID: "account", Type: kiosk.FieldBank, Label: txt("银行卡号", "Bank card number"), Required: true},
		{ID: "live", Type: kiosk.FieldAddress, Label: txt("居住地址", "Home address"), Required: true},
		{ID: "care", Type: kiosk.FieldChoice, Label: txt("照护方式", "Care setting"), VisibleIf: `age >= 60 && live.district != ""`,
			Options: []kiosk.Option{{Value: "home", Label: txt("居家", "At home")}, {Value: "institution", Label: txt("机构", "In a care home")}}},
		{ID: "members", Type: kiosk.FieldFamily, Label: txt("共同生活的家庭成员", "Family members living with you"), Max: ip(6)},
		{ID: "reason", Type: kiosk.FieldText, Label: txt("申请理由", "Why you are applying"), Max: ip(200)},
		{ID: "since", Type: kiosk.FieldDate, Label: txt("困难开始日期", "Hardship since")},
		{ID: "consent", Type: kiosk.FieldConsent, Label: txt("同意核对家庭经济状况", "I agree to a check of my family's finances"), Required: true},
		{ID: "sign", Type: kiosk.FieldSignature, Label: txt("申请人签名", "Your signature"), Required: true},
	}
}

// elder is a synthetic resident aged 68 on `today`.
func elder() kiosk.Identity {
	return kiosk.Identity{
		Card: kiosk.CardResident, Name: "张测试", Sex: kiosk.SexFemale, Nation: "汉",
		BirthDate: time.Date(1958, 3, 1, 0, 0, 0, 0, time.UTC),
		Address:   "上海市徐汇区测试路100弄1号101室", Number: idApplicant,
		ValidUntil: time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC),
	}
}

func newForm(t testing.TB, fields []kiosk.Field, id kiosk.Identity) *Form {
	t.Helper()
	f, err := New(fields, id, Config{Today: today, Places: mustPlaces(t)})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// fillAll answers every field of sampleFields for a married resident with
// an income.
func fillAll(t testing.TB, f *Form) {
	t.Helper()
	must(t, f.Set("phone", "138 1234 5678"))
	must(t, f.Set("marital", "married"))
	must(t, f.Set("spouse_name", "李测试"))
	must(t, f.Set("spouse_id", "31010419600715002x"))
	must(t, f.Set("has_income", Yes))
	must(t, f.Set("income", "1,650.50"))
	must(t, f.Set("bank", "bos"))
	must(t, f.Set("account", "6222 0202 0011 2233 446"))
	must(t, f.SetAddress("live", Address{District: "310104", Street: "田林街道", Detail: "测试路100弄1号101室"}))
	must(t, f.Set("care", "home"))
	must(t, f.SetMembers("members", []Member{{Name: "李测试", Relation: "spouse", IDNumber: idSpouse}}))
	must(t, f.Set("reason", "因病支出较大"))
	must(t, f.Set("since", "2026/3/1"))
	must(t, f.Set("consent", Yes))
	must(t, f.SetSignature("sign", pngBytes(t, 600, 200)))
}

func TestPrefillFromCard(t *testing.T) {
	f := newForm(t, sampleFields(), elder())
	want := map[string]string{"name": "张测试", "sex": "female", "birth": "1958-03-01", "pid": idApplicant}
	for id, v := range want {
		view, _ := f.Field(id)
		if view.Value != v || !view.FromCard {
			t.Errorf("%s: value %q fromCard %v, want %q from the card", id, view.Value, view.FromCard, v)
		}
		err := f.Set(id, "王测试")
		if kiosk.KindOf(err) != kiosk.KindInvalid || said(t, kiosk.MessageOf(err)).ZH != "这一项已从身份证读取，不能修改" {
			t.Errorf("Set(%s) on a card field: %v", id, err)
		}
	}
	home, _ := f.Field("home")
	if !home.FromCard || home.Address.District != "徐汇区" || home.Address.Detail != "上海市徐汇区测试路100弄1号101室" {
		t.Errorf("home address: %+v", home)
	}
	if err := f.SetAddress("home", Address{District: "黄浦区"}); kiosk.KindOf(err) != kiosk.KindInvalid {
		t.Errorf("SetAddress on the card address: %v", err)
	}
	phone, _ := f.Field("phone")
	if phone.FromCard || phone.Value != "" || phone.Keypad != KeypadDigits {
		t.Errorf("phone: %+v", phone)
	}
	if said(t, FromCardNote()).ZH != "已从身份证读取" {
		t.Error(FromCardNote())
	}
}

func TestPrefillWhatTheCardLacks(t *testing.T) {
	// A 2023 foreign permanent residence card: Latin name, no address.
	id := kiosk.Identity{Card: kiosk.CardForeignPR2023, NameEN: "TEST PERSON", Sex: kiosk.SexMale,
		BirthDate: time.Date(1980, 1, 2, 0, 0, 0, 0, time.UTC), Number: "933156198001020012"}
	fields := []kiosk.Field{
		{ID: "name", Type: kiosk.FieldText, Label: txt("姓名", "Name"), Prefill: kiosk.PrefillName},
		{ID: "sex", Type: kiosk.FieldText, Label: txt("性别", "Sex"), Prefill: kiosk.PrefillSex},
		{ID: "home", Type: kiosk.FieldAddress, Label: txt("居住地址", "Address"), Required: true, Prefill: kiosk.PrefillAddress},
		{ID: "addr_text", Type: kiosk.FieldText, Label: txt("地址", "Address"), Prefill: kiosk.PrefillAddress},
	}
	f := newForm(t, fields, id)
	if v, _ := f.Field("name"); v.Value != "TEST PERSON" || !v.FromCard {
		t.Errorf("name: %+v", v)
	}
	if v, _ := f.Field("sex"); v.Value != "男" || !v.FromCard {
		t.Errorf("sex: %+v", v)
	}
	home, _ := f.Field("home")
	if home.FromCard {
		t.Error("an address the card does not carry must be editable")
	}
	if es := ErrorsOf(f.Validate()); len(es) != 1 || es[0].Field != "home" || said(t, es[0].Message).ZH != "请选择所在区" {
		t.Errorf("Validate: %v", es)
	}
	must(t, f.SetAddress("home", Address{District: "浦东新区", Street: "花木街道", Detail: "测试路1号"}))
	must(t, f.Set("addr_text", "测试路1号"))
	must(t, f.Validate())
	// Display in English translates the sex read from the card.
	if d := f.Display(kiosk.LangEN, catalogWords(t)); d[1].Value != "Male" {
		t.Errorf("display: %+v", d[1])
	}
}

func TestVisibility(t *testing.T) {
	f := newForm(t, sampleFields(), elder())
	for id, want := range map[string]bool{"spouse_name": false, "income": false, "bank": true, "care": false, "name": true, "nosuch": false} {
		if got := f.Visible(id); got != want {
			t.Errorf("Visible(%s) = %v, want %v", id, got, want)
		}
	}
	must(t, f.Set("marital", "married"))
	must(t, f.Set("has_income", "是"))
	must(t, f.SetAddress("live", Address{District: "徐汇区"}))
	for _, id := range []string{"spouse_name", "spouse_id", "income", "care"} {
		if !f.Visible(id) {
			t.Errorf("%s should show now", id)
		}
	}
	// A younger resident does not see the elderly fields.
	young := elder()
	young.BirthDate = time.Date(1986, 11, 29, 0, 0, 0, 0, time.UTC) // 39 on `today`, 40 tomorrow
	g := newForm(t, sampleFields(), young)
	if g.Visible("bank") || g.Visible("care") {
		t.Error("bank and care are for residents of 65 and 60 and over")
	}
}

func TestVisibilityAtTheBirthday(t *testing.T) {
	fields := []kiosk.Field{{ID: "bank", Type: kiosk.FieldText, Label: txt("银行", "Bank"), VisibleIf: "age >= 65"}}
	for _, c := range []struct {
		birth time.Time
		want  bool
	}{
		{time.Date(1961, 11, 29, 0, 0, 0, 0, time.UTC), false}, // 65 tomorrow
		{time.Date(1961, 11, 28, 0, 0, 0, 0, time.UTC), true},  // 65 today
		{time.Time{}, false}, // no birth date: age unknown
	} {
		id := elder()
		id.BirthDate = c.birth
		if got := newForm(t, fields, id).Visible("bank"); got != c.want {
			t.Errorf("born %s: visible %v, want %v", c.birth.Format("2006-01-02"), got, c.want)
		}
	}
}

func TestHiddenAnswersAreNotCheckedNorSubmitted(t *testing.T) {
	f := newForm(t, sampleFields(), elder())
	fillAll(t, f)
	must(t, f.Set("spouse_id", "bad"))
	if err := f.Validate(); ErrorsOf(err).Of("spouse_id") == nil {
		t.Fatalf("a visible bad spouse ID must be reported, got %v", err)
	}
	must(t, f.Set("marital", "widowed")) // the spouse fields hide
	must(t, f.Set("has_income", No))
	ans, err := f.Answers()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"spouse_name", "spouse_id", "income"} {
		if _, ok := ans[id]; ok {
			t.Errorf("hidden %s was submitted", id)
		}
	}
	// Answers typed before are kept: show the field again and they are back.
	must(t, f.Set("has_income", Yes))
	if ans, _ := f.Answers(); ans["income"] != "1650.5" {
		t.Errorf("income after showing it again: %q", ans["income"])
	}
}

func TestChainedVisibility(t *testing.T) {
	fields := []kiosk.Field{
		{ID: "a", Type: kiosk.FieldYesNo, Label: txt("甲", "A")},
		{ID: "b", Type: kiosk.FieldYesNo, Label: txt("乙", "B"), VisibleIf: `a == "yes"`},
		{ID: "c", Type: kiosk.FieldText, Label: txt("丙", "C"), Required: true, VisibleIf: `b == "yes"`},
	}
	f := newForm(t, fields, elder())
	must(t, f.Set("a", Yes))
	must(t, f.Set("b", Yes))
	if !f.Visible("c") {
		t.Fatal("c should show")
	}
	must(t, f.Set("a", No)) // b hides, so it reads as empty, so c hides too
	if f.Visible("b") || f.Visible("c") {
		t.Fatal("b and c should hide")
	}
	must(t, f.Validate())
}

func pageIDs(pages []Page) [][]string {
	out := make([][]string, len(pages))
	for i, p := range pages {
		for _, v := range p.Fields {
			out[i] = append(out[i], v.Field.ID)
		}
	}
	return out
}

func TestPages(t *testing.T) {
	f := newForm(t, sampleFields(), elder())
	check := func(name string, want [][]string) {
		t.Helper()
		pages := f.Pages()
		if got := pageIDs(pages); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: pages\n got %v\nwant %v", name, got, want)
		}
		for i, p := range pages {
			if p.Index != i || p.Number != i+1 || p.Of != len(want) || len(p.Fields) > PageSize {
				t.Errorf("%s: page %d: %+v", name, i, p)
			}
		}
	}
	check("at the start", [][]string{
		{"name", "sex", "birth", "pid"},
		{"home", "phone", "marital"},
		{"has_income", "bank", "account"},
		{"live"},
		{"members"},
		{"reason", "since", "consent"},
		{"sign"},
	})
	must(t, f.Set("marital", "married"))
	must(t, f.Set("has_income", Yes))
	must(t, f.SetAddress("live", Address{District: "徐汇区"}))
	check("married, with an income, living in 徐汇", [][]string{
		{"name", "sex", "birth", "pid"},
		{"home", "phone", "marital"},
		{"spouse_name", "spouse_id", "has_income", "income"},
		{"bank", "account", "live"},
		{"care"},
		{"members"},
		{"reason", "since", "consent"},
		{"sign"},
	})
	if s := said(t, f.Pages()[2].Step); s.ZH != "第 3 步 / 共 8 步" || s.EN != "Step 3 of 8" {
		t.Errorf("step: %+v", s)
	}
}

func TestNextValidatesThePage(t *testing.T) {
	f := newForm(t, sampleFields(), elder())
	if next, err := f.Next(0); err != nil || next != 1 {
		t.Fatalf("page 1 is all from the card: Next = %d, %v", next, err)
	}
	next, err := f.Next(1)
	if next != 1 || kiosk.KindOf(err) != kiosk.KindInvalid {
		t.Fatalf("Next(1) = %d, %v", next, err)
	}
	es := ErrorsOf(err)
	got := strings.Join(describe(t, es), "; ")
	want := "phone: 请填写联系电话; marital: 请选择婚姻状况"
	if got != want {
		t.Errorf("errors %s, want %s", got, want)
	}
	if m := said(t, kiosk.MessageOf(err)); m.ZH != "有2处需要修改，请看标红的提示" {
		t.Errorf("summary: %+v", m)
	}
	if en := said(t, es[0].Message).EN; en != "Please fill in: Phone number" {
		t.Errorf("English: %q", en)
	}
	must(t, f.Set("phone", "1381234567"))
	must(t, f.Set("marital", "single"))
	_, err = f.Next(1)
	if m := said(t, kiosk.MessageOf(err)); m.ZH != "手机号码应为11位数字" || m.EN != "A mobile number has 11 digits" {
		t.Errorf("one problem: %+v", m)
	}
	must(t, f.Set("phone", "13812345678"))
	if next, err := f.Next(1); err != nil || next != 2 {
		t.Fatalf("Next(1) = %d, %v", next, err)
	}
	if _, err := f.Next(99); kiosk.KindOf(err) != kiosk.KindInternal {
		t.Errorf("Next(99): %v", err)
	}
}

func TestValidateNamesEveryField(t *testing.T) {
	f := newForm(t, sampleFields(), elder())
	must(t, f.Set("marital", "married"))
	must(t, f.Set("has_income", Yes))
	must(t, f.Set("spouse_id", "310104196007150021"))
	must(t, f.Set("income", "abc"))
	must(t, f.SetAddress("live", Address{District: "徐汇区", Street: "张江镇"}))
	must(t, f.SetMembers("members", []Member{{Name: "李测试", Relation: "spouse"}}))
	must(t, f.Set("since", "2026-02-30"))
	must(t, f.SetSignature("sign", []byte("not a png")))
	got := describe(t, ErrorsOf(f.Validate()))
	want := []string{
		"phone: 请填写联系电话",
		"spouse_name: 请填写配偶姓名",
		"spouse_id: 身份证号码有误，请逐位核对",
		"income: 请填写数字，例如 1650 或 1650.5",
		"bank: 请选择发放银行",
		"account: 请填写银行卡号",
		"live.street: 请选择街道或镇",
		"live.detail: 请填写详细地址，例如：XX路XX弄XX号XX室",
		"members[1].id_number: 第1位家庭成员：身份证号码应为18位",
		"since: 没有这一天，请核对日期",
		"consent: 请阅读后勾选同意，才能继续办理",
		"sign: 签名没有保存好，请重写一次",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n got %q\nwant %q", got, want)
	}
	if err := f.ValidateField("phone"); ErrorsOf(err)[0].Field != "phone" {
		t.Errorf("ValidateField: %v", err)
	}
	if err := f.ValidateField("care"); err != nil {
		t.Errorf("a hidden field has no problems: %v", err)
	}
	if err := f.ValidateField("nosuch"); kiosk.KindOf(err) != kiosk.KindInternal {
		t.Errorf("unknown field: %v", err)
	}
	if _, err := f.Answers(); err == nil || f.Consented() || f.Signature() != nil {
		t.Errorf("Answers of an invalid form: %v", err)
	}
}

func TestSetRefusesMisuse(t *testing.T) {
	f := newForm(t, sampleFields(), elder())
	for name, err := range map[string]error{
		"unknown field":             f.Set("nosuch", "x"),
		"Set on an address":         f.Set("live", "徐汇区"),
		"Set on a family list":      f.Set("members", "x"),
		"Set on a signature":        f.Set("sign", "x"),
		"SetAddress on a phone":     f.SetAddress("phone", Address{}),
		"SetMembers on a phone":     f.SetMembers("phone", nil),
		"SetSignature on text":      f.SetSignature("reason", []byte{1}),
		"SetMember out of range":    f.SetMember("members", 1, Member{}),
		"RemoveMember out of range": f.RemoveMember("members", 0),
	} {
		if kiosk.KindOf(err) != kiosk.KindInternal {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestFamilyAddRemove(t *testing.T) {
	f := newForm(t, sampleFields(), elder())
	a := Member{Name: "甲测试", Relation: "child", IDNumber: idChild}
	b := Member{Name: "乙测试", Relation: "spouse", IDNumber: idSpouse}
	for i, m := range []Member{a, {}, b} {
		n, err := f.AddMember("members", m)
		if err != nil || n != i+1 {
			t.Fatalf("AddMember: %d, %v", n, err)
		}
	}
	must(t, f.RemoveMember("members", 2))
	must(t, f.SetMember("members", 2, Member{Name: "乙测试", Relation: "spouse", IDNumber: "31010419600715002x"}))
	v, _ := f.Field("members")
	if len(v.Members) != 2 || v.Members[0] != a || v.Members[1].Name != "乙测试" {
		t.Fatalf("members: %+v", v.Members)
	}
	if err := f.ValidateField("members"); err != nil {
		t.Fatal(err)
	}
	v.Members[0].Name = "changed" // a view is a copy
	if w, _ := f.Field("members"); w.Members[0].Name != "甲测试" {
		t.Error("the view shares the form's list")
	}
}

func TestAnswers(t *testing.T) {
	f := newForm(t, sampleFields(), elder())
	fillAll(t, f)
	got, err := f.Answers()
	if err != nil {
		t.Fatal(err)
	}
	want := kiosk.Answers{
		"name": "张测试", "sex": "female", "birth": "1958-03-01", "pid": idApplicant,
		"home":  `{"district":"徐汇区","district_code":"310104","detail":"上海市徐汇区测试路100弄1号101室"}`,
		"phone": "13812345678", "marital": "married", "spouse_name": "李测试", "spouse_id": idSpouse,
		"has_income": "yes", "income": "1650.5", "bank": "bos", "account": "6222020200112233446",
		"live":    `{"district":"徐汇区","district_code":"310104","street":"田林街道","detail":"测试路100弄1号101室"}`,
		"care":    "home",
		"members": `[{"name":"李测试","relation":"spouse","id_number":"31010419600715002X"}]`,
		"reason":  "因病支出较大", "since": "2026-03-01", "consent": "yes",
	}
	if !reflect.DeepEqual(got, want) {
		for k := range mergeKeys(got, want) {
			if got[k] != want[k] {
				t.Errorf("%s: got %q, want %q", k, got[k], want[k])
			}
		}
	}
	if !f.Consented() {
		t.Error("Consented")
	}
	if sig := f.Signature(); len(sig) == 0 || !checkSignature(sig).IsZero() {
		t.Error("Signature")
	}
	// The family list decodes back into members.
	var ms []Member
	if err := json.Unmarshal([]byte(got["members"]), &ms); err != nil || ms[0].IDNumber != idSpouse {
		t.Errorf("members JSON: %v %+v", err, ms)
	}
}

func mergeKeys(a, b kiosk.Answers) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}

func TestDisplayGolden(t *testing.T) {
	f := newForm(t, sampleFields(), elder())
	fillAll(t, f)
	var b strings.Builder
	for _, lang := range []kiosk.Lang{kiosk.LangZH, kiosk.LangEN} {
		fmt.Fprintf(&b, "# Display(%s)\n", lang)
		for _, l := range f.Display(lang, catalogWords(t)) {
			fmt.Fprintf(&b, "%s\t%s\t%s\n", l.Field, l.Label, l.Value)
		}
	}
	b.WriteString("# DisplayCopy\n")
	dc := f.DisplayCopy(catalogWords(t))
	keys := make([]string, 0, len(dc))
	for k := range dc {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s\t%s\n", k, dc[k])
	}
	golden := filepath.Join("testdata", "display.golden")
	if *update {
		must(t, os.WriteFile(golden, []byte(b.String()), 0o644))
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if b.String() != string(want) {
		t.Errorf("display differs from %s (go test -update to accept):\n%s", golden, b.String())
	}
}

func TestDisplayEmptyAndAsTyped(t *testing.T) {
	f := newForm(t, sampleFields(), elder())
	must(t, f.Set("phone", "123"))
	lines := map[string]string{}
	for _, l := range f.Display(kiosk.LangZH, catalogWords(t)) {
		lines[l.Field] = l.Value
	}
	for id, want := range map[string]string{"phone": "123", "reason": "未填写", "members": "无", "consent": "未同意", "sign": "未签名"} {
		if lines[id] != want {
			t.Errorf("%s: %q, want %q", id, lines[id], want)
		}
	}
}

func TestWipe(t *testing.T) {
	f := newForm(t, sampleFields(), elder())
	fillAll(t, f)
	sigIndex := f.index["sign"]
	sig := f.answers[sigIndex].sig
	members := f.answers[f.index["members"]].members
	f.Wipe()
	for i, b := range sig {
		if b != 0 {
			t.Fatalf("signature byte %d survived the wipe", i)
		}
	}
	if members[0] != (Member{}) {
		t.Fatal("a family member survived the wipe")
	}
	if f.identity != (kiosk.Identity{}) {
		t.Fatal("the identity survived the wipe")
	}
	for _, l := range f.Display(kiosk.LangZH, catalogWords(t)) {
		if strings.Contains(l.Value, "测试") || strings.Contains(l.Value, "310104") || strings.Contains(l.Value, "1381234") {
			t.Errorf("after Wipe %s shows %q", l.Field, l.Value)
		}
	}
	if _, err := f.Answers(); err == nil {
		t.Error("a wiped form has no answers to submit")
	}
	if v, _ := f.Field("name"); v.FromCard || v.Value != "" {
		t.Errorf("name after Wipe: %+v", v)
	}
}

func TestNewRefusesABrokenForm(t *testing.T) {
	_, err := New([]kiosk.Field{{ID: "x", Type: "colour", Label: txt("颜色", "")}}, elder(), Config{Today: today})
	var se *SpecError
	if kiosk.KindOf(err) != kiosk.KindInternal || !errors.As(err, &se) || se.Field != "x" {
		t.Fatalf("New: %v", err)
	}
}

func TestCheck(t *testing.T) {
	label := txt("项目", "Item")
	yes := kiosk.Field{ID: "ok", Type: kiosk.FieldYesNo, Label: label}
	cases := []struct {
		name   string
		fields []kiosk.Field
		want   string // substring of the one problem; "" for none
	}{
		{"the sample", sampleFields(), ""},
		{"no id", []kiosk.Field{{Type: kiosk.FieldText, Label: label}}, "no id"},
		{"bad id", []kiosk.Field{{ID: "has-income", Type: kiosk.FieldText, Label: label}}, "use letters, digits and _"},
		{"reserved id", []kiosk.Field{{ID: "age", Type: kiosk.FieldNumber, Label: label}}, `"age" is reserved`},
		{"duplicate id", []kiosk.Field{yes, yes}, `"ok" used twice`},
		{"unknown type", []kiosk.Field{{ID: "x", Type: "colour", Label: label}}, `unknown type "colour"`},
		{"no label", []kiosk.Field{{ID: "x", Type: kiosk.FieldText, Label: txt(" ", "Item")}}, "no Chinese label"},
		{"choice without options", []kiosk.Field{{ID: "x", Type: kiosk.FieldChoice, Label: label}}, "needs options"},
		{"repeated option", []kiosk.Field{{ID: "x", Type: kiosk.FieldChoice, Label: label,
			Options: []kiosk.Option{{Value: "a", Label: label}, {Value: "a", Label: label}}}}, `"a" used twice`},
		{"option without label", []kiosk.Field{{ID: "x", Type: kiosk.FieldChoice, Label: label,
			Options: []kiosk.Option{{Value: "a"}}}}, "option 1 (a) has no Chinese label"},
		{"options on text", []kiosk.Field{{ID: "x", Type: kiosk.FieldText, Label: label, Options: []kiosk.Option{{Value: "a", Label: label}}}}, "options on a text field"},
		{"min above max", []kiosk.Field{{ID: "x", Type: kiosk.FieldNumber, Label: label, Min: ip(5), Max: ip(1)}}, "min 5 is above max 1"},
		{"max on a date", []kiosk.Field{{ID: "x", Type: kiosk.FieldDate, Label: label, Max: ip(1)}}, "min/max mean nothing on a date field"},
		{"negative text min", []kiosk.Field{{ID: "x", Type: kiosk.FieldText, Label: label, Min: ip(-1)}}, "count characters or members"},
		{"prefill name into a date", []kiosk.Field{{ID: "x", Type: kiosk.FieldDate, Label: label, Prefill: kiosk.PrefillName}}, `prefill "name" does not fit a date field`},
		{"prefill sex into a choice without 男/女", []kiosk.Field{{ID: "x", Type: kiosk.FieldChoice, Label: label, Prefill: kiosk.PrefillSex,
			Options: []kiosk.Option{{Value: "a", Label: label}}}}, `prefill "sex" does not fit`},
		{"unknown prefill", []kiosk.Field{{ID: "x", Type: kiosk.FieldText, Label: label, Prefill: "photo"}}, `prefill "photo"`},
		{"rule does not parse", []kiosk.Field{yes, {ID: "x", Type: kiosk.FieldText, Label: label, VisibleIf: `ok = "yes"`}}, "use == to compare"},
		{"rule reads a later field", []kiosk.Field{{ID: "x", Type: kiosk.FieldText, Label: label, VisibleIf: `ok == "yes"`}, yes}, "ok is not a field before this one"},
		{"rule reads itself", []kiosk.Field{{ID: "x", Type: kiosk.FieldText, Label: label, VisibleIf: `x == "a"`}}, "column 1, at x: a field's condition cannot read the field itself"},
		{"bare word is a name, not text", []kiosk.Field{yes, {ID: "x", Type: kiosk.FieldText, Label: label, VisibleIf: `ok == yes`}}, `column 7, at yes: yes is not a field before this one (nor age or card); if you mean the text, write it in double quotes: "yes"`},
		{"yes/no compared with a value it cannot hold", []kiosk.Field{yes, {ID: "x", Type: kiosk.FieldText, Label: label, VisibleIf: `ok == "true"`}}, `column 7, at "true": "true" is not one of the values it is compared with can hold: "yes", "no"`},
		{"choice compared with a number", []kiosk.Field{{ID: "n", Type: kiosk.FieldChoice, Label: label, Options: []kiosk.Option{{Value: "1", Label: label}}},
			{ID: "x", Type: kiosk.FieldText, Label: label, VisibleIf: `n == 1`}}, "n is text and 1 is a number: they cannot be compared"},
		{"number compared with text", []kiosk.Field{{ID: "n", Type: kiosk.FieldNumber, Label: label}, {ID: "x", Type: kiosk.FieldText, Label: label, VisibleIf: `n > "5"`}}, `n is a number and "5" is text`},
		{"yes/no alone is not a condition", []kiosk.Field{yes, {ID: "x", Type: kiosk.FieldText, Label: label, VisibleIf: `ok`}}, `ok holds text, not true or false: compare it, e.g. ok == "yes"`},
		{"an address is read by parts", []kiosk.Field{{ID: "home", Type: kiosk.FieldAddress, Label: label}, {ID: "x", Type: kiosk.FieldText, Label: label, VisibleIf: `home == "a"`}}, "an address is read by its parts: home.district or home.street"},
		{"a signature cannot be read", []kiosk.Field{{ID: "sig", Type: kiosk.FieldSignature, Label: label}, {ID: "x", Type: kiosk.FieldText, Label: label, VisibleIf: `sig == "a"`}}, "a signature cannot be read by a rule"},
		{"a date is compared with a date", []kiosk.Field{{ID: "d", Type: kiosk.FieldDate, Label: label}, {ID: "x", Type: kiosk.FieldText, Label: label, VisibleIf: `d >= "2014-10"`}}, `a date is written as text year-month-day`},
		{"card holds card types", []kiosk.Field{{ID: "x", Type: kiosk.FieldText, Label: label, VisibleIf: `card == "passport"`}}, `"passport" is not one of the values`},
		{"parts of an ID number", []kiosk.Field{{ID: "pid", Type: kiosk.FieldIDNumber, Label: label}, {ID: "x", Type: kiosk.FieldText, Label: label, VisibleIf: `pid.age >= 18 && pid.sex == "female" && pid.birth_date < "2000-01-01"`}}, ""},
		{"rule reads a part a field lacks", []kiosk.Field{yes, {ID: "x", Type: kiosk.FieldText, Label: label, VisibleIf: `ok.district == "a"`}}, `no part "district"`},
		{"age has no parts", []kiosk.Field{{ID: "x", Type: kiosk.FieldText, Label: label, VisibleIf: `age.years > 1`}}, "age has no parts"},
		{"family count", []kiosk.Field{{ID: "fam", Type: kiosk.FieldFamily, Label: label}, {ID: "x", Type: kiosk.FieldText, Label: label, VisibleIf: `fam.count >= 2 && card == "resident"`}}, ""},
		{"reserved card", []kiosk.Field{{ID: "card", Type: kiosk.FieldText, Label: label}}, `"card" is reserved`},
	}
	for _, c := range cases {
		err := Check(c.fields)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		case c.want != "":
			var se *SpecError
			if !errors.As(err, &se) || se.Index < 1 {
				t.Errorf("%s: not a *SpecError with an index: %v", c.name, err)
			}
		}
	}
}

func TestCheckReportsEveryMistake(t *testing.T) {
	err := Check([]kiosk.Field{{}, {ID: "x", Type: "?", VisibleIf: "y"}})
	if n := strings.Count(err.Error(), "\n") + 1; n != 6 {
		t.Errorf("%d problems, want 6:\n%v", n, err)
	}
}

// TestControlCharactersStripped: what a resident types or pastes, and a
// scanner sends, reaches the answers without control or bidirectional
// formatting characters, in text, address and family-member values alike.
func TestControlCharactersStripped(t *testing.T) {
	f := newForm(t, sampleFields(), elder())
	fillAll(t, f)
	must(t, f.Set("reason", "因病\u202E支出\x00较大\u2066"))
	must(t, f.Set("spouse_name", "李\u202D测试"))
	must(t, f.SetAddress("live", Address{District: "310104", Street: "田林\u200F街道", Detail: "测试路\u2067100弄\x1b1号"}))
	must(t, f.SetMembers("members", []Member{{Name: "李\u202E测试", Relation: "spouse", IDNumber: idSpouse}}))
	must(t, f.SetMember("members", 1, Member{Name: "王\x07测试", Relation: "spouse", IDNumber: idSpouse}))
	if v, _ := f.Field("reason"); v.Value != "因病支出较大" {
		t.Errorf("reason %q", v.Value)
	}
	if v, _ := f.Field("spouse_name"); v.Value != "李测试" {
		t.Errorf("spouse name %q", v.Value)
	}
	answers, err := f.Answers()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(answers)
	for _, c := range []string{"\\u202e", "\\u202d", "\\u200f", "\\u2066", "\\u2067", "\\u0000", "\\u001b", "\\u0007"} {
		if strings.Contains(strings.ToLower(string(b)), c) {
			t.Errorf("the answers hold %s: %s", c, b)
		}
	}
	if !strings.Contains(string(b), "测试路100弄1号") || !strings.Contains(string(b), "王测试") {
		t.Errorf("the cleaned values are not in the answers: %s", b)
	}
}
