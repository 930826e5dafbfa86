package rule

import (
	"errors"
	"math"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// Rules come from catalog files and signed bundles: outside text. Parsing
// and evaluating them must never panic, and what they say must hold.

var fuzzSeeds = []string{
	`age >= 65 && hukou == "shanghai"`,
	`card in ["resident", "permit-hkmotw"] || !card_expired`,
	`income_per_capita < param.dibao_standard * 2`,
	`reg_type != "marry" || (sex == "male" && age >= 22) || (sex == "female" && age >= 20)`,
	`married >= "2014-10-01" && x not in [1, -2.5, "q"]`,
	`note == "say \"hi\" \\ 上海"`, `true || false`, `identified`,
	`hukou == shanghai`, `a = 1`, `a == 'b'`, `a == "unclosed`, `6.`, `1 == 1`,
	`x == 1.2.3`, `-`, `!`, `(`, `)`, `[`, "a\x00== 1", "\xff", `户籍 == "上海"`,
}

var nameShape = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$`)

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		r, err := Parse(src)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error of type %T", err)
			}
			if e.Col < 1 || e.Col > utf8.RuneCountInString(src)+1 || e.Msg == "" {
				t.Fatalf("error %+v outside the rule's %d characters", e, utf8.RuneCountInString(src))
			}
			return
		}
		if r.String() != src {
			t.Fatalf("String() = %q", r.String())
		}
		for _, n := range r.Names() {
			if !nameShape.MatchString(n) || keyword(n) {
				t.Fatalf("odd name %q", n)
			}
		}
		// Whatever parses, parses again inside parentheses and negated
		// (unless that crosses a limit).
		if len(src) < MaxLen-10 {
			if _, err := Parse("!(" + src + ")"); err != nil {
				var e *Error
				if !errors.As(err, &e) || !strings.Contains(e.Msg, "nested") {
					t.Fatalf("!(%s) does not parse: %v", src, err)
				}
			}
		}
	})
}

// fuzzResolver gives every name a value of a type chosen by the name, or
// none, so that rules meet every combination.
type fuzzResolver struct {
	num  float64
	text string
	b    bool
}

func (r fuzzResolver) Value(name string) (Value, bool) {
	switch len(name) % 5 {
	case 0:
		return Value{}, false
	case 1:
		return NumberValue(r.num), true
	case 2:
		return TextValue(r.text), true
	case 3:
		return BoolValue(r.b), true
	}
	return Value{typ: Date, str: "2015-03-08"}, true
}

func FuzzEval(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, float64(i*10), "shanghai", i%2 == 0)
	}
	f.Fuzz(func(t *testing.T, src string, num float64, text string, b bool) {
		r, err := Parse(src)
		if err != nil || len(src) > MaxLen-10 {
			return
		}
		res := fuzzResolver{num, text, b}
		got := r.Eval(res)
		if got != True && got != False && got != Unknown {
			t.Fatalf("Eval = %d", got)
		}
		if again := r.Eval(res); again != got {
			t.Fatalf("Eval changed: %v then %v", got, again)
		}
		want := map[Truth]Truth{True: False, False: True, Unknown: Unknown}[got]
		if n, err := Parse("!(" + src + ")"); err == nil && n.Eval(res) != want {
			t.Fatalf("!(%s) = %v, want %v", src, n.Eval(res), want)
		}
		if n, err := Parse("(" + src + ") && (" + src + ")"); err == nil && n.Eval(res) != got {
			t.Fatalf("(%s) && itself = %v, want %v", src, n.Eval(res), got)
		}
		if n, err := Parse("(" + src + ") || true"); err == nil && n.Eval(res) != True {
			t.Fatalf("(%s) || true = %v", src, n.Eval(res))
		}
		// Check never panics on any side, and a rule it accepts is decided
		// when every name has a value of its declared type (and no number
		// is NaN, or becomes NaN as Inf * 0).
		decls := NamesFunc(func(name string) (Decl, error) {
			v, ok := res.Value(name)
			if !ok {
				return Decl{}, errors.New("no such name")
			}
			return Decl{Type: v.typ}, nil
		})
		if r.Check(decls) == nil && got == Unknown && !math.IsNaN(num) && !math.IsInf(num, 0) && !readsUnknown(r, res) {
			t.Fatalf("%s passed Check with every name known, yet is Unknown", src)
		}
	})
}

func readsUnknown(r *Rule, res Resolver) bool {
	for _, n := range r.Names() {
		if _, ok := res.Value(n); !ok {
			return true
		}
	}
	return false
}
