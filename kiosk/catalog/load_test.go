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
			[]string{"items/mz/item-a.json:23: rules[1].when: rule does not parse"}},
		{"rule reads an unknown name", edit("items/mz/item-a.json", `"age >= 65"`, `"ages >= 65"`),
			[]string{"rules[1].when: \"ages\" is neither a fact"}},
		{"rule reads a missing parameter", edit("items/mz/item-a.json", `"age >= 65"`, `"age >= param.nothing"`),
			[]string{"rules[1].when: no parameter table \"nothing\""}},
		{"visibility reads a missing field", edit("items/mz/item-a.json", `same_address == \"no\"`, `samee == \"no\"`),
			[]string{"form[2].visible_if: \"samee\" is neither"}},
		{"visibility does not parse", edit("items/mz/item-a.json", `same_address == \"no\"`, `same_address = \"no\"`),
			[]string{"form[2].visible_if: condition does not parse: condition \"same_address = \\\"no\\\"\": use == to compare (at character 14)"}},
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

func TestParseRule(t *testing.T) {
	good := []string{
		`age >= 65 && card in [resident, permit-hkmotw]`,
		`!(hukou == shanghai) || x != "a b"`,
		`income < 2 * param.dibao_standard`,
		`card not in []`,
		`card_expired`,
		`hukou == 上海`,
	}
	for _, s := range good {
		if _, err := ParseRule(s); err != nil {
			t.Errorf("ParseRule(%q): %v", s, err)
		}
	}
	bad := map[string]string{
		``:                            "empty",
		`age >=`:                      "ends too early",
		`age = 65`:                    "use ==",
		`age >= 65 &`:                 "use &&",
		`(age >= 65`:                  "ends too early",
		`(age >= 65]`:                 "expected )",
		`card in resident`:            "expected [",
		`"x" == y`:                    "unexpected",
		`age >= 65 65`:                "unexpected",
		`x == "unterminated`:          "not closed",
		`x == a * b`:                  "multiplied",
		`x == param.`:                 "needs a parameter name",
		strings.Repeat("(", 60) + "x": "nested too deeply",
	}
	for s, want := range bad {
		_, err := ParseRule(s)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseRule(%q) = %v, want an error containing %q", s, err, want)
		}
	}
}

func TestRuleEval(t *testing.T) {
	env := func(m map[string]string) func(string) (string, bool) {
		return func(n string) (string, bool) { v, ok := m[n]; return v, ok }
	}
	tests := []struct {
		rule           string
		vars           map[string]string
		holds, decided bool
	}{
		{`age >= 65`, map[string]string{"age": "65"}, true, true},
		{`age >= 65`, map[string]string{"age": "64"}, false, true},
		{`age >= 65`, nil, false, false},
		{`age >= 65 || hukou == shanghai`, map[string]string{"hukou": "shanghai"}, true, true},
		{`age >= 65 && hukou == shanghai`, map[string]string{"hukou": "other"}, false, true},
		{`card in [resident, permit-hkmotw]`, map[string]string{"card": "permit-hkmotw"}, true, true},
		{`card not in [resident]`, map[string]string{"card": "resident"}, false, true},
		{`income < 2 * param.d`, map[string]string{"income": "2000", "param.d": "1240"}, true, true},
		{`income < 2 * param.d`, map[string]string{"income": "abc", "param.d": "1240"}, false, false},
		{`!card_expired`, map[string]string{"card_expired": "false"}, true, true},
		{`x == "yes"`, map[string]string{"x": "yes"}, true, true},
	}
	for _, tc := range tests {
		e, err := ParseRule(tc.rule)
		if err != nil {
			t.Fatal(err)
		}
		holds, decided := e.Eval(env(tc.vars))
		if holds != tc.holds || decided != tc.decided {
			t.Errorf("%s with %v = (%v, %v), want (%v, %v)", tc.rule, tc.vars, holds, decided, tc.holds, tc.decided)
		}
	}
}
