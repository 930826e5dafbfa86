package catalog

import (
	"strconv"
	"strings"
)

// truth is a three-valued truth: a rule may be undecided while the facts or
// answers it reads are not known yet.
type truth int8

const (
	isFalse truth = iota
	isTrue
	isUnknown
)

func truthOf(b bool) truth {
	if b {
		return isTrue
	}
	return isFalse
}

// lookup returns the value of a name (fact, answer or param.NAME) and whether
// it is known.
type lookup func(name string) (string, bool)

type node interface {
	eval(env lookup) truth
	walk(fn func(name string))
}

type (
	orNode    struct{ l, r node }
	andNode   struct{ l, r node }
	notNode   struct{ x node }
	truthNode struct{ name string }
	cmpNode   struct {
		name string
		op   string
		v    value
	}
	inNode struct {
		name   string
		list   []value
		negate bool
	}
)

// value is a product of atoms (usually just one).
type value struct{ factors []atom }

type atom struct {
	num   float64
	isNum bool
	str   string // literal string or symbol
	ref   string // param.NAME
}

func (n orNode) eval(env lookup) truth {
	l, r := n.l.eval(env), n.r.eval(env)
	switch {
	case l == isTrue || r == isTrue:
		return isTrue
	case l == isUnknown || r == isUnknown:
		return isUnknown
	}
	return isFalse
}

func (n andNode) eval(env lookup) truth {
	l, r := n.l.eval(env), n.r.eval(env)
	switch {
	case l == isFalse || r == isFalse:
		return isFalse
	case l == isUnknown || r == isUnknown:
		return isUnknown
	}
	return isTrue
}

func (n notNode) eval(env lookup) truth {
	switch n.x.eval(env) {
	case isTrue:
		return isFalse
	case isFalse:
		return isTrue
	}
	return isUnknown
}

func (n truthNode) eval(env lookup) truth {
	s, ok := env(n.name)
	if !ok {
		return isUnknown
	}
	switch strings.ToLower(s) {
	case "true", "yes", "1":
		return isTrue
	}
	return isFalse
}

func (n cmpNode) eval(env lookup) truth {
	s, ok := env(n.name)
	if !ok {
		return isUnknown
	}
	rv, ok := n.v.resolve(env)
	if !ok {
		return isUnknown
	}
	return compare(s, n.op, rv)
}

func (n inNode) eval(env lookup) truth {
	s, ok := env(n.name)
	if !ok {
		return isUnknown
	}
	found := isFalse
	for _, v := range n.list {
		rv, ok := v.resolve(env)
		if !ok {
			found = isUnknown
			continue
		}
		if compare(s, "==", rv) == isTrue {
			found = isTrue
			break
		}
	}
	if n.negate {
		return notNode{constNode(found)}.eval(env)
	}
	return found
}

type constNode truth

func (c constNode) eval(lookup) truth    { return truth(c) }
func (c constNode) walk(func(string))    {}
func (n orNode) walk(fn func(string))    { n.l.walk(fn); n.r.walk(fn) }
func (n andNode) walk(fn func(string))   { n.l.walk(fn); n.r.walk(fn) }
func (n notNode) walk(fn func(string))   { n.x.walk(fn) }
func (n truthNode) walk(fn func(string)) { fn(n.name) }
func (n cmpNode) walk(fn func(string))   { fn(n.name); n.v.walk(fn) }
func (n inNode) walk(fn func(string)) {
	fn(n.name)
	for _, v := range n.list {
		v.walk(fn)
	}
}

func (v value) walk(fn func(string)) {
	for _, a := range v.factors {
		if a.ref != "" {
			fn(a.ref)
		}
	}
}

// resolve returns the value as a string: a product of numbers and
// parameters as a number, otherwise the literal.
func (v value) resolve(env lookup) (string, bool) {
	if len(v.factors) == 1 && v.factors[0].ref == "" {
		a := v.factors[0]
		if a.isNum {
			return strconv.FormatFloat(a.num, 'f', -1, 64), true
		}
		return a.str, true
	}
	prod := 1.0
	for _, a := range v.factors {
		if a.ref == "" {
			prod *= a.num
			continue
		}
		s, ok := env(a.ref)
		if !ok {
			return "", false
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return "", false
		}
		prod *= f
	}
	return strconv.FormatFloat(prod, 'f', -1, 64), true
}

// compare compares numerically when both sides are numbers, otherwise as
// strings (only == and != are meaningful then; ordering compares bytes).
func compare(l, op, r string) truth {
	lf, lerr := strconv.ParseFloat(strings.TrimSpace(l), 64)
	rf, rerr := strconv.ParseFloat(r, 64)
	if lerr == nil && rerr == nil {
		switch op {
		case "==":
			return truthOf(lf == rf)
		case "!=":
			return truthOf(lf != rf)
		case "<":
			return truthOf(lf < rf)
		case "<=":
			return truthOf(lf <= rf)
		case ">":
			return truthOf(lf > rf)
		case ">=":
			return truthOf(lf >= rf)
		}
		return isFalse
	}
	if op == "==" || op == "!=" {
		eq := l == r
		return truthOf(eq == (op == "=="))
	}
	if (lerr == nil) != (rerr == nil) {
		// An ordering between a number and a non-number (an answer typed
		// as text) cannot be decided.
		return isUnknown
	}
	switch op {
	case "<":
		return truthOf(l < r)
	case "<=":
		return truthOf(l <= r)
	case ">":
		return truthOf(l > r)
	case ">=":
		return truthOf(l >= r)
	}
	return isFalse
}

// Eval evaluates the rule. It returns (holds, decided): decided is false when
// the rule reads a name whose value is not known yet.
func (e *Expr) Eval(env func(name string) (string, bool)) (holds, decided bool) {
	switch e.root.eval(env) {
	case isTrue:
		return true, true
	case isFalse:
		return false, true
	}
	return false, false
}
