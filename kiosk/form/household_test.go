package form

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/tongban/tongban/kiosk"
)

// householdField is a 低保-style household list: every part, a household of
// one allowed, a newborn by birth certificate.
func householdField() kiosk.Field {
	return kiosk.Field{ID: "members", Type: kiosk.FieldFamily, Label: txt("共同生活的家庭成员", "Household members"), Required: true,
		Member: &kiosk.MemberSpec{AloneOK: true, BirthCert: true, Parts: []kiosk.MemberPart{
			kiosk.MemberHukou, kiosk.MemberEmployment, kiosk.MemberIncome, kiosk.MemberDisability}}}
}

// fullMember is a household member with every part answered.
func fullMember(name, rel, id string) Member {
	return Member{Name: name, Relation: rel, IDNumber: id, Hukou: "shanghai", Employment: "employed", Income: "3200", Disability: "none"}
}

func TestCheckBirthCert(t *testing.T) {
	cases := []struct {
		in, want string // want "" means refused
	}{
		{"P310012345", "P310012345"},
		{"p310012345", "P310012345"},   // lower-case letter
		{"Ｐ３１００１２３４５", "P310012345"},   // full-width, as some IMEs type it
		{"P 3100 12345", "P310012345"}, // spaced as printed
		{"X320101001", "X320101001"},   // the seventh edition's first in 无锡
		{"P31001234", ""},              // 8 digits
		{"P3100123456", ""},            // 10 digits
		{"3310012345", ""},             // no letter
		{"PP10012345", ""},             // two letters
		{"P31001234X", ""},             // letter at the end
		{"甲310012345", ""},             // not a Latin letter
		{"", ""},
	}
	for _, c := range cases {
		got, msg := checkBirthCert(c.in)
		if got != c.want || msg.IsZero() != (c.want != "") {
			t.Errorf("checkBirthCert(%q) = %q, %q; want %q", c.in, got, msg.ID, c.want)
		}
	}
}

// TestMemberParts is the table of the parts a household member may be
// asked: each refusal names the member and the part.
func TestMemberParts(t *testing.T) {
	hh := householdField()
	newborn := kiosk.Field{ID: "children", Type: kiosk.FieldFamily, Label: txt("新生儿", "Newborns"), Required: true,
		Member: &kiosk.MemberSpec{BirthCert: true, Parts: []kiosk.MemberPart{kiosk.MemberSex}}}
	plain := kiosk.Field{ID: "family", Type: kiosk.FieldFamily, Label: txt("家庭成员", "Family")}
	spouse := fullMember("李测试", "spouse", idSpouse)
	cases := []struct {
		name  string
		field kiosk.Field
		in    []Member
		probs []string // "part#member"
		want  []Member // canonical, when no problems
	}{
		{"every part", hh, []Member{spouse}, nil, []Member{spouse}},
		{"income canonical", hh, []Member{{Name: "李测试", Relation: "spouse", IDNumber: idSpouse, Hukou: "shanghai", Employment: "retired", Income: "1,650.50", Disability: "disabled"}}, nil,
			[]Member{{Name: "李测试", Relation: "spouse", IDNumber: idSpouse, Hukou: "shanghai", Employment: "retired", Income: "1650.5", Disability: "disabled"}}},
		{"no income is 0", hh, []Member{{Name: "李测试", Relation: "spouse", IDNumber: idSpouse, Hukou: "elsewhere", Employment: "unable", Income: "0", Disability: "serious-illness"}}, nil, nil},
		{"income missing", hh, []Member{{Name: "李测试", Relation: "spouse", IDNumber: idSpouse, Hukou: "shanghai", Employment: "employed", Disability: "none"}}, []string{"income#1"}, nil},
		{"income negative", hh, []Member{{Name: "李测试", Relation: "spouse", IDNumber: idSpouse, Hukou: "shanghai", Employment: "employed", Income: "-5", Disability: "none"}}, []string{"income#1"}, nil},
		{"income absurd", hh, []Member{{Name: "李测试", Relation: "spouse", IDNumber: idSpouse, Hukou: "shanghai", Employment: "employed", Income: "99999999", Disability: "none"}}, []string{"income#1"}, nil},
		{"unknown employment", hh, []Member{{Name: "李测试", Relation: "spouse", IDNumber: idSpouse, Hukou: "shanghai", Employment: "astronaut", Income: "0", Disability: "none"}}, []string{"employment#1"}, nil},
		{"parts missing", hh, []Member{{Name: "李测试", Relation: "spouse", IDNumber: idSpouse}}, []string{"hukou#1", "employment#1", "income#1", "disability#1"}, nil},
		{"newborn by certificate", newborn, []Member{{Name: "张小测", Relation: "child", BirthCert: "p310012345", Sex: "female"}}, nil,
			[]Member{{Name: "张小测", Relation: "child", BirthCert: "P310012345", Sex: "female"}}},
		{"newborn certificate malformed", newborn, []Member{{Name: "张小测", Relation: "child", BirthCert: "P31001234", Sex: "male"}}, []string{"birth_cert#1"}, nil},
		{"newborn without any number", newborn, []Member{{Name: "张小测", Relation: "child", Sex: "male"}}, []string{"id_number#1"}, nil},
		{"twins, same certificate", newborn, []Member{{Name: "张小测", Relation: "child", BirthCert: "P310012345", Sex: "male"}, {Name: "张小试", Relation: "child", BirthCert: "P310012345", Sex: "male"}}, []string{"birth_cert#2"}, nil},
		{"sex missing", newborn, []Member{{Name: "张小测", Relation: "child", BirthCert: "P310012345"}}, []string{"sex#1"}, nil},
		{"an ID number wins when both are given", newborn, []Member{{Name: "张小测", Relation: "child", IDNumber: idChild, BirthCert: "P310012345", Sex: "male"}}, nil,
			[]Member{{Name: "张小测", Relation: "child", IDNumber: idChild, Sex: "male"}}},
		{"certificate where the item asks an ID", plain, []Member{{Name: "张小测", Relation: "child", BirthCert: "P310012345"}}, []string{"id_number#1"}, nil},
		{"parts not asked are not kept", plain, []Member{{Name: "李测试", Relation: "spouse", IDNumber: idSpouse, Income: "3000", Hukou: "x"}}, nil,
			[]Member{{Name: "李测试", Relation: "spouse", IDNumber: idSpouse}}},
	}
	for _, c := range cases {
		got, probs := checkMembers(c.in, c.field, idApplicant, today)
		var names []string
		for _, p := range probs {
			names = append(names, p.part+"#"+itoa(p.member))
			if !speaks(t, p.msg) || !strings.Contains(said(t, p.msg).ZH, "第"+itoa(p.member)+"位") {
				t.Errorf("%s: %q does not name the member", c.name, said(t, p.msg).ZH)
			}
		}
		if !equalStrings(names, c.probs) {
			t.Errorf("%s: problems %v, want %v", c.name, names, c.probs)
		}
		if c.want != nil && !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: canonical %+v, want %+v", c.name, got, c.want)
		}
	}
}

// TestHouseholdOfOne walks a person living alone through the 低保 list: no
// answer is refused with the way out, 我独自生活 is taken and submitted as
// an empty list, adding a member then removing them asks again, and a list
// that needs a member refuses the declaration.
func TestHouseholdOfOne(t *testing.T) {
	fields := []kiosk.Field{householdField(),
		{ID: "kids", Type: kiosk.FieldFamily, Label: txt("子女", "Children"), Member: &kiosk.MemberSpec{BirthCert: true}}}
	f := newForm(t, fields, elder())
	es := ErrorsOf(f.ValidateField("members"))
	if len(es) != 1 || !strings.Contains(said(t, es[0].Message).ZH, "我独自生活") {
		t.Fatalf("an unanswered household should point to 我独自生活: %v", es)
	}
	must(t, f.SetMembers("members", []Member{}))
	if !f.Alone("members") {
		t.Fatal("the declaration was not kept")
	}
	a, err := f.Answers()
	if err != nil || a["members"] != "[]" {
		t.Fatalf("a household of one: answers %v, %v; want members []", a, err)
	}
	if got := f.Display(kiosk.LangZH, catalogWords(t))[0].Value; got != "仅本人（独自生活）" {
		t.Errorf("review shows %q", got)
	}
	// Adding someone ends the declaration; removing them does not bring it back.
	if _, err := f.AddMember("members", fullMember("李测试", "spouse", idSpouse)); err != nil {
		t.Fatal(err)
	}
	if f.Alone("members") {
		t.Error("alone with a member")
	}
	must(t, f.RemoveMember("members", 1))
	if f.Alone("members") || f.ValidateField("members") == nil {
		t.Error("removing the last member declared a household of one")
	}
	// A list that is not a household (a field without alone_ok) refuses it.
	must(t, f.SetMembers("members", []Member{}))
	must(t, f.SetMembers("kids", []Member{}))
	if es := ErrorsOf(f.ValidateField("kids")); len(es) != 1 {
		t.Errorf("a declared household of one on a list that does not allow it: %v", es)
	}
	// nil clears the answer: asked again.
	must(t, f.SetMembers("members", nil))
	if f.Alone("members") || f.ValidateField("members") == nil {
		t.Error("nil kept the declaration")
	}
}

// TestHouseholdSessionAnswers: the session keeps the list as JSON; "[]" is
// the declaration, "" no answer, through Rules as through the form.
func TestHouseholdSessionAnswers(t *testing.T) {
	item := kiosk.Item{Code: "x", Form: []kiosk.Field{householdField()}}
	r := Rules{Places: mustPlaces(t)}
	if msgs := r.Validate(item, item.Form, elder(), kiosk.Answers{"members": "[]"}); len(msgs) != 0 {
		t.Errorf("[] refused: %v", msgs)
	}
	if msgs := r.Validate(item, item.Form, elder(), kiosk.Answers{}); len(msgs) != 1 {
		t.Errorf("no answer taken: %v", msgs)
	}
	nb, _ := json.Marshal([]Member{{Name: "张小测", Relation: "child", BirthCert: "P310012345", Hukou: "shanghai", Employment: "preschool", Income: "0", Disability: "none"}})
	if msgs := r.Validate(item, item.Form, elder(), kiosk.Answers{"members": string(nb)}); len(msgs) != 0 {
		t.Errorf("a newborn by certificate refused: %v", msgs)
	}
}

func TestMemberSpecCheck(t *testing.T) {
	fam := func(s *kiosk.MemberSpec, min *int) []kiosk.Field {
		return []kiosk.Field{{ID: "m", Type: kiosk.FieldFamily, Label: txt("成员", "Members"), Member: s, Min: min}}
	}
	cases := []struct {
		name   string
		fields []kiosk.Field
		want   string // part of the error; "" means fine
	}{
		{"every part", fam(&kiosk.MemberSpec{Parts: []kiosk.MemberPart{"sex", "hukou", "employment", "income", "disability"}, AloneOK: true, BirthCert: true}, nil), ""},
		{"unknown part", fam(&kiosk.MemberSpec{Parts: []kiosk.MemberPart{"salary"}}, nil), `"salary" is not one of`},
		{"part twice", fam(&kiosk.MemberSpec{Parts: []kiosk.MemberPart{"income", "income"}}, nil), "listed twice"},
		{"alone with a minimum", fam(&kiosk.MemberSpec{AloneOK: true}, ip(1)), "alone_ok with min 1"},
		{"on a text field", []kiosk.Field{{ID: "t", Type: kiosk.FieldText, Label: txt("文字", "Text"), Member: &kiosk.MemberSpec{}}}, "member on a text field"},
	}
	for _, c := range cases {
		err := Check(c.fields)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

// TestHouseholdEditorSequences drives the household list through random
// sequences of what the editor does (add an empty member, fill one in,
// change one, remove one, declare a household of one, clear) and checks
// after every step against a plain model: the form holds exactly the
// model's members, 独自生活 holds only while declared with no member,
// Answers either refuses with a message naming a member or returns the
// model's members in canonical form, and nothing typed is lost.
func TestHouseholdEditorSequences(t *testing.T) {
	names := []string{"李测试", "王测试", "张小测", "", "赵测试"}
	ids := []string{idSpouse, idChild, "110105194912310021", "", "310104195803010016", idApplicant}
	certs := []string{"", "P310012345", "q310012346", "P31001234"}
	rels := []string{"spouse", "child", "parent", "friend", ""}
	randomMember := func(r *rand.Rand) Member {
		m := Member{Name: names[r.IntN(len(names))], Relation: rels[r.IntN(len(rels))], Hukou: "shanghai", Employment: "employed", Income: fmt.Sprint(r.IntN(5000)), Disability: "none"}
		if r.IntN(3) == 0 {
			m.BirthCert = certs[r.IntN(len(certs))]
		} else {
			m.IDNumber = ids[r.IntN(len(ids))]
		}
		return m
	}
	for seed := uint64(1); seed <= 200; seed++ {
		r := rand.New(rand.NewPCG(seed, 17))
		f := newForm(t, []kiosk.Field{householdField()}, elder())
		var model []Member
		declared := false
		var trail []string
		for step := 0; step < 25; step++ {
			switch op := r.IntN(6); op {
			case 0: // 添加家庭成员: an empty member, then the page fills it
				n, err := f.AddMember("members", Member{})
				must(t, err)
				model, declared = append(model, Member{}), false
				if n != len(model) {
					t.Fatalf("seed %d: AddMember returned %d, model has %d", seed, n, len(model))
				}
				trail = append(trail, "add")
				fallthrough
			case 1: // fill in or change a member
				if len(model) == 0 {
					continue
				}
				k := r.IntN(len(model))
				m := randomMember(r)
				must(t, f.SetMember("members", k+1, m))
				model[k] = m
				trail = append(trail, fmt.Sprintf("set %d", k+1))
			case 2: // 删除
				if len(model) == 0 {
					if f.RemoveMember("members", 1) == nil {
						t.Fatalf("seed %d: removed a member from an empty list", seed)
					}
					continue
				}
				k := r.IntN(len(model))
				must(t, f.RemoveMember("members", k+1))
				model = append(model[:k:k], model[k+1:]...)
				trail = append(trail, fmt.Sprintf("remove %d", k+1))
			case 3: // 我独自生活
				if len(model) > 0 {
					continue // the editor offers it only on an empty list
				}
				must(t, f.SetMembers("members", []Member{}))
				declared = true
				trail = append(trail, "alone")
			case 4: // the session hands back the whole list
				must(t, f.SetMembers("members", append([]Member(nil), model...)))
				if len(model) == 0 {
					declared = false // nil: no answer
				}
				trail = append(trail, "set all")
			case 5:
				trail = append(trail, "check")
			}
			checkHousehold(t, f, model, declared, fmt.Sprintf("seed %d after %v", seed, trail))
		}
	}
}

func checkHousehold(t *testing.T, f *Form, model []Member, declared bool, where string) {
	t.Helper()
	v, _ := f.Field("members")
	if len(v.Members) != len(model) {
		t.Fatalf("%s: form holds %d members, model %d", where, len(v.Members), len(model))
	}
	for k := range model {
		if v.Members[k] != cleanMember(model[k]) {
			t.Fatalf("%s: member %d is %+v, model %+v (something typed was lost)", where, k+1, v.Members[k], model[k])
		}
	}
	if f.Alone("members") != (declared && len(model) == 0) {
		t.Fatalf("%s: Alone %v, declared %v with %d members", where, f.Alone("members"), declared, len(model))
	}
	a, err := f.Answers()
	if err != nil {
		for _, e := range ErrorsOf(err) {
			if e.Field != "members" || !speaks(t, e.Message) {
				t.Fatalf("%s: refusal %+v", where, e)
			}
			if e.Member > len(model) {
				t.Fatalf("%s: error about member %d of %d", where, e.Member, len(model))
			}
		}
		if len(model) == 0 && declared {
			t.Fatalf("%s: a declared household of one refused: %v", where, err)
		}
		return
	}
	if len(model) == 0 {
		if !declared || a["members"] != "[]" {
			t.Fatalf("%s: empty list accepted as %q without the declaration", where, a["members"])
		}
		return
	}
	var got []Member
	if err := json.Unmarshal([]byte(a["members"]), &got); err != nil || len(got) != len(model) {
		t.Fatalf("%s: answer %q (%v)", where, a["members"], err)
	}
	seen := map[string]bool{}
	for k, m := range got {
		if (m.IDNumber == "") == (m.BirthCert == "") || seen[m.Identifier()] || m.IDNumber == idApplicant || m.Name != fold(model[k].Name) {
			t.Fatalf("%s: accepted member %d %+v", where, k+1, m)
		}
		seen[m.Identifier()] = true
	}
}

var birthCertShape = regexp.MustCompile(`^[A-Z][0-9]{9}$`)

func FuzzCheckBirthCert(f *testing.F) {
	for _, s := range []string{"P310012345", "p310012345", "Ｐ３１００１２３４５", "P 3100 12345", "P31001234", "", "PP10012345", "甲310012345"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) { fuzzCanonical(t, in, checkBirthCert, birthCertShape) })
}
