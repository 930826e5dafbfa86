package form

import (
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// TestForAgent is the table of the forms 代办 makes of an item's form: the
// applicant's name and number typed (in the item's own fields, or in two
// fields put first), the relation declared, nothing prefilled from the
// agent's card; an item that must be done in person has none.
func TestForAgent(t *testing.T) {
	own := kiosk.Item{Code: "own", Form: []kiosk.Field{
		{ID: "name", Type: kiosk.FieldText, Label: txt("姓名", "Name"), Prefill: kiosk.PrefillName},
		{ID: "pid", Type: kiosk.FieldText, Label: txt("身份证号", "ID"), Prefill: kiosk.PrefillIDNumber},
		{ID: "home", Type: kiosk.FieldAddress, Label: txt("户籍地址", "Address"), Prefill: kiosk.PrefillAddress, Required: true},
		{ID: "phone", Type: kiosk.FieldPhone, Label: txt("电话", "Phone"), Required: true},
	}}
	bare := kiosk.Item{Code: "bare", Form: []kiosk.Field{{ID: "phone", Type: kiosk.FieldPhone, Label: txt("电话", "Phone"), Required: true}}}
	inPerson := bare
	inPerson.InPerson = txt("须本人到场办理", "Must be done in person")
	cases := []struct {
		name string
		item kiosk.Item
		ok   bool
		ids  []string
	}{
		{"the item's own name and number fields", own, true, []string{"name", "pid", FieldAgentRelation, "home", "phone"}},
		{"fields added for them", bare, true, []string{FieldPrincipalName, FieldPrincipalID, FieldAgentRelation, "phone"}},
		{"in person only", inPerson, false, nil},
	}
	for _, c := range cases {
		got, ok := ForAgent(c.item)
		if ok != c.ok {
			t.Errorf("%s: ok %v", c.name, ok)
			continue
		}
		if !ok {
			continue
		}
		var ids []string
		for _, f := range got.Form {
			ids = append(ids, f.ID)
			if f.Prefill != "" {
				t.Errorf("%s: %s still prefilled from the agent's card", c.name, f.ID)
			}
		}
		if !equalStrings(ids, c.ids) {
			t.Errorf("%s: fields %v, want %v", c.name, ids, c.ids)
		}
		if err := Check(got.Form); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if len(c.item.Form) > 0 && c.item.Form[0].Prefill == kiosk.PrefillName && got.Form[1].Type != kiosk.FieldIDNumber {
			t.Errorf("%s: the applicant's number is not checked as an ID number", c.name)
		}
	}
	if own.Form[0].Prefill != kiosk.PrefillName {
		t.Error("ForAgent changed the catalog's item")
	}
}

// TestAgentFormSequence fills a 代办 form as an agent would: with the
// agent's card as identity nothing is prefilled; a wrong check digit, then
// the agent's own number, then the applicant's; the relation must be one
// of the list; Principal reads the applicant back with age and sex.
func TestAgentFormSequence(t *testing.T) {
	item := kiosk.Item{Code: "x", Form: []kiosk.Field{
		{ID: "name", Type: kiosk.FieldText, Label: txt("姓名", "Name"), Prefill: kiosk.PrefillName, Required: true},
		{ID: "old", Type: kiosk.FieldYesNo, Label: txt("65岁以上", "65+"), VisibleIf: "age >= 65"},
	}}
	agentItem, ok := ForAgent(item)
	if !ok {
		t.Fatal("refused")
	}
	r := Rules{Today: func() time.Time { return today }, Places: mustPlaces(t)}
	a := kiosk.Answers{}
	if got := r.Prefill(agentItem, elder()); len(got) != 0 {
		t.Fatalf("prefilled from the agent's card: %v", got)
	}
	a["name"] = "王测试"
	a[FieldPrincipalID] = "310104195803010016" // check digit wrong
	a[FieldAgentRelation] = "friend"
	who := r.Principal(item, a)
	errs := r.Validate(agentItem, agentItem.Form, who, a)
	if errs[FieldPrincipalID].IsZero() || errs[FieldAgentRelation].IsZero() || who.Present() {
		t.Fatalf("a wrong check digit and an unknown relation taken: %v (principal %+v)", errs, who)
	}
	a[FieldPrincipalID] = idSpouse // 1960-07-15, a woman
	a[FieldAgentRelation] = "parent"
	who = r.Principal(item, a)
	if errs := r.Validate(agentItem, agentItem.Form, who, a); len(errs) != 0 {
		t.Fatalf("a valid 代办 form refused: %v", errs)
	}
	if who.Name != "王测试" || who.Number != idSpouse || who.Sex != kiosk.SexFemale || who.AgeOn(today) != 66 || who.Verification != "" {
		t.Errorf("principal %+v", who)
	}
	// The applicant's age decides what is shown, not the agent's.
	var shown bool
	for _, p := range r.Pages(agentItem, who, a) {
		for _, f := range p {
			shown = shown || f.ID == "old"
		}
	}
	if !shown {
		t.Error("a field for applicants of 65 and over hidden for a 66-year-old applicant")
	}
	a[FieldPrincipalID] = "31010419600715002x"
	if got := r.Principal(item, a).Number; got != idSpouse {
		t.Errorf("principal number %q, want it canonical", got)
	}
}
