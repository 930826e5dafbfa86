package catalog

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadFixture(t *testing.T) {
	c, err := Load(fixture())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.Len() != 2 || c.Version() != "test-1" {
		t.Fatalf("got %d items, version %q", c.Len(), c.Version())
	}
	if it, ok := c.Item("item-a"); !ok || it.Name.ZH != "老年综合津贴申请" {
		t.Fatalf("Item(item-a) = %v, %v", it.Name, ok)
	}
	if got := c.File("item-b"); got != "items/rs/item-b.json" {
		t.Errorf("File(item-b) = %q", got)
	}
}

func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
		// want: each problem must contain all of these, in one Problem's String()
		want []string
	}{
		{"unknown field in an item", edit("items/mz/item-a.json", `"promise":`, `"promis": {"days": 1},
  "promise":`), []string{"items/mz/item-a.json:8: promis: unknown field"}},
		{"unknown nested field", edit("items/mz/item-a.json", `"prefill": "name"`, `"prefill": "name", "lable": {"zh": "x"}`),
			[]string{"items/mz/item-a.json:11: form[0].lable: unknown field"}},
		{"unknown field in catalog.json", edit("catalog.json", `"version"`, `"versoin": "x", "version"`),
			[]string{"catalog.json:2: versoin: unknown field"}},
		{"duplicate code", withFile("items/rs/item-c.json", strings.Replace(fixItemB, "Pension check", "Another", 1)),
			[]string{"items/rs/item-c.json:2: code: duplicate code \"item-b\": also in items/rs/item-b.json"}},
		{"dangling department", edit("items/rs/item-b.json", `"RS"`, `"XX"`),
			[]string{"items/rs/item-b.json:5: department: unknown department \"XX\""}},
		{"dangling life event", edit("items/mz/item-a.json", `["elderly"]`, `["retire"]`),
			[]string{"life_events[0]: unknown life event \"retire\""}},
		{"dangling related item", edit("items/mz/item-a.json", `"related": ["item-b"]`, `"related": ["item-z"]`),
			[]string{"items/mz/item-a.json:27: related[0]: no item \"item-z\""}},
		{"dangling instead_item", edit("items/mz/item-a.json", `"instead_item": "item-b"`, `"instead_item": "nope"`),
			[]string{"rules[1].instead_item: no item \"nope\""}},
		{"dangling source", edit("items/mz/item-a.json", `"sources": ["W"]`, `"sources": ["Q9"]`),
			[]string{"sources[0]: unknown source \"Q9\""}},
		{"form field without a label", edit("items/mz/item-a.json", `"label": {"zh": "同意"}`, `"label": {"zh": ""}`),
			[]string{"items/mz/item-a.json:14: form[3].label: a form field needs a label"}},
		{"rule does not parse", edit("items/mz/item-a.json", `"age >= 65"`, `"age >= "`),
			[]string{"items/mz/item-a.json:23: rules[1].when: column 8, at the end: the rule ends too early: expected a name, a number or text"}},
		{"rule reads an unknown name", edit("items/mz/item-a.json", `"age >= 65"`, `"ages >= 65"`),
			[]string{"items/mz/item-a.json:23: rules[1].when: column 1, at ages: ages is neither a fact about the resident"}},
		{"rule reads a bare word as a name", edit("items/mz/item-a.json", `"hukou == \"shanghai\""`, `"hukou == shanghai"`),
			[]string{`items/mz/item-a.json:22: rules[0].when: column 10, at shanghai: shanghai is neither a fact about the resident`, `write it in double quotes: "shanghai"`}},
		{"rule compares a number with text", edit("items/mz/item-a.json", `"age >= 65"`, `"age >= \"65\""`),
			[]string{`rules[1].when: column 5, at >=: age is a number and "65" is text: they cannot be compared`}},
		{"rule names a value hukou cannot have", edit("items/mz/item-a.json", `"hukou == \"shanghai\""`, `"hukou == \"上海\""`),
			[]string{`rules[0].when: column 10, at "上海": "上海" is not one of the values it is compared with can hold: "shanghai", "other", "none"`}},
		{"rule reads a tiered parameter", edit("items/mz/item-a.json", `"age >= 65"`, `"age >= param.senior_allowance"`),
			[]string{"rules[1].when: column 8, at param.senior_allowance: parameter senior_allowance is tiered by age"}},
		{"rule reads a form field", edit("items/mz/item-a.json", `"age >= 65"`, `"same_address == \"yes\""`), nil},
		{"rule reads a fact a typed field shadows", withFile("items/mz/item-a.json", strings.NewReplacer(
			`{"id": "name"`, `{"id": "sex", "type": "choice", "label": {"zh": "性别"}, "options": [{"value": "male", "label": {"zh": "男"}}]},
    {"id": "name"`, `"age >= 65"`, `"sex == \"male\""`).Replace(fixItemA)),
			[]string{"items/mz/item-a.json:24: rules[1].when: sex is read as the fact about the resident, but the form also asks for it"}},
		{"rule reads a missing parameter", edit("items/mz/item-a.json", `"age >= 65"`, `"age >= param.nothing"`),
			[]string{"rules[1].when: column 8, at param.nothing: there is no parameter table \"nothing\""}},
		{"visibility reads a missing field", edit("items/mz/item-a.json", `same_address == \"no\"`, `samee == \"no\"`),
			[]string{"items/mz/item-a.json:13: form[2].visible_if: column 1, at samee: samee is not a field before this one"}},
		{"visibility reads a fact only eligibility knows", edit("items/mz/item-a.json", `same_address == \"no\"`, `hukou == \"shanghai\"`),
			[]string{"form[2].visible_if: column 1, at hukou: hukou is not a field before this one (nor age or card)"}},
		{"visibility does not parse", edit("items/mz/item-a.json", `same_address == \"no\"`, `same_address = \"no\"`),
			[]string{"items/mz/item-a.json:13: form[2].visible_if: column 14, at =: use == to compare"}},
		{"wrong type", edit("items/mz/item-a.json", `"days": 30`, `"days": "thirty"`),
			[]string{"items/mz/item-a.json:8: promise.days: expected a number"}},
		{"not JSON", withFile("items/rs/item-b.json", "{\n  \"code\": \"item-b\",\n  oops\n}"),
			[]string{"items/rs/item-b.json:3: not valid JSON"}},
		{"truncated file", withFile("items/rs/item-b.json", "{\n  \"code\": \"item-b\","),
			[]string{"items/rs/item-b.json:2: not valid JSON: the file ends in the middle"}},
		{"bad inferred name", edit("items/mz/item-a.json", `"inferred": ["promise"]`, `"inferred": ["promises"]`),
			[]string{"inferred[0]: \"promises\" is not a field"}},
		{"apply item without a form", edit("items/rs/item-b.json", `"actions": ["query"]`, `"actions": ["apply"]`),
			[]string{"items/rs/item-b.json:1: form: an item residents can apply for needs a form"}},
		{"missing English name", edit("items/rs/item-b.json", `"en": "Pension check"`, `"en": ""`),
			[]string{"name.en: missing English text"}},
		{"parameter dates go backwards", edit("parameters.json", `"2025-07-01"`, `"2019-07-01"`),
			[]string{"parameters.json:4: tables[0].values[1].from: dates must increase"}},
		{"parameter date not a date", edit("parameters.json", `"2020-04-01"`, `"April 2020"`),
			[]string{"tables[0].values[0].from: effective date \"April 2020\""}},
		{"missing departments file", func() fstest.MapFS { m := fixture(); delete(m, "departments.json"); return m }(),
			[]string{"departments.json: cannot read"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.fsys)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				return
			}
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("Load error = %v, want a *LoadError", err)
			}
			for _, w := range tc.want {
				found := false
				for _, p := range le.Problems {
					found = found || strings.Contains(p.String(), w)
				}
				if !found {
					t.Errorf("no problem contains %q; got:\n%v", w, err)
				}
			}
		})
	}
}

func TestLoadCollectsEveryProblem(t *testing.T) {
	m := edit("items/mz/item-a.json", `"label": {"zh": "同意"}`, `"label": {"zh": ""}`)
	m["items/rs/item-b.json"] = &fstest.MapFile{Data: []byte(strings.Replace(fixItemB, `"RS"`, `"XX"`, 1))}
	_, err := Load(m)
	var le *LoadError
	if !errors.As(err, &le) || len(le.Problems) != 2 {
		t.Fatalf("want 2 problems, got %v", err)
	}
}
