package rule

import (
	"strconv"
	"time"
)

// Type is the type of a value.
type Type uint8

// The types of the language.
const (
	NoType Type = iota // not a value (a name that cannot be read)
	Bool
	Number
	Text
	Date // a day, held as text "2006-01-02"
)

func (t Type) String() string {
	switch t {
	case Bool:
		return "true or false"
	case Number:
		return "a number"
	case Text:
		return "text"
	case Date:
		return "a date"
	}
	return "nothing"
}

// Value is the value of a name, or of a literal in a rule.
type Value struct {
	typ Type
	num float64
	str string
	b   bool
}

// BoolValue, NumberValue, TextValue and DateValue make values.
func BoolValue(b bool) Value      { return Value{typ: Bool, b: b} }
func NumberValue(n float64) Value { return Value{typ: Number, num: n} }
func TextValue(s string) Value    { return Value{typ: Text, str: s} }
func DateValue(t time.Time) Value { return Value{typ: Date, str: t.Format(time.DateOnly)} }
func (v Value) Type() Type        { return v.typ }
func (v Value) String() string {
	switch v.typ {
	case Bool:
		return strconv.FormatBool(v.b)
	case Number:
		return strconv.FormatFloat(v.num, 'f', -1, 64)
	}
	return v.str
}

// Decl says what a name holds, for Check.
type Decl struct {
	Type Type
	// Values lists the only texts a Text name can hold (a choice field's
	// options, the values of hukou); nil means any text.
	Values []string
}

// Names is what one side (the catalog, the form) declares, for Check.
type Names interface {
	// Decl says what name holds, or why a rule here cannot read it, in
	// plain words ("is not a field before this one").
	Decl(name string) (Decl, error)
}

// Resolver gives the values of names when a rule is evaluated.
type Resolver interface {
	// Value returns the value of name, and false when it has none (yet).
	Value(name string) (Value, bool)
}

// NamesFunc and ResolverFunc adapt functions to the interfaces.
type (
	NamesFunc    func(name string) (Decl, error)
	ResolverFunc func(name string) (Value, bool)
)

func (f NamesFunc) Decl(name string) (Decl, error)     { return f(name) }
func (f ResolverFunc) Value(name string) (Value, bool) { return f(name) }

// isDate reports whether s is a day written 2006-01-02.
func isDate(s string) bool {
	if len(s) != len(time.DateOnly) {
		return false
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}
