package rule

import (
	"fmt"
	"slices"
	"strings"
)

// Check holds the rule to the names a side declares: every name must be
// one it supplies, every comparison must compare values of one type, and
// text compared with a name that lists its values must be one of them. It
// returns nil or Errors, one *Error per problem, in the order of the text.
func (r *Rule) Check(names Names) error {
	c := &checker{names: names}
	c.node(r.root)
	if len(c.errs) == 0 {
		return nil
	}
	return c.errs
}

type declared struct {
	name string
	decl Decl
}

type checker struct {
	names Names
	known []declared // names already declared
	bad   []string   // names already reported unknown, to report each once
	errs  Errors
}

func (c *checker) fail(t token, format string, args ...any) {
	c.errs = append(c.errs, &Error{Col: t.col, Token: t.raw, Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) node(n node) {
	switch n := n.(type) {
	case orNode:
		c.node(n.l)
		c.node(n.r)
	case andNode:
		c.node(n.l)
		c.node(n.r)
	case notNode:
		c.node(n.x)
	case lone:
		d, ok := c.operand(n.x)
		if ok && d.Type != Bool {
			f := n.x[0]
			if f.kind == tokName {
				c.fail(f.tok, "%s holds %s, not true or false: compare it, e.g. %s", f.tok.raw, d.Type, example(f.tok.raw, d))
			} else {
				c.fail(f.tok, "%s is not a condition: compare it with a name", n.x.describe())
			}
		}
	case cmpNode:
		l, lok := c.operand(n.l)
		r, rok := c.operand(n.r)
		if lok && rok {
			c.compare(n.op, n.op.raw, n.l, l, n.r, r)
		}
	case inNode:
		l, lok := c.operand(n.l)
		for _, o := range n.list {
			d, ok := c.operand(o)
			if lok && ok {
				c.compare(o[0].tok, "==", n.l, l, o, d)
			}
		}
	}
}

// operand declares an operand; false when a problem was reported.
func (c *checker) operand(o operand) (Decl, bool) {
	ok := true
	var d Decl
	for i := range o {
		fd, fok := c.factor(&o[i])
		if !fok {
			ok = false
			continue
		}
		if len(o) > 1 && fd.Type != Number {
			c.fail(o[i].tok, "only numbers can be multiplied, and %s is %s", o[i].tok.raw, fd.Type)
			ok = false
		}
		d = fd
	}
	if len(o) > 1 {
		d = Decl{Type: Number}
	}
	return d, ok
}

func (c *checker) factor(f *factor) (Decl, bool) {
	if f.kind != tokName {
		return Decl{Type: f.lit.typ}, true
	}
	name := f.tok.text
	for _, k := range c.known {
		if k.name == name {
			return k.decl, true
		}
	}
	if slices.Contains(c.bad, name) {
		return Decl{}, false
	}
	d, err := c.names.Decl(name)
	if err == nil && d.Type == NoType {
		err = fmt.Errorf("%s cannot be read by a rule", name)
	}
	if err != nil {
		msg := err.Error()
		if !strings.Contains(name, ".") {
			msg += fmt.Sprintf(`; if you mean the text, write it in double quotes: "%s"`, name)
		}
		c.fail(f.tok, "%s", msg)
		c.bad = append(c.bad, name)
		return Decl{}, false
	}
	c.known = append(c.known, declared{name, d})
	return d, true
}

// compare checks l op r, reporting problems at token at.
func (c *checker) compare(at token, op string, lo operand, l Decl, ro operand, r Decl) {
	// Text literals compared with a date must be dates; with a name that
	// lists its values, one of them.
	lt, rt := c.literalAs(lo, l, r), c.literalAs(ro, r, l)
	if lt == NoType || rt == NoType {
		return
	}
	if lt != rt {
		c.fail(at, "%s is %s and %s is %s: they cannot be compared", lo.describe(), lt, ro.describe(), rt)
		return
	}
	if op != "==" && op != "!=" && lt != Number && lt != Date {
		c.fail(at, "%s compares numbers or dates, and %s is %s", op, lo.describe(), lt)
	}
}

// literalAs returns the type operand o (declared d) takes when compared
// with a value declared other, or NoType after reporting a problem.
func (c *checker) literalAs(o operand, d, other Decl) Type {
	if len(o) != 1 || o[0].kind != tokText {
		return d.Type
	}
	f := o[0]
	switch {
	case other.Type == Date:
		if !isDate(f.tok.text) {
			c.fail(f.tok, "a date is written as text year-month-day, like \"2014-10-01\"")
			return NoType
		}
		return Date
	case other.Type == Text && other.Values != nil && !slices.Contains(other.Values, f.tok.text):
		c.fail(f.tok, "%s is not one of the values it is compared with can hold: %s", f.tok.raw, quoteAll(other.Values))
		return NoType
	}
	return d.Type
}

func quoteAll(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = `"` + v + `"`
	}
	return strings.Join(q, ", ")
}

// example shows how to compare a name of declaration d.
func example(name string, d Decl) string {
	switch d.Type {
	case Number:
		return name + " >= 1"
	case Date:
		return name + ` >= "2014-10-01"`
	}
	v := "…"
	if len(d.Values) > 0 {
		v = d.Values[0]
	}
	return fmt.Sprintf(`%s == "%s"`, name, v)
}
