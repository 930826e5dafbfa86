package catalog

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/form"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/rule"
)

// answerCase is one resident with one set of answers, checked against one
// item: either refused by rule `refusedBy` (its index in the item's rules)
// or eligible (refusedBy -1).
type answerCase struct {
	name      string
	item      kiosk.ItemCode
	who       kiosk.Identity
	answers   kiosk.Answers
	today     time.Time
	refusedBy int    // -1: eligible
	reason    string // part of the reason shown when refused
}

func answerCases() []answerCase {
	shanghai := "上海市徐汇区测试路1号"
	jiangsu := "江苏省南京市测试路2号"
	adult := resident("测试甲", shanghai, date(1980, 5, 1), kiosk.SexMale)
	mother := resident("测试乙", shanghai, date(1992, 3, 8), kiosk.SexFemale)
	incomer := resident("测试丙", jiangsu, date(1990, 1, 1), kiosk.SexMale)
	man := func(birth time.Time) kiosk.Identity { return resident("张测试", shanghai, birth, kiosk.SexMale) }
	woman := func(birth time.Time) kiosk.Identity { return resident("李测试", shanghai, birth, kiosk.SexFemale) }
	// Partners' ID numbers: an odd 17th digit is a man, an even one a woman.
	partnerMan := func(birth time.Time) string { return kiosktest.IDNumber("310104", birth, 131) }
	partnerWoman := func(birth time.Time) string { return kiosktest.IDNumber("310104", birth, 132) }
	jul := date(2026, 7, 1)
	marry := func(partner string) kiosk.Answers { return kiosk.Answers{"reg_type": "marry", "partner_id": partner} }
	return []answerCase{
		// 低保: income per head below the standard in force on the day.
		{"dibao: income above the 2025 standard", "dibao", adult, kiosk.Answers{"income_per_capita": "1700"}, jul, 1, "不低于本市低保标准"},
		{"dibao: income equal to the standard is not below it", "dibao", adult, kiosk.Answers{"income_per_capita": "1650"}, jul, 1, "低保标准"},
		{"dibao: income just below the standard", "dibao", adult, kiosk.Answers{"income_per_capita": "1649.5"}, jul, -1, ""},
		{"dibao: no income", "dibao", adult, kiosk.Answers{"income_per_capita": "0"}, jul, -1, ""},
		{"dibao: 1600 is above the 2023 standard", "dibao", adult, kiosk.Answers{"income_per_capita": "1600"}, date(2024, 6, 30), 1, "低保标准"},
		{"dibao: 1600 is below the 2025 standard", "dibao", adult, kiosk.Answers{"income_per_capita": "1600"}, date(2025, 7, 1), -1, ""},
		// 婚姻登记预约: both parties of legal age (men 22, women 20) to marry.
		{"marriage: man of 21", "marriage-appointment", man(date(2005, 1, 1)), marry(partnerWoman(date(2000, 1, 1))), jul, 0, "法定婚龄"},
		{"marriage: man on his 22nd birthday", "marriage-appointment", man(date(2004, 7, 1)), marry(partnerWoman(date(2000, 1, 1))), jul, -1, ""},
		{"marriage: woman of 19", "marriage-appointment", woman(date(2007, 1, 1)), marry(partnerMan(date(2000, 1, 1))), jul, 0, "法定婚龄"},
		{"marriage: woman of 20", "marriage-appointment", woman(date(2006, 1, 1)), marry(partnerMan(date(2000, 1, 1))), jul, -1, ""},
		{"marriage: partner a man of 21", "marriage-appointment", woman(date(2000, 1, 1)), marry(partnerMan(date(2005, 1, 1))), jul, 0, "法定婚龄"},
		{"marriage: partner a woman of 19", "marriage-appointment", man(date(2000, 1, 1)), marry(partnerWoman(date(2007, 1, 1))), jul, 0, "法定婚龄"},
		{"marriage: partner a woman the day before her 20th birthday", "marriage-appointment", man(date(2000, 1, 1)), marry(partnerWoman(date(2006, 7, 2))), jul, 0, "法定婚龄"},
		{"marriage: partner a woman on her 20th birthday", "marriage-appointment", man(date(2000, 1, 1)), marry(partnerWoman(date(2006, 7, 1))), jul, -1, ""},
		{"marriage: divorce has no age rule", "marriage-appointment", man(date(2005, 1, 1)), kiosk.Answers{"reg_type": "divorce", "partner_id": partnerWoman(date(2007, 1, 1))}, jul, -1, ""},
		// 人户分离居住登记: only for a home the resident owns.
		{"separation registration: not the resident's own home", "hukou-separation-registration", adult, kiosk.Answers{"own_property": "no"}, jul, 2, "有产权"},
		{"separation registration: own home", "hukou-separation-registration", adult, kiosk.Answers{"own_property": "yes"}, jul, -1, ""},
		// 居住证: half a year of residence registration.
		{"residence permit: registered less than half a year", "residence-permit", incomer, kiosk.Answers{"registered_half_year": "no"}, jul, 1, "满半年"},
		{"residence permit: registered half a year", "residence-permit", incomer, kiosk.Answers{"registered_half_year": "yes"}, jul, -1, ""},
		// 就业困难人员灵活就业社保费补贴: recognised as hard to employ.
		{"hard-to-employ subsidy: not recognised", "hard-to-employ-insurance-subsidy", adult, kiosk.Answers{"hard_to_employ": "no"}, jul, 0, "就业困难人员"},
		{"hard-to-employ subsidy: recognised", "hard-to-employ-insurance-subsidy", adult, kiosk.Answers{"hard_to_employ": "yes"}, jul, -1, ""},
		// 生育保险待遇: first marriage for both.
		{"maternity benefit: not a first marriage", "maternity-benefit", mother, kiosk.Answers{"first_marriage": "no"}, jul, 2, "初婚"},
		{"maternity benefit: first marriage", "maternity-benefit", mother, kiosk.Answers{"first_marriage": "yes"}, jul, -1, ""},
	}
}

// TestRulesOnAnswers: each eligibility rule that reads the form's answers
// refuses with the answers that should be refused, with its reason, and
// accepts the others. Before the form (no answers) the same residents are
// undecided, waiting for those answers.
func TestRulesOnAnswers(t *testing.T) {
	c := loadEmbedded(t)
	for _, tc := range answerCases() {
		t.Run(tc.name, func(t *testing.T) {
			it, ok := c.Item(tc.item)
			if !ok {
				t.Fatalf("no item %s", tc.item)
			}
			v, err := c.Eligible(tc.item, tc.who, tc.answers, tc.today)
			if err != nil {
				t.Fatal(err)
			}
			if tc.refusedBy < 0 {
				if v.Status != Eligible || v.Err() != nil {
					t.Fatalf("status %v (rule %q, waiting %v), want eligible", v.Status, v.Rule, v.Waiting)
				}
			} else {
				r := it.Rules[tc.refusedBy]
				if v.Status != NotEligible || v.Rule != r.When {
					t.Fatalf("status %v by rule %q (waiting %v), want refused by %q", v.Status, v.Rule, v.Waiting, r.When)
				}
				msg := kiosktest.Words(t, kiosk.MessageOf(v.Err()))
				if !strings.Contains(v.Reason.ZH, tc.reason) || !strings.Contains(msg.ZH, r.Reason.ZH) || msg.EN == "" || msg.ZH == msg.EN ||
					kiosk.KindOf(v.Err()) != kiosk.KindNotEligible {
					t.Errorf("reason %q, message %+v: want the rule's reason, mentioning %q", v.Reason.ZH, msg, tc.reason)
				}
			}
			before, err := c.Eligible(tc.item, tc.who, nil, tc.today)
			if err != nil {
				t.Fatal(err)
			}
			if before.Status != Undecided {
				t.Fatalf("before the form: %v (rule %q), want undecided", before.Status, before.Rule)
			}
			for _, n := range before.Waiting {
				id, _, _ := strings.Cut(n, ".")
				if _, given := tc.answers[id]; !given {
					t.Errorf("before the form: waits for %s, which is not an answer of this case", n)
				}
			}
		})
	}
}

// TestEveryAnswerRuleIsTested: every eligibility rule of the embedded
// catalog that reads an answer has a case above that it refuses and one it
// lets through, so a new rule on answers cannot go untested.
func TestEveryAnswerRuleIsTested(t *testing.T) {
	c := loadEmbedded(t)
	type key struct {
		item kiosk.ItemCode
		rule int
	}
	refused, accepted := map[key]bool{}, map[kiosk.ItemCode]bool{}
	for _, tc := range answerCases() {
		if tc.refusedBy >= 0 {
			refused[key{tc.item, tc.refusedBy}] = true
		} else {
			accepted[tc.item] = true
		}
	}
	n := 0
	for _, it := range c.Items() {
		for ri, r := range it.Rules {
			if !readsAnswers(t, c, it, r.When) {
				continue
			}
			n++
			if !refused[key{it.Code, ri}] || !accepted[it.Code] {
				t.Errorf("%s rules[%d] (%s) reads answers: add a case it refuses and one it accepts", it.Code, ri, r.When)
			}
		}
	}
	if n != 6 {
		t.Errorf("%d rules read answers; the cases above were written for 6", n)
	}
}

// readsAnswers reports whether a rule reads a name that is neither a fact
// nor a parameter: an answer of the item's form.
func readsAnswers(t *testing.T, c *Catalog, it kiosk.Item, src string) bool {
	t.Helper()
	r, err := rule.Parse(src)
	if err != nil {
		t.Fatalf("%s: %v", it.Code, err)
	}
	for _, n := range r.Names() {
		if _, fact := factDecls[n]; !fact && !strings.HasPrefix(n, paramPrefix) {
			return true
		}
	}
	return false
}

// TestEmbeddedRulesAndConditions: every rule and condition of the embedded
// catalog parses and reads only names its side supplies: an eligibility
// rule facts, parameters and its item's form fields; a visibility
// condition only earlier fields of its form, age and card (never a
// parameter, nor a fact only the catalog knows).
func TestEmbeddedRulesAndConditions(t *testing.T) {
	c := loadEmbedded(t)
	rules, conds := 0, 0
	for _, it := range c.Items() {
		fieldIDs := map[string]bool{}
		for _, f := range it.Form {
			fieldIDs[f.ID] = true
		}
		for ri, r := range it.Rules {
			rules++
			e, err := rule.Parse(r.When)
			if err != nil {
				t.Errorf("%s rules[%d]: %v", it.Code, ri, err)
				continue
			}
			if err := e.Check(itemNames{c: c, fields: it.Form}); err != nil {
				t.Errorf("%s rules[%d]: %v", it.Code, ri, err)
			}
			for _, n := range e.Names() {
				id, _, _ := strings.Cut(n, ".")
				_, fact := factDecls[n]
				if !fact && !strings.HasPrefix(n, paramPrefix) && !fieldIDs[id] {
					t.Errorf("%s rules[%d] reads %s: not a fact, parameter or field", it.Code, ri, n)
				}
			}
		}
		for fi, f := range it.Form {
			if f.VisibleIf == "" {
				continue
			}
			conds++
			e, err := rule.Parse(f.VisibleIf)
			if err != nil {
				t.Errorf("%s form[%d]: %v", it.Code, fi, err)
				continue
			}
			earlier := map[string]bool{form.NameAge: true, form.NameCard: true}
			for _, g := range it.Form[:fi] {
				earlier[g.ID] = true
			}
			for _, n := range e.Names() {
				if id, _, _ := strings.Cut(n, "."); !earlier[id] {
					t.Errorf("%s form[%d] (%s) reads %s, which the form does not supply", it.Code, fi, f.ID, n)
				}
			}
		}
		if probs := form.CheckConditions(it.Form); len(probs) > 0 {
			t.Errorf("%s: %v", it.Code, probs)
		}
	}
	// The counts of today's catalog: a drop means rules were lost. (Merging
	// 敬老卡 into 老年综合津贴 and the two 长护险 items into the care-needs
	// assessment took their duplicate rules and form conditions with them.)
	if rules < 22 || conds < 42 {
		t.Errorf("%d rules and %d conditions, want at least 22 and 42", rules, conds)
	}
	t.Logf("%d eligibility rules and %d visibility conditions", rules, conds)
}

// A tiered parameter and a missing one never get a value; a rule reading
// one stays undecided rather than deciding on a made-up number.
func TestParamValues(t *testing.T) {
	c := loadEmbedded(t)
	vals := &itemValues{c: c, facts: facts{today: date(2026, 7, 1)}, answers: form.AnswerValues(nil, nil, time.Time{})}
	if v, ok := vals.Value("param.dibao_standard"); !ok || v.String() != "1650" {
		t.Errorf("param.dibao_standard = %v, %v", v, ok)
	}
	for _, n := range []string{"param.senior_allowance", "param.nothing"} {
		if v, ok := vals.Value(n); ok {
			t.Errorf("%s = %v, want no value", n, v)
		}
	}
	early := &itemValues{c: c, facts: facts{today: date(2010, 1, 1)}, answers: vals.answers}
	if v, ok := early.Value("param.dibao_standard"); ok {
		t.Errorf("param.dibao_standard before its first value = %v", v)
	}
}

// TestRulesOnAnswersFromTheForm runs the same cases through the form
// engine: the answers are typed into the item's form (the rest filled in
// plainly), and what form.Answers hands over at review is what Eligible
// judges. It proves the rules read the answers the form really submits.
func TestRulesOnAnswersFromTheForm(t *testing.T) {
	c := loadEmbedded(t)
	places, err := form.LoadPlaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range answerCases() {
		t.Run(tc.name, func(t *testing.T) {
			it, _ := c.Item(tc.item)
			f, err := form.New(it.Form, tc.who, form.Config{Today: tc.today, Places: places})
			if err != nil {
				t.Fatal(err)
			}
			fillForm(t, f, it.Form, tc.answers, tc.today)
			answers, err := f.Answers()
			if err != nil {
				t.Fatalf("the filled form does not validate: %v", err)
			}
			for id, want := range tc.answers {
				if answers[id] != want {
					t.Fatalf("the form submits %s = %q, the case says %q", id, answers[id], want)
				}
			}
			v, err := c.Eligible(tc.item, tc.who, answers, tc.today)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tc.refusedBy < 0 && v.Status != Eligible:
				t.Errorf("status %v by %q (waiting %v), want eligible", v.Status, v.Rule, v.Waiting)
			case tc.refusedBy >= 0 && (v.Status != NotEligible || v.Rule != it.Rules[tc.refusedBy].When):
				t.Errorf("status %v by %q, want refused by rules[%d]", v.Status, v.Rule, tc.refusedBy)
			}
		})
	}
}

// fillForm answers every field the card did not fill: with the case's
// answer where it has one, otherwise with a plain valid value.
func fillForm(t *testing.T, f *form.Form, fields []kiosk.Field, answers kiosk.Answers, today time.Time) {
	t.Helper()
	for _, fd := range fields {
		if view, _ := f.Field(fd.ID); view.FromCard || !f.Visible(fd.ID) {
			continue
		}
		var err error
		switch fd.Type {
		case kiosk.FieldAddress:
			err = f.SetAddress(fd.ID, form.Address{District: "310104", Street: "田林街道", Detail: "测试路100弄1号101室"})
		case kiosk.FieldFamily:
			err = f.SetMembers(fd.ID, []form.Member{{Name: "测试丁", Relation: "child", IDNumber: kiosktest.IDNumber("310104", date(2015, 2, 3), 246),
				Sex: "male", Hukou: "shanghai", Employment: "student", Income: "0", Disability: "none"}})
		case kiosk.FieldSignature:
			err = f.SetSignature(fd.ID, signaturePNG(t))
		default:
			v, ok := answers[fd.ID]
			if !ok {
				v = plainAnswer(fd, today)
			}
			err = f.Set(fd.ID, v)
		}
		if err != nil {
			t.Fatalf("%s: %v", fd.ID, err)
		}
	}
}

func plainAnswer(fd kiosk.Field, today time.Time) string {
	switch fd.Type {
	case kiosk.FieldNumber:
		if fd.Min != nil {
			return fmt.Sprint(*fd.Min)
		}
		return "1"
	case kiosk.FieldDate:
		return today.AddDate(0, 0, -30).Format(time.DateOnly)
	case kiosk.FieldChoice:
		return fd.Options[0].Value
	case kiosk.FieldYesNo, kiosk.FieldConsent:
		return form.Yes
	case kiosk.FieldPhone:
		return "13812345678"
	case kiosk.FieldIDNumber:
		return kiosktest.IDNumber("310104", date(1990, 4, 5), 357)
	case kiosk.FieldBank:
		return "6222020200112233446"
	}
	return "测试"
}

func signaturePNG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 60, 20))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestRulesOnTypedAnswers: a session keeps answers as the resident typed
// them; the rules read them as the form does, so "1,700" is above the 低保
// standard and 否 is no, rather than undecided or misread.
func TestRulesOnTypedAnswers(t *testing.T) {
	c := loadEmbedded(t)
	adult := resident("测试甲", "上海市徐汇区测试路1号", date(1980, 5, 1), kiosk.SexMale)
	jul := date(2026, 7, 1)
	tests := []struct {
		item    kiosk.ItemCode
		answers kiosk.Answers
		want    Status
	}{
		{"dibao", kiosk.Answers{"income_per_capita": "1,700"}, NotEligible},
		{"dibao", kiosk.Answers{"income_per_capita": " 1200.5 "}, Eligible},
		{"dibao", kiosk.Answers{"income_per_capita": "一千七"}, Undecided}, // the form refuses it: no value
		{"hard-to-employ-insurance-subsidy", kiosk.Answers{"hard_to_employ": "否"}, NotEligible},
		{"hard-to-employ-insurance-subsidy", kiosk.Answers{"hard_to_employ": "是"}, Eligible},
		{"hard-to-employ-insurance-subsidy", kiosk.Answers{"hard_to_employ": "Y"}, Eligible},
		{"marriage-appointment", kiosk.Answers{"reg_type": "marry", "partner_id": strings.ToLower(kiosktest.IDNumber("310104", date(2006, 7, 2), 132))}, NotEligible},
	}
	for _, tc := range tests {
		v, err := c.Eligible(tc.item, adult, tc.answers, jul)
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != tc.want {
			t.Errorf("%s with %v: %v (rule %q, waiting %v), want %v", tc.item, tc.answers, v.Status, v.Rule, v.Waiting, tc.want)
		}
	}
}
