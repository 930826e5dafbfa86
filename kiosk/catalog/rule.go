package catalog

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Expr is a parsed rule of the catalog rule language, used for eligibility
// rules (kiosk.Rule.When); form-field visibility belongs to kiosk/form:
//
//	expr   = and { "||" and }
//	and    = unary { "&&" unary }
//	unary  = "!" unary | "(" expr ")" | name [ op value | ["not"] "in" list ]
//	op     = "==" | "!=" | "<" | "<=" | ">" | ">="
//	value  = atom { "*" atom }      atom = number | "string" | word | param.NAME
//	list   = "[" [ value { "," value } ] "]"
//
// A name on the left is a fact about the resident (age, card, hukou, ...), an
// answer of the form by field ID, or param.NAME (a dated parameter). A bare
// word on the right is a literal symbol: `card in [resident, permit-hkmotw]`,
// `hukou == shanghai`. A name alone is true when its value is true or yes.
type Expr struct {
	src  string
	root node
}

// String returns the source text of the rule.
func (e *Expr) String() string { return e.src }

// Names returns the names the rule reads (facts and answers), excluding
// parameters, in order of first use.
func (e *Expr) Names() []string {
	var out []string
	e.root.walk(func(name string) {
		if !strings.HasPrefix(name, paramPrefix) && !containsString(out, name) {
			out = append(out, name)
		}
	})
	return out
}

// Params returns the parameter tables the rule reads, without the prefix.
func (e *Expr) Params() []string {
	var out []string
	e.root.walk(func(name string) {
		if p, ok := strings.CutPrefix(name, paramPrefix); ok && !containsString(out, p) {
			out = append(out, p)
		}
	})
	return out
}

const paramPrefix = "param."

// SyntaxError is a rule that does not parse. Col counts characters from 1.
type SyntaxError struct {
	Col int
	Msg string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("column %d: %s", e.Col, e.Msg) }

// maxRuleLen bounds rule text so a hostile bundle cannot make parsing slow.
const maxRuleLen = 2000

// ParseRule parses src as a rule of the catalog rule language.
func ParseRule(src string) (*Expr, error) {
	if strings.TrimSpace(src) == "" {
		return nil, &SyntaxError{Col: 1, Msg: "the rule is empty"}
	}
	if len(src) > maxRuleLen {
		return nil, &SyntaxError{Col: 1, Msg: fmt.Sprintf("the rule is longer than %d bytes", maxRuleLen)}
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	n, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.errAt(t, fmt.Sprintf("unexpected %q", t.text))
	}
	return &Expr{src: src, root: n}, nil
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokName
	tokNumber
	tokString
	tokOp // == != < <= > >= && || ! ( ) [ ] , *
)

type token struct {
	kind tokKind
	text string // for strings: the unquoted value
	pos  int    // byte offset
}

func isNameStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }
func isNamePart(r rune) bool {
	return r == '_' || r == '-' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func lex(src string) ([]token, error) {
	var toks []token
	col := func(pos int) int { return utf8.RuneCountInString(src[:pos]) + 1 }
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRuneInString(src[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return nil, &SyntaxError{Col: col(i), Msg: "the rule is not valid UTF-8"}
		case unicode.IsSpace(r):
			i += size
		case isNameStart(r):
			j := i + size
			for j < len(src) {
				r2, s2 := utf8.DecodeRuneInString(src[j:])
				if !isNamePart(r2) {
					break
				}
				j += s2
			}
			toks = append(toks, token{tokName, src[i:j], i})
			i = j
		case r >= '0' && r <= '9':
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
				j++
			}
			if _, err := strconv.ParseFloat(src[i:j], 64); err != nil {
				return nil, &SyntaxError{Col: col(i), Msg: fmt.Sprintf("%q is not a number", src[i:j])}
			}
			toks = append(toks, token{tokNumber, src[i:j], i})
			i = j
		case r == '"':
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) {
				return nil, &SyntaxError{Col: col(i), Msg: "a string is not closed with \""}
			}
			s, err := strconv.Unquote(src[i : j+1])
			if err != nil {
				return nil, &SyntaxError{Col: col(i), Msg: "a string has a bad escape"}
			}
			toks = append(toks, token{tokString, s, i})
			i = j + 1
		default:
			two := ""
			if i+1 < len(src) {
				two = src[i : i+2]
			}
			switch two {
			case "==", "!=", "<=", ">=", "&&", "||":
				toks = append(toks, token{tokOp, two, i})
				i += 2
				continue
			}
			switch r {
			case '<', '>', '!', '(', ')', '[', ']', ',', '*':
				toks = append(toks, token{tokOp, string(r), i})
				i++
			case '=':
				return nil, &SyntaxError{Col: col(i), Msg: "use == to compare"}
			case '&', '|':
				return nil, &SyntaxError{Col: col(i), Msg: fmt.Sprintf("use %c%c", r, r)}
			default:
				return nil, &SyntaxError{Col: col(i), Msg: fmt.Sprintf("unexpected character %q", r)}
			}
		}
	}
	return append(toks, token{kind: tokEOF, pos: len(src)}), nil
}

type parser struct {
	src  string
	toks []token
	i    int
}

// maxDepth bounds nesting so deeply nested input cannot exhaust the stack.
const maxDepth = 50

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) errAt(t token, msg string) error {
	if t.kind == tokEOF {
		msg = "the rule ends too early"
	}
	return &SyntaxError{Col: utf8.RuneCountInString(p.src[:t.pos]) + 1, Msg: msg}
}

func (p *parser) isOp(s string) bool { t := p.peek(); return t.kind == tokOp && t.text == s }

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
	if depth > maxDepth {
		return nil, p.errAt(p.peek(), "the rule is nested too deeply")
	}
	t := p.peek()
	switch {
	case t.kind == tokOp && t.text == "!":
		p.next()
		x, err := p.unary(depth + 1)
		if err != nil {
			return nil, err
		}
		return notNode{x}, nil
	case t.kind == tokOp && t.text == "(":
		p.next()
		x, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if !p.isOp(")") {
			return nil, p.errAt(p.peek(), fmt.Sprintf("expected ) but found %q", p.peek().text))
		}
		p.next()
		return x, nil
	case t.kind == tokName:
		p.next()
		name := t.text
		if name == "in" || name == "not" {
			return nil, p.errAt(t, fmt.Sprintf("expected a name but found %q", name))
		}
		op := p.peek()
		switch {
		case op.kind == tokOp && isCompare(op.text):
			p.next()
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			return cmpNode{name, op.text, v}, nil
		case op.kind == tokName && (op.text == "in" || op.text == "not"):
			p.next()
			negate := op.text == "not"
			if negate {
				if in := p.next(); in.kind != tokName || in.text != "in" {
					return nil, p.errAt(in, "expected in after not")
				}
			}
			list, err := p.list()
			if err != nil {
				return nil, err
			}
			return inNode{name, list, negate}, nil
		}
		return truthNode{name}, nil
	}
	return nil, p.errAt(t, fmt.Sprintf("unexpected %q", t.text))
}

func isCompare(s string) bool {
	switch s {
	case "==", "!=", "<", "<=", ">", ">=":
		return true
	}
	return false
}

func (p *parser) list() ([]value, error) {
	if !p.isOp("[") {
		return nil, p.errAt(p.peek(), fmt.Sprintf("expected [ but found %q", p.peek().text))
	}
	p.next()
	var out []value
	if p.isOp("]") {
		p.next()
		return out, nil
	}
	for {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		if p.isOp(",") {
			p.next()
			continue
		}
		if p.isOp("]") {
			p.next()
			return out, nil
		}
		return nil, p.errAt(p.peek(), fmt.Sprintf("expected , or ] but found %q", p.peek().text))
	}
}

func (p *parser) value() (value, error) {
	var v value
	for {
		t := p.next()
		var a atom
		switch t.kind {
		case tokNumber:
			f, _ := strconv.ParseFloat(t.text, 64)
			a = atom{num: f, isNum: true}
		case tokString:
			a = atom{str: t.text}
		case tokName:
			if strings.HasPrefix(t.text, paramPrefix) {
				if len(t.text) == len(paramPrefix) {
					return v, p.errAt(t, "param. needs a parameter name")
				}
				a = atom{ref: t.text}
			} else {
				a = atom{str: t.text}
			}
		default:
			return v, p.errAt(t, fmt.Sprintf("expected a value but found %q", t.text))
		}
		v.factors = append(v.factors, a)
		if !p.isOp("*") {
			break
		}
		p.next()
	}
	if len(v.factors) > 1 {
		for _, a := range v.factors {
			if !a.isNum && a.ref == "" {
				return v, &SyntaxError{Col: 1, Msg: "only numbers and parameters can be multiplied"}
			}
		}
	}
	return v, nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
