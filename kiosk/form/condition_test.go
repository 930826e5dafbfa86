package form

import (
	"strings"
	"testing"
)

func TestConditionEval(t *testing.T) {
	vals := map[string]string{
		"marital":       "married",
		"has_income":    "yes",
		"income":        "1650.5",
		"children":      "2",
		"age":           "64",
		"empty":         "",
		"start":         "2026-11-01",
		"home.district": "浦东新区",
		"note":          `say "hi" \ bye`,
	}
	lookup := func(name string) string { return vals[name] }
	cases := []struct {
		src  string
		want bool
	}{
		{`marital == "married"`, true},
		{`marital != "married"`, false},
		{`"married" == marital`, true},
		{`age >= 60`, true},
		{`age >= 65`, false},
		{`age > 64`, false},
		{`age < 65 && age >= 64`, true},
		{`age <= 63.5`, false},
		{`income > 1650`, true},
		{`income == 1650.50`, true}, // numbers compare as numbers
		{`children == "2"`, true},
		{`children == 2.0`, true},
		{`has_income == "yes" && income < 2000`, true},
		{`has_income == "no" || children >= 2`, true},
		{`!(marital == "single")`, true},
		{`!!(marital == "single")`, false},
		{`marital == "single" || marital == "married" && age >= 65`, false}, // && binds tighter
		{`(marital == "single" || marital == "married") && age >= 60`, true},
		{`empty == ""`, true},
		{`empty != ""`, false},
		{`empty >= 0`, false}, // unknown is neither big nor small
		{`empty < 0`, false},
		{`missing == "x"`, false},
		{`start >= "2026-01-01"`, true}, // ISO dates order as strings
		{`start < "2026-01-01"`, false},
		{`marital > 3`, false}, // text against a number: no order
		{`home.district == "浦东新区"`, true},
		{`note == "say \"hi\" \\ bye"`, true},
		{`age >= -1`, true},
		{`true`, true},
		{`false || age == 64`, true},
		{"age\t>=\n60", true},
	}
	for _, c := range cases {
		cond, err := ParseCondition(c.src)
		if err != nil {
			t.Errorf("ParseCondition(%s): %v", c.src, err)
			continue
		}
		if got := cond.Eval(lookup); got != c.want {
			t.Errorf("%s = %v, want %v", c.src, got, c.want)
		}
		if cond.String() != c.src {
			t.Errorf("String() = %q, want %q", cond.String(), c.src)
		}
	}
}

func TestConditionRefs(t *testing.T) {
	c, err := ParseCondition(`age >= 60 && (marital == "married" || home.district != "崇明区") && marital != "x"`)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.Refs(), ","); got != "age,marital,home.district" {
		t.Fatalf("Refs() = %s", got)
	}
}

func TestConditionErrors(t *testing.T) {
	cases := []struct {
		src     string
		wantMsg string
		wantPos int
	}{
		{``, "empty condition", 0},
		{`   `, "empty condition", 0},
		{`has_income`, `has_income needs a comparison, e.g. has_income == "yes"`, 10},
		{`has_income && age > 1`, `has_income needs a comparison`, 11},
		{`marital = "married"`, "use == to compare", 8},
		{`age >= 60 & x == 1`, "use && or ||", 10},
		{`marital == 'married'`, "strings are written in double quotes", 11},
		{`marital == "married`, "a string is not closed", 11},
		{`x == "a\nb"`, `only \" and \\ may follow a backslash`, 7},
		{`age >= `, `expected a "string", a number or a field name but found end of condition`, 7},
		{`age >= 6.`, "a number needs digits after its point", 7},
		{`age >= 60abc`, "a name cannot start with a digit", 7},
		{`(age >= 60`, "expected ')' but found end of condition", 10},
		{`age >= 60)`, "unexpected ')'", 9},
		{`age >= 60 age`, "unexpected 'age'", 10},
		{`1 == 1`, "a comparison needs a field name on one side", 2},
		{`age == true`, "true cannot be compared", 7},
		{`age >= 60 == 1`, "unexpected '=='", 10},
		{`年龄 >= 60`, "unexpected character '年'", 0},
		{`age >= 6--0`, "unexpected character '-'", 8},
		{`age >= -1.2.3`, "not a number", 7},
		{strings.Repeat("(", 40) + "a == 1" + strings.Repeat(")", 40), "nested more than 32 deep", 33},
		{strings.Repeat("!", 40) + "a == 1", "nested more than 32 deep", 33},
		{"a == \"" + strings.Repeat("x", 1000) + "\"", "longer than 1000 characters", 1000},
	}
	for _, c := range cases {
		_, err := ParseCondition(c.src)
		ce, ok := err.(*ConditionError)
		if !ok {
			t.Errorf("ParseCondition(%.40s) = %v, want a *ConditionError", c.src, err)
			continue
		}
		if !strings.Contains(ce.Msg, c.wantMsg) || ce.Pos != c.wantPos {
			t.Errorf("ParseCondition(%.40s): %q at %d, want %q at %d", c.src, ce.Msg, ce.Pos, c.wantMsg, c.wantPos)
		}
		if !strings.Contains(ce.Error(), "condition") {
			t.Errorf("Error() = %q", ce.Error())
		}
	}
}
