package rule

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tokEnd tokKind = iota
	tokName
	tokNumber
	tokText
	tokOp   // == != < <= > >= && || ! ( ) [ ] , *
	tokBool // true or false (a name-like word, as a factor)
)

type token struct {
	kind tokKind
	raw  string // as written (text with its quotes)
	text string // text: the unquoted value; otherwise raw
	col  int    // column from 1, in characters
}

func isLetter(c byte) bool { return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// keyword reports whether s is a word of the language, not a name.
func keyword(s string) bool {
	switch s {
	case "in", "not", "true", "false":
		return true
	}
	return false
}

// lex splits src into tokens; it works in bytes and counts columns in
// characters as it goes.
func lex(src string) ([]token, error) {
	toks := make([]token, 0, len(src)/5+2)
	col := 1
	errAt := func(i int, msg string) error {
		r, _ := utf8.DecodeRuneInString(src[i:])
		return &Error{Col: col, Token: string(r), Msg: msg}
	}
	emit := func(kind tokKind, i, j int, text string) {
		toks = append(toks, token{kind: kind, raw: src[i:j], text: text, col: col})
		col += utf8.RuneCountInString(src[i:j])
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			col++
		case isLetter(c):
			j := i + 1
			for j < len(src) && (isLetter(src[j]) || isDigit(src[j]) || (src[j] == '.' && j+1 < len(src) && isLetter(src[j+1]))) {
				j++
			}
			emit(tokName, i, j, src[i:j])
			i = j
		case isDigit(c) || (c == '-' && i+1 < len(src) && isDigit(src[i+1])):
			j := i + 1
			for j < len(src) && isDigit(src[j]) {
				j++
			}
			if j < len(src) && src[j] == '.' {
				k := j + 1
				for k < len(src) && isDigit(src[k]) {
					k++
				}
				if k == j+1 {
					return nil, &Error{Col: col, Token: src[i : j+1], Msg: "a number needs digits after its point"}
				}
				j = k
			}
			if j < len(src) && (isLetter(src[j]) || src[j] == '.') {
				k := j
				for k < len(src) && (isLetter(src[k]) || isDigit(src[k]) || src[k] == '.') {
					k++
				}
				return nil, &Error{Col: col, Token: src[i:k], Msg: "this is neither a number nor a name (a name starts with a letter)"}
			}
			emit(tokNumber, i, j, src[i:j])
			i = j
		case c == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(src) && src[j] != '"'; j++ {
				if src[j] == '\\' {
					if j+1 >= len(src) || (src[j+1] != '"' && src[j+1] != '\\') {
						return nil, &Error{Col: col + utf8.RuneCountInString(src[i:j]), Token: `\`,
							Msg: `only " and \ may follow a backslash in text`}
					}
					j++
				}
				b.WriteByte(src[j])
			}
			if j >= len(src) {
				return nil, &Error{Col: col, Token: `"`, Msg: `this text is not closed with "`}
			}
			if !utf8.ValidString(src[i : j+1]) {
				return nil, &Error{Col: col, Token: `"`, Msg: "this text is not valid UTF-8"}
			}
			emit(tokText, i, j+1, b.String())
			i = j + 1
		default:
			if i+1 < len(src) {
				switch two := src[i : i+2]; two {
				case "==", "!=", "<=", ">=", "&&", "||":
					emit(tokOp, i, i+2, two)
					i += 2
					continue
				}
			}
			switch c {
			case '<', '>', '!', '(', ')', '[', ']', ',', '*':
				emit(tokOp, i, i+1, src[i:i+1])
				i++
				continue
			case '=':
				return nil, errAt(i, "use == to compare")
			case '&', '|':
				return nil, errAt(i, "use && (and) or || (or)")
			case '\'':
				return nil, errAt(i, `text is written in double quotes: "like this"`)
			}
			r, size := utf8.DecodeRuneInString(src[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				return nil, &Error{Col: col, Token: fmt.Sprintf("byte %#x", c), Msg: "the rule is not valid UTF-8"}
			case unicode.IsLetter(r):
				return nil, errAt(i, `names are written in English letters; text, Chinese included, goes in double quotes: "上海"`)
			}
			return nil, errAt(i, fmt.Sprintf("unexpected character %q", r))
		}
	}
	return append(toks, token{kind: tokEnd, col: col}), nil
}
