package rule

import "strings"

// Truth is the outcome of a rule: True, False, or Unknown while a name it
// depends on has no value yet.
type Truth int8

// The outcomes.
const (
	False Truth = iota
	True
	Unknown
)

func (t Truth) String() string {
	switch t {
	case True:
		return "true"
	case False:
		return "false"
	}
	return "unknown"
}

func truth(b bool) Truth {
	if b {
		return True
	}
	return False
}

// Eval evaluates the rule with the values res gives. A rule that Check
// accepted meets only the types it expects; any other mismatch (a value of
// another type than declared) makes that comparison Unknown. Eval never
// panics.
func (r *Rule) Eval(res Resolver) Truth { return r.root.eval(res) }

func (n orNode) eval(res Resolver) Truth {
	l := n.l.eval(res)
	if l == True {
		return True
	}
	switch r := n.r.eval(res); {
	case r == True:
		return True
	case l == Unknown || r == Unknown:
		return Unknown
	}
	return False
}

func (n andNode) eval(res Resolver) Truth {
	l := n.l.eval(res)
	if l == False {
		return False
	}
	switch r := n.r.eval(res); {
	case r == False:
		return False
	case l == Unknown || r == Unknown:
		return Unknown
	}
	return True
}

func (n notNode) eval(res Resolver) Truth { return invert(n.x.eval(res)) }

func invert(t Truth) Truth {
	switch t {
	case True:
		return False
	case False:
		return True
	}
	return Unknown
}

func (n lone) eval(res Resolver) Truth {
	v, ok := n.x.value(res)
	if !ok || v.typ != Bool {
		return Unknown
	}
	return truth(v.b)
}

func (n cmpNode) eval(res Resolver) Truth {
	l, ok := n.l.value(res)
	if !ok {
		return Unknown
	}
	r, ok := n.r.value(res)
	if !ok {
		return Unknown
	}
	return compare(l, n.op.raw, r)
}

func (n inNode) eval(res Resolver) Truth {
	l, ok := n.l.value(res)
	if !ok {
		return Unknown
	}
	found := False
	for _, o := range n.list {
		v, ok := o.value(res)
		if !ok {
			found = Unknown
			continue
		}
		if t := compare(l, "==", v); t == True {
			found = True
			break
		} else if t == Unknown {
			found = Unknown
		}
	}
	if n.negate {
		return invert(found)
	}
	return found
}

// value resolves an operand: a literal, a name, or a product of numbers.
func (o operand) value(res Resolver) (Value, bool) {
	if len(o) == 1 {
		return o[0].value(res)
	}
	prod := 1.0
	for i := range o {
		v, ok := o[i].value(res)
		if !ok || v.typ != Number {
			return Value{}, false
		}
		prod *= v.num
	}
	return NumberValue(prod), true
}

func (f *factor) value(res Resolver) (Value, bool) {
	if f.kind != tokName {
		return f.lit, true
	}
	v, ok := res.Value(f.tok.text)
	if !ok || v.typ == NoType {
		return Value{}, false
	}
	return v, true
}

// compare applies op to two values. Text compared with a Date is read as a
// date; values of other differing types are not comparable (Unknown).
func compare(l Value, op string, r Value) Truth {
	lt, rt := l.typ, r.typ
	if lt == Date && rt == Text && isDate(r.str) {
		rt = Date
	}
	if rt == Date && lt == Text && isDate(l.str) {
		lt = Date
	}
	if lt != rt {
		return Unknown
	}
	var c int
	switch lt {
	case Number:
		switch {
		case l.num < r.num:
			c = -1
		case l.num > r.num:
			c = 1
		case l.num != r.num: // NaN: from a resolver, never from a rule
			return Unknown
		}
	case Text, Date:
		c = strings.Compare(l.str, r.str)
		if lt == Text && op != "==" && op != "!=" {
			return Unknown
		}
	case Bool:
		if op != "==" && op != "!=" {
			return Unknown
		}
		if l.b != r.b {
			c = 1
		}
	default:
		return Unknown
	}
	switch op {
	case "==":
		return truth(c == 0)
	case "!=":
		return truth(c != 0)
	case "<":
		return truth(c < 0)
	case "<=":
		return truth(c <= 0)
	case ">":
		return truth(c > 0)
	case ">=":
		return truth(c >= 0)
	}
	return Unknown
}
