package rule

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Limits on a rule's text, so that a hostile catalog bundle cannot make
// parsing slow or deep.
const (
	MaxLen   = 2000 // bytes
	MaxDepth = 50   // nested parentheses and !
)

// Rule is a parsed rule. It is immutable and safe for concurrent use.
type Rule struct {
	src   string
	root  node
	names []string
}

// String returns the rule as written.
func (r *Rule) String() string { return r.src }

// Names returns the names the rule reads, each once, in order of first use.
func (r *Rule) Names() []string { return r.names }

// Parse parses src as a rule. Every error is an *Error.
func Parse(src string) (*Rule, error) {
	if len(src) > MaxLen {
		return nil, &Error{Col: 1, Token: shorten(src, 20), Msg: fmt.Sprintf("the rule is longer than %d bytes", MaxLen)}
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	if toks[0].kind == tokEnd {
		return nil, &Error{Col: 1, Msg: "the rule is empty"}
	}
	// One backing array serves every operand. Two factors are always
	// separated by another token, so they are at most half the tokens
	// (the last being the end); were they more, append would move on to a
	// new array and the operands already made would keep the old one.
	p := &parser{toks: toks, factors: make([]factor, 0, (len(toks)+1)/2)}
	root, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEnd {
		return nil, p.errAt(t, "expected && or || or the end of the rule")
	}
	r := &Rule{src: src, root: root}
	walk(root, func(f *factor) {
		if f.kind == tokName && !slices.Contains(r.names, f.tok.text) {
			r.names = append(r.names, f.tok.text)
		}
	})
	return r, nil
}

func shorten(s string, n int) string {
	for i := range s {
		if i >= n {
			return s[:i] + "…"
		}
	}
	return s
}

// The syntax tree.
type (
	node interface{ eval(Resolver) Truth }

	orNode  struct{ l, r node }
	andNode struct{ l, r node }
	notNode struct{ x node }
	// lone is an operand used as a condition: it must be a Bool.
	lone    struct{ x operand }
	cmpNode struct {
		op   token
		l, r operand
	}
	inNode struct {
		op     token // "in", or "not" of "not in"
		l      operand
		list   []operand
		negate bool
	}
	// operand is a product of factors, usually just one.
	operand []factor
	factor  struct {
		kind tokKind // tokName, tokNumber, tokText or tokBool
		tok  token
		lit  Value // the value of a literal
	}
)

// walk calls fn for every factor of the tree, in the order of the text.
func walk(n node, fn func(*factor)) {
	ops := func(o operand) {
		for i := range o {
			fn(&o[i])
		}
	}
	switch n := n.(type) {
	case orNode:
		walk(n.l, fn)
		walk(n.r, fn)
	case andNode:
		walk(n.l, fn)
		walk(n.r, fn)
	case notNode:
		walk(n.x, fn)
	case lone:
		ops(n.x)
	case cmpNode:
		ops(n.l)
		ops(n.r)
	case inNode:
		ops(n.l)
		for _, o := range n.list {
			ops(o)
		}
	}
}

type parser struct {
	toks    []token
	i       int
	factors []factor // backing array of the operands
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEnd {
		p.i++
	}
	return t
}

func (p *parser) isOp(s string) bool { t := p.peek(); return t.kind == tokOp && t.raw == s }

func (p *parser) errAt(t token, msg string) error {
	if t.kind == tokEnd {
		return &Error{Col: t.col, Msg: "the rule ends too early: " + msg}
	}
	return &Error{Col: t.col, Token: t.raw, Msg: msg}
}

func (p *parser) or(depth int) (node, error) {
	l, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	for p.isOp("||") {
		p.next()
		r, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		l = orNode{l, r}
	}
	return l, nil
}

func (p *parser) and(depth int) (node, error) {
	l, err := p.unary(depth)
	if err != nil {
		return nil, err
	}
	for p.isOp("&&") {
		p.next()
		r, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		l = andNode{l, r}
	}
	return l, nil
}

func (p *parser) unary(depth int) (node, error) {
	if depth >= MaxDepth {
		return nil, p.errAt(p.peek(), fmt.Sprintf("the rule is nested more than %d deep", MaxDepth))
	}
	switch {
	case p.isOp("!"):
		p.next()
		x, err := p.unary(depth + 1)
		if err != nil {
			return nil, err
		}
		return notNode{x}, nil
	case p.isOp("("):
		p.next()
		x, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if !p.isOp(")") {
			return nil, p.errAt(p.peek(), "expected ) to close the ( before")
		}
		p.next()
		return x, nil
	}
	return p.condition()
}

func isCompare(s string) bool {
	switch s {
	case "==", "!=", "<", "<=", ">", ">=":
		return true
	}
	return false
}

func (p *parser) condition() (node, error) {
	l, err := p.operand()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	switch {
	case t.kind == tokOp && isCompare(t.raw):
		p.next()
		r, err := p.operand()
		if err != nil {
			return nil, err
		}
		if !l.readsName() && !r.readsName() {
			return nil, p.errAt(t, "a comparison needs a name on one side")
		}
		return cmpNode{op: t, l: l, r: r}, nil
	case t.kind == tokName && (t.raw == "in" || t.raw == "not"):
		p.next()
		negate := t.raw == "not"
		if negate {
			if in := p.next(); in.kind != tokName || in.raw != "in" {
				return nil, p.errAt(in, "expected in after not")
			}
		}
		list, err := p.list()
		if err != nil {
			return nil, err
		}
		return inNode{op: t, l: l, list: list, negate: negate}, nil
	}
	return lone{l}, nil
}

func (p *parser) list() ([]operand, error) {
	if !p.isOp("[") {
		return nil, p.errAt(p.peek(), `expected a list after in, like ["a", "b"]`)
	}
	p.next()
	var out []operand
	if p.isOp("]") {
		p.next()
		return out, nil
	}
	for {
		o, err := p.operand()
		if err != nil {
			return nil, err
		}
		out = append(out, o)
		switch {
		case p.isOp(","):
			p.next()
		case p.isOp("]"):
			p.next()
			return out, nil
		default:
			return nil, p.errAt(p.peek(), "expected , or ] in the list")
		}
	}
}

func (p *parser) operand() (operand, error) {
	start := len(p.factors)
	for {
		f, err := p.factor()
		if err != nil {
			return nil, err
		}
		p.factors = append(p.factors, f)
		if !p.isOp("*") {
			return operand(p.factors[start:len(p.factors):len(p.factors)]), nil
		}
		p.next()
	}
}

func (p *parser) factor() (factor, error) {
	t := p.next()
	switch t.kind {
	case tokNumber:
		n, err := strconv.ParseFloat(t.raw, 64)
		if err != nil {
			return factor{}, p.errAt(t, "this number is too large")
		}
		return factor{kind: tokNumber, tok: t, lit: NumberValue(n)}, nil
	case tokText:
		return factor{kind: tokText, tok: t, lit: TextValue(t.text)}, nil
	case tokName:
		switch t.raw {
		case "true", "false":
			return factor{kind: tokBool, tok: t, lit: BoolValue(t.raw == "true")}, nil
		case "in", "not":
			return factor{}, p.errAt(t, "expected a name, a number or text")
		}
		return factor{kind: tokName, tok: t}, nil
	}
	return factor{}, p.errAt(t, "expected a name, a number or text")
}

func (o operand) readsName() bool {
	for _, f := range o {
		if f.kind == tokName {
			return true
		}
	}
	return false
}

// describe says what an operand is, for messages: the name, or the literal
// as written.
func (o operand) describe() string {
	parts := make([]string, len(o))
	for i, f := range o {
		parts[i] = f.tok.raw
	}
	return strings.Join(parts, " * ")
}
