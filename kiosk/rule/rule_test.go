package rule

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// side is a hand-written Names and Resolver: declarations and values by
// name. A name declared but without a value is unknown when evaluated.
type side struct {
	decls map[string]Decl
	vals  map[string]Value
}

func (s side) Decl(name string) (Decl, error) {
	if d, ok := s.decls[name]; ok {
		return d, nil
	}
	return Decl{}, fmt.Errorf("%s is not a name here", name)
}

func (s side) Value(name string) (Value, bool) { v, ok := s.vals[name]; return v, ok }

func testSide() side {
	return side{
		decls: map[string]Decl{
			"age":          {Type: Number},
			"hukou":        {Type: Text, Values: []string{"shanghai", "other", "none"}},
			"sex":          {Type: Text, Values: []string{"male", "female"}},
			"card":         {Type: Text},
			"card_expired": {Type: Bool},
			"identified":   {Type: Bool},
			"income":       {Type: Number},
			"param.std":    {Type: Number},
			"married":      {Type: Date},
			"note":         {Type: Text},
			"home.street":  {Type: Text},
			"missing":      {Type: Text},
		},
		vals: map[string]Value{
			"age":          NumberValue(64),
			"hukou":        TextValue("shanghai"),
			"sex":          TextValue("female"),
			"card":         TextValue("permit-hkmotw"),
			"card_expired": BoolValue(false),
			"identified":   BoolValue(true),
			"income":       NumberValue(1650.5),
			"param.std":    NumberValue(1650),
			"married":      TextValue("2015-03-08"),
			"note":         TextValue(`say "hi" \ 上海`),
			"home.street":  TextValue(""),
		},
	}
}

func TestEval(t *testing.T) {
	s := testSide()
	s.vals["married"] = Value{typ: Date, str: "2015-03-08"}
	tests := []struct {
		src  string
		want Truth
	}{
		{`age >= 60`, True},
		{`age >= 65`, False},
		{`age > 64`, False},
		{`age <= 64 && age >= 64`, True},
		{`age == 64.0`, True},
		{`age >= -1`, True},
		{`60 <= age`, True},
		{`hukou == "shanghai"`, True},
		{`hukou != "shanghai"`, False},
		{`"shanghai" == hukou`, True},
		{`card in ["resident", "permit-hkmotw"]`, True},
		{`card not in ["resident", "permit-hkmotw"]`, False},
		{`card in []`, False},
		{`card not in []`, True},
		{`card_expired`, False},
		{`!card_expired`, True},
		{`identified && !card_expired`, True},
		{`card_expired == false`, True},
		{`income < param.std`, False},
		{`income < param.std * 2`, True},
		{`income < 2 * param.std * 0.5`, False},
		{`married >= "2014-10-01"`, True},
		{`married < "2014-10-01"`, False},
		{`note == "say \"hi\" \\ 上海"`, True},
		{`home.street == ""`, True},
		// && binds tighter than ||.
		{`sex == "male" || sex == "female" && age >= 65`, False},
		{`(sex == "male" || sex == "female") && age >= 60`, True},
		{`!!(age >= 60)`, True},
		{"age\t>=\n60", True},
		{`true`, True},
		{`false || age == 64`, True},
		// Unknown: a name without a value.
		{`missing == "x"`, Unknown},
		{`missing != "x"`, Unknown},
		{`!(missing == "x")`, Unknown},
		{`missing == "x" && age >= 65`, False}, // decided by the known side
		{`missing == "x" || age >= 60`, True},
		{`missing == "x" || age >= 65`, Unknown},
		{`missing == "x" && age >= 60`, Unknown},
		{`card in [missing, "permit-hkmotw"]`, True},
		{`card in [missing, "resident"]`, Unknown},
		{`card not in [missing]`, Unknown},
		{`age * missing_number > 1`, Unknown},
		// Values of the wrong type at run time (Check would refuse these).
		{`hukou > "a"`, Unknown},
		{`age == "64"`, Unknown},
		{`hukou`, Unknown},
		{`card_expired < true`, Unknown},
		{`hukou * 2 == 4`, Unknown},
	}
	for _, tc := range tests {
		r, err := Parse(tc.src)
		if err != nil {
			t.Errorf("Parse(%s): %v", tc.src, err)
			continue
		}
		if got := r.Eval(s); got != tc.want {
			t.Errorf("%s = %v, want %v", tc.src, got, tc.want)
		}
		if r.String() != tc.src {
			t.Errorf("String() = %q, want %q", r.String(), tc.src)
		}
	}
}

func TestNames(t *testing.T) {
	r, err := Parse(`age >= 60 && (hukou == "shanghai" || income < 2 * param.std) && hukou != "x" && card in [note, "a"]`)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.Names(), ","); got != "age,hukou,income,param.std,card,note" {
		t.Fatalf("Names() = %s", got)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src   string
		col   int
		token string
		msg   string
	}{
		{``, 1, "", "the rule is empty"},
		{"  \t", 1, "", "the rule is empty"},
		{`age >=`, 7, "", "ends too early"},
		{`age >= `, 8, "", "ends too early"},
		{`age = 65`, 5, "=", "use == to compare"},
		{`age >= 65 & x`, 11, "&", "use && (and) or ||"},
		{`age >= 65 | x`, 11, "|", "use && (and) or ||"},
		{`hukou == 'shanghai'`, 10, "'", "double quotes"},
		{`hukou == "shanghai`, 10, `"`, "not closed"},
		{`x == "a\nb"`, 8, `\`, "may follow a backslash"},
		{`age >= 6.`, 8, "6.", "digits after its point"},
		{`age >= 60abc`, 8, "60abc", "neither a number nor a name"},
		{`age >= 1.2.3`, 8, "1.2.3", "neither a number nor a name"},
		{`(age >= 60`, 11, "", "expected ) to close"},
		{`(age >= 60]`, 11, "]", "expected ) to close"},
		{`age >= 60)`, 10, ")", "expected && or || or the end"},
		{`age >= 60 age`, 11, "age", "expected && or ||"},
		{`age >= 60 == 1`, 11, "==", "expected && or ||"},
		{`1 == 1`, 3, "==", "a comparison needs a name on one side"},
		{`"a" == "b"`, 5, "==", "a comparison needs a name on one side"},
		{`card in "resident"`, 9, `"resident"`, "expected a list after in"},
		{`card not "resident"`, 10, `"resident"`, "expected in after not"},
		{`card in ["a" "b"]`, 14, `"b"`, "expected , or ]"},
		{`card in ["a",`, 14, "", "ends too early"},
		{`in == 1`, 1, "in", "expected a name, a number or text"},
		{`x == not`, 6, "not", "expected a name, a number or text"},
		{`x == param.`, 11, ".", "unexpected character '.'"},
		{`户籍 == "上海"`, 1, "户", "names are written in English letters"},
		{`age >= 6--0`, 9, "-", "unexpected character '-'"},
		{`x == "上海" && y = 1`, 16, "=", "use == to compare"}, // columns count characters
		{"x == 1 \xff", 8, "byte 0xff", "not valid UTF-8"},
		{"x == \"\xff\"", 6, `"`, "not valid UTF-8"},
		{`x == 1` + strings.Repeat("0", 400), 6, "1" + strings.Repeat("0", 400), "too large"},
		{strings.Repeat("(", 60) + "x" + strings.Repeat(")", 60), 51, "(", "nested more than 50 deep"},
		{strings.Repeat("!", 60) + "x", 51, "!", "nested more than 50 deep"},
		{"x == \"" + strings.Repeat("y", MaxLen) + "\"", 1, `x == "yyyyyyyyyyyyyy…`, "longer than 2000 bytes"},
	}
	for _, tc := range tests {
		_, err := Parse(tc.src)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%.40q) = %v, want an *Error", tc.src, err)
			continue
		}
		if e.Col != tc.col || e.Token != tc.token || !strings.Contains(e.Msg, tc.msg) {
			t.Errorf("Parse(%.40q) = column %d, token %q, %q; want column %d, token %q, %q", tc.src, e.Col, e.Token, e.Msg, tc.col, tc.token, tc.msg)
		}
		if want := fmt.Sprintf("column %d", tc.col); !strings.HasPrefix(e.Error(), want) {
			t.Errorf("Error() = %q, want it to start %q", e.Error(), want)
		}
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		src  string
		want []string // one per problem: "col token: part of the message"
	}{
		{`age >= 65 && hukou == "shanghai"`, nil},
		{`card in ["resident", "permit-hkmotw"] && !card_expired`, nil},
		{`income < param.std * 2`, nil},
		{`married >= "2014-10-01" && married != "2020-02-29"`, nil},
		{`identified == true`, nil},
		{`note == "任何文字"`, nil}, // any text for a name that lists no values
		// The bare name: always a name, never text.
		{`hukou == shanghai`, []string{`10 shanghai: shanghai is not a name here; if you mean the text, write it in double quotes: "shanghai"`}},
		{`ages >= 65`, []string{`1 ages: ages is not a name here`}},
		{`x.y == "a"`, []string{`1 x.y: x.y is not a name here`}},
		// Unknown names are reported once, however often they are read.
		{`zz == "a" || zz == "b" || yy`, []string{"1 zz: zz is not", "27 yy: yy is not"}},
		// Types.
		{`hukou`, []string{`1 hukou: hukou holds text, not true or false: compare it, e.g. hukou == "shanghai"`}},
		{`age`, []string{`1 age: age holds a number, not true or false: compare it, e.g. age >= 1`}},
		{`married`, []string{`e.g. married >= "2014-10-01"`}},
		{`65`, []string{`1 65: 65 is not a condition`}},
		{`age == "65"`, []string{`5 ==: age is a number and "65" is text: they cannot be compared`}},
		{`hukou == 1`, []string{`7 ==: hukou is text and 1 is a number`}},
		{`card_expired == "no"`, []string{`card_expired is true or false and "no" is text`}},
		{`note >= "a"`, []string{`6 >=: >= compares numbers or dates, and note is text`}},
		{`card_expired < false`, []string{`< compares numbers or dates, and card_expired is true or false`}},
		{`income < hukou * 2`, []string{`10 hukou: only numbers can be multiplied, and hukou is text`}},
		{`married >= "1 Oct 2014"`, []string{`12 "1 Oct 2014": a date is written as text year-month-day`}},
		{`married == age`, []string{`married is a date and age is a number`}},
		{`card in ["a", 1]`, []string{`15 1: card is text and 1 is a number`}},
		// Text against a name that lists its values.
		{`hukou == "shangai"`, []string{`10 "shangai": "shangai" is not one of the values it is compared with can hold: "shanghai", "other", "none"`}},
		{`"femal" != sex`, []string{`1 "femal": "femal" is not one of the values`}},
		{`hukou in ["shanghai", "other", "abroad"]`, []string{`32 "abroad": "abroad" is not one of the values`}},
		// Every problem, in order.
		{`age == "a" || hukou == pudong || sex`, []string{`5 ==:`, `24 pudong:`, `34 sex:`}},
	}
	s := testSide()
	for _, tc := range tests {
		r, err := Parse(tc.src)
		if err != nil {
			t.Errorf("Parse(%s): %v", tc.src, err)
			continue
		}
		err = r.Check(s)
		var es Errors
		if len(tc.want) == 0 {
			if err != nil {
				t.Errorf("Check(%s) = %v, want nil", tc.src, err)
			}
			continue
		}
		if !errors.As(err, &es) || len(es) != len(tc.want) {
			t.Errorf("Check(%s) = %v, want %d problems", tc.src, err, len(tc.want))
			continue
		}
		for i, w := range tc.want {
			got := fmt.Sprintf("%d %s: %s", es[i].Col, es[i].Token, es[i].Msg)
			if !strings.Contains(got, w) {
				t.Errorf("Check(%s) problem %d = %q, want it to contain %q", tc.src, i+1, got, w)
			}
		}
	}
}

// A name the side declares as unreadable (NoType) is a problem, not a crash.
func TestCheckNoType(t *testing.T) {
	r, err := Parse(`sig == "x"`)
	if err != nil {
		t.Fatal(err)
	}
	err = r.Check(NamesFunc(func(string) (Decl, error) { return Decl{}, nil }))
	if err == nil || !strings.Contains(err.Error(), "sig cannot be read by a rule") {
		t.Fatalf("Check = %v", err)
	}
}

func ExampleRule_Eval() {
	r, err := Parse(`age >= 65 && hukou == "shanghai"`)
	if err != nil {
		panic(err)
	}
	facts := ResolverFunc(func(name string) (Value, bool) {
		switch name {
		case "age":
			return NumberValue(70), true
		case "hukou":
			return TextValue("shanghai"), true
		}
		return Value{}, false
	})
	fmt.Println(r.Eval(facts))
	// Output: true
}
