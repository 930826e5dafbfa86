package form

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits on a condition's source, so that a malformed catalog file cannot
// make the parser recurse or allocate without bound.
const (
	maxConditionLen   = 1000
	maxConditionDepth = 32
)

// Condition is a parsed visibility rule (a field's VisibleIf), such as
//
//	marital == "married"
//	age >= 60 && has_income == "yes"
//	!(district == "崇明区" || home.district == "崇明区")
//
// The grammar has comparisons (== != >= <= > <) between values (a "string",
// a number, or a name), combined with && || ! and parentheses. A bare name is
// not a condition: write `has_income == "yes"`, which says what is meant.
//
// Names are field IDs, optionally with a part (address: .district, .street;
// family list: .count), or `age`, the resident's age in whole years on the
// form's day, taken from the identity.
//
// A Condition is immutable and safe for concurrent use.
type Condition struct {
	src  string
	root node
}

// ConditionError says why a condition does not parse, and where.
type ConditionError struct {
	Src string // the condition as written
	Pos int    // byte offset of the problem in Src
	Msg string // what is wrong, in plain words for catalog authors
}

func (e *ConditionError) Error() string {
	return fmt.Sprintf("condition %q: %s (at character %d)", e.Src, e.Msg, e.Pos+1)
}

// ParseCondition parses a visibility rule. An empty or blank source is an
// error: a field without a rule simply has no VisibleIf.
func ParseCondition(src string) (*Condition, error) {
	if len(src) > maxConditionLen {
		return nil, &ConditionError{Src: shorten(src, 40), Pos: maxConditionLen, Msg: fmt.Sprintf("longer than %d characters", maxConditionLen)}
	}
	p := &parser{src: src}
	if err := p.lex(); err != nil {
		return nil, err
	}
	if len(p.toks) == 1 { // only EOF
		return nil, p.errAt(0, "empty condition")
	}
	root, err := p.parseOr(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.errAt(t.pos, fmt.Sprintf("unexpected %s", t.describe()))
	}
	return &Condition{src: src, root: root}, nil
}

// shorten cuts s to at most n bytes on a character boundary, marking the cut.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// String returns the condition as written.
func (c *Condition) String() string { return c.src }

// Refs returns the names the condition reads, in order of first use,
// each once (e.g. "marital", "age", "home.district").
func (c *Condition) Refs() []string {
	var refs []string
	seen := map[string]bool{}
	var walk func(n node)
	walk = func(n node) {
		switch n := n.(type) {
		case *logicNode:
			walk(n.l)
			walk(n.r)
		case *notNode:
			walk(n.x)
		case *cmpNode:
			for _, v := range []valueNode{n.l, n.r} {
				if v.kind == valRef && !seen[v.text] {
					seen[v.text] = true
					refs = append(refs, v.text)
				}
			}
		}
	}
	walk(c.root)
	return refs
}

// Eval evaluates the condition. lookup returns the current value of a name
// as a string; an unknown or empty value is "". Comparisons follow these
// rules:
//   - == and != compare as numbers when both sides read as numbers, and as
//     strings otherwise; != is always the negation of ==;
//   - < <= > >= compare as numbers when both sides read as numbers, as
//     strings when both are non-empty text (ISO dates order correctly), and
//     are false when either side is empty.
func (c *Condition) Eval(lookup func(name string) string) bool {
	return c.root.eval(lookup)
}

// --- syntax tree ---

type node interface {
	eval(lookup func(string) string) bool
}

type logicNode struct {
	and  bool // && when true, || when false
	l, r node
}

func (n *logicNode) eval(lookup func(string) string) bool {
	if n.and {
		return n.l.eval(lookup) && n.r.eval(lookup)
	}
	return n.l.eval(lookup) || n.r.eval(lookup)
}

type notNode struct{ x node }

func (n *notNode) eval(lookup func(string) string) bool { return !n.x.eval(lookup) }

type constNode bool

func (n constNode) eval(func(string) string) bool { return bool(n) }

type valueKind int

const (
	valString valueKind = iota
	valNumber
	valRef
)

type valueNode struct {
	kind valueKind
	text string  // string literal, number as written, or reference name
	num  float64 // valNumber only
}

// resolve returns the value as a string and, when it reads as a number, its
// numeric value.
func (v valueNode) resolve(lookup func(string) string) (s string, n float64, isNum bool) {
	switch v.kind {
	case valNumber:
		return v.text, v.num, true
	case valRef:
		s = lookup(v.text)
	default:
		s = v.text
	}
	n, isNum = parseDecimal(s)
	return s, n, isNum
}

type cmpNode struct {
	op   string
	l, r valueNode
}

func (n *cmpNode) eval(lookup func(string) string) bool {
	ls, ln, lnum := n.l.resolve(lookup)
	rs, rn, rnum := n.r.resolve(lookup)
	numeric := lnum && rnum
	switch n.op {
	case "==":
		if numeric {
			return ln == rn
		}
		return ls == rs
	case "!=":
		if numeric {
			return ln != rn
		}
		return ls != rs
	}
	var c int
	switch {
	case numeric:
		switch {
		case ln < rn:
			c = -1
		case ln > rn:
			c = 1
		}
	case ls != "" && rs != "" && !lnum && !rnum:
		c = strings.Compare(ls, rs)
	default:
		return false
	}
	switch n.op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	default: // ">="
		return c >= 0
	}
}

// parseDecimal reads an optionally signed decimal number written with digits
// and at most one point ("60", "-1", "1650.5"). Anything else (exponents,
// "NaN", "Inf", spaces) is not a number.
func parseDecimal(s string) (float64, bool) {
	if s == "" || len(s) > 32 {
		return 0, false
	}
	body := s
	if body[0] == '-' || body[0] == '+' {
		body = body[1:]
	}
	digits, point := 0, false
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !point && i > 0 && i < len(body)-1:
			point = true
		default:
			return 0, false
		}
	}
	if digits == 0 {
		return 0, false
	}
	n, err := strconv.ParseFloat(s, 64)
	return n, err == nil
}

// --- lexer ---

type tokKind int

const (
	tokEOF tokKind = iota
	tokOp          // == != >= <= > < && || !
	tokLParen
	tokRParen
	tokString
	tokNumber
	tokName
)

type token struct {
	kind tokKind
	text string // operator, name, number as written, or unquoted string
	pos  int
}

func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of condition"
	case tokString:
		return strconv.Quote(t.text)
	default:
		return "'" + t.text + "'"
	}
}

type parser struct {
	src  string
	toks []token
	i    int
}

func (p *parser) errAt(pos int, msg string) *ConditionError {
	return &ConditionError{Src: p.src, Pos: pos, Msg: msg}
}

func isNameStart(c byte) bool { return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
func isNameChar(c byte) bool  { return isNameStart(c) || (c >= '0' && c <= '9') }

func (p *parser) lex() error {
	s := p.src
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			p.toks = append(p.toks, token{tokLParen, "(", i})
			i++
		case c == ')':
			p.toks = append(p.toks, token{tokRParen, ")", i})
			i++
		case c == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' {
					if j+1 >= len(s) || (s[j+1] != '"' && s[j+1] != '\\') {
						return p.errAt(j, `only \" and \\ may follow a backslash in a string`)
					}
					j++
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return p.errAt(i, "a string is not closed with \"")
			}
			p.toks = append(p.toks, token{tokString, b.String(), i})
			i = j + 1
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j < len(s) && s[j] == '.' {
				j++
				k := j
				for j < len(s) && s[j] >= '0' && s[j] <= '9' {
					j++
				}
				if j == k {
					return p.errAt(i, "a number needs digits after its point")
				}
			}
			if j < len(s) && isNameChar(s[j]) {
				return p.errAt(i, "a name cannot start with a digit")
			}
			p.toks = append(p.toks, token{tokNumber, s[i:j], i})
			i = j
		case isNameStart(c):
			j := i + 1
			for j < len(s) && (isNameChar(s[j]) || (s[j] == '.' && j+1 < len(s) && isNameStart(s[j+1]))) {
				j++
			}
			p.toks = append(p.toks, token{tokName, s[i:j], i})
			i = j
		default:
			if i+1 < len(s) {
				switch two := s[i : i+2]; two {
				case "==", "!=", ">=", "<=", "&&", "||":
					p.toks = append(p.toks, token{tokOp, two, i})
					i += 2
					continue
				}
			}
			switch c {
			case '>', '<', '!':
				p.toks = append(p.toks, token{tokOp, string(c), i})
				i++
				continue
			case '=':
				return p.errAt(i, "use == to compare")
			case '&', '|':
				return p.errAt(i, "use && or ||")
			case '\'':
				return p.errAt(i, "strings are written in double quotes")
			case '-':
				if i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
					j := i + 1
					for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
						j++
					}
					if _, ok := parseDecimal(s[i:j]); !ok {
						return p.errAt(i, "not a number")
					}
					p.toks = append(p.toks, token{tokNumber, s[i:j], i})
					i = j
					continue
				}
			}
			return p.errAt(i, fmt.Sprintf("unexpected character %q", runeAt(s, i)))
		}
	}
	p.toks = append(p.toks, token{kind: tokEOF, pos: len(s)})
	return nil
}

func runeAt(s string, i int) rune {
	for _, r := range s[i:] {
		return r
	}
	return 0
}

// --- parser (recursive descent, depth-limited) ---

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) isOp(op string) bool {
	t := p.peek()
	return t.kind == tokOp && t.text == op
}

func (p *parser) parseOr(depth int) (node, error) {
	l, err := p.parseAnd(depth)
	if err != nil {
		return nil, err
	}
	for p.isOp("||") {
		p.next()
		r, err := p.parseAnd(depth)
		if err != nil {
			return nil, err
		}
		l = &logicNode{and: false, l: l, r: r}
	}
	return l, nil
}

func (p *parser) parseAnd(depth int) (node, error) {
	l, err := p.parseUnary(depth)
	if err != nil {
		return nil, err
	}
	for p.isOp("&&") {
		p.next()
		r, err := p.parseUnary(depth)
		if err != nil {
			return nil, err
		}
		l = &logicNode{and: true, l: l, r: r}
	}
	return l, nil
}

func (p *parser) parseUnary(depth int) (node, error) {
	if depth > maxConditionDepth {
		return nil, p.errAt(p.peek().pos, fmt.Sprintf("nested more than %d deep", maxConditionDepth))
	}
	t := p.peek()
	switch {
	case t.kind == tokOp && t.text == "!":
		p.next()
		x, err := p.parseUnary(depth + 1)
		if err != nil {
			return nil, err
		}
		return &notNode{x: x}, nil
	case t.kind == tokLParen:
		p.next()
		x, err := p.parseOr(depth + 1)
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tokRParen {
			return nil, p.errAt(c.pos, fmt.Sprintf("expected ')' but found %s", c.describe()))
		}
		return x, nil
	case t.kind == tokName && (t.text == "true" || t.text == "false"):
		p.next()
		return constNode(t.text == "true"), nil
	}
	return p.parseComparison()
}

func (p *parser) parseComparison() (node, error) {
	l, err := p.parseValue()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind != tokOp || t.text == "!" || t.text == "&&" || t.text == "||" {
		if l.kind == valRef {
			return nil, p.errAt(t.pos, fmt.Sprintf("%s needs a comparison, e.g. %s == \"yes\"", l.text, l.text))
		}
		return nil, p.errAt(t.pos, fmt.Sprintf("expected a comparison (== != >= <= > <) but found %s", t.describe()))
	}
	p.next()
	r, err := p.parseValue()
	if err != nil {
		return nil, err
	}
	if l.kind != valRef && r.kind != valRef {
		return nil, p.errAt(t.pos, "a comparison needs a field name on one side")
	}
	return &cmpNode{op: t.text, l: l, r: r}, nil
}

func (p *parser) parseValue() (valueNode, error) {
	t := p.next()
	switch t.kind {
	case tokString:
		return valueNode{kind: valString, text: t.text}, nil
	case tokNumber:
		n, ok := parseDecimal(t.text)
		if !ok {
			return valueNode{}, p.errAt(t.pos, "not a number")
		}
		return valueNode{kind: valNumber, text: t.text, num: n}, nil
	case tokName:
		if t.text == "true" || t.text == "false" {
			return valueNode{}, p.errAt(t.pos, t.text+" cannot be compared")
		}
		return valueNode{kind: valRef, text: t.text}, nil
	}
	return valueNode{}, p.errAt(t.pos, fmt.Sprintf("expected a \"string\", a number or a field name but found %s", t.describe()))
}
