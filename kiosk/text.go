package kiosk

import (
	"encoding/json"
	"fmt"
)

// Lang is a resident-facing language.
type Lang string

// The languages a session can be shown in.
const (
	LangZH Lang = "zh"
	LangEN Lang = "en"
)

// Text is words a resident reads or hears, in one of two forms:
//
//   - data in both languages (a catalog item's name, a reason in the catalog
//     JSON, a back-office answer): ZH, with EN falling back to ZH when empty;
//   - a message of the program itself, by reference: ID names a message in
//     the i18n catalogs (kiosk/i18n/locales), Args fills its fields, and ZH
//     and EN are empty. Make one with Msg; the screens, the receipt layout
//     and the voice translate it (kiosk/i18n.Catalog.Resolve).
//
// Text is comparable, so a notice can be checked against a known one.
// A message's fields are packed into one string (Args unpacks them): the
// catalog holds thousands of Texts, and an array of fields in each made
// every one of them 272 bytes instead of 64, which cost catalog loading a
// fifth of its time in allocation and garbage collection.
type Text struct {
	ZH     string `json:"zh"`
	EN     string `json:"en,omitempty"`
	ID     string `json:"id,omitempty"`
	Fields string `json:"fields,omitempty"`
}

// MaxArgs is the most fields a message may be filled with, its nested
// messages' fields included.
const MaxArgs = 4

// Args are a message's fields, in the order given to Msg. Values are kept
// as words, so a Text stays comparable.
type Args [MaxArgs]Arg

// Arg is one field of a message: {{.Name}} in the catalog. Its value is
// the same words in every language (a number, a code), or bilingual data
// (Value Chinese, EN English), or another message (Value its ID).
type Arg struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	EN    string `json:"en,omitempty"`
	Msg   bool   `json:"msg,omitempty"`
}

// Msg returns the message id of the i18n catalogs, filled with args given
// as name, value pairs: Msg("form.min_len", "Min", 4). A value prints as
// fmt.Sprint does, except a Text: data gives its words in each language,
// and a message is translated in its turn, its own fields joining the
// outer message's ("Error", Msg("form.min_len", "Min", 4)). "Count" also
// picks the plural form. Pairs beyond MaxArgs and a name without a value
// are dropped: the catalog test (kiosk/i18n TestMessagesUsedInCode)
// refuses such calls.
func Msg(id string, args ...any) Text {
	t := Text{ID: id}
	var fields Args
	n := 0
	add := func(a Arg) {
		if n < MaxArgs {
			fields[n] = a
			n++
		}
	}
	for i := 0; i+1 < len(args); i += 2 {
		name, _ := args[i].(string)
		switch v := args[i+1].(type) {
		case Text:
			if !v.IsMessage() {
				add(Arg{Name: name, Value: v.ZH, EN: v.EN})
				continue
			}
			add(Arg{Name: name, Value: v.ID, Msg: true})
			for _, a := range v.Args() {
				if a.Name != "" {
					add(a)
				}
			}
		default:
			add(Arg{Name: name, Value: fmt.Sprint(v)})
		}
	}
	if n > 0 {
		b, _ := json.Marshal(fields[:n]) // strings and bools: cannot fail
		t.Fields = string(b)
	}
	return t
}

// Args returns the message's fields, in the order given to Msg; unused
// places are zero.
func (t Text) Args() Args {
	var a Args
	if t.Fields == "" {
		return a
	}
	var list []Arg
	if err := json.Unmarshal([]byte(t.Fields), &list); err != nil {
		return a // not made by Msg: no fields
	}
	copy(a[:], list)
	return a
}

// IsMessage reports whether t is a message by ID rather than data.
func (t Text) IsMessage() bool { return t.ID != "" }

// IsZero reports whether t says nothing.
func (t Text) IsZero() bool { return t == Text{} }

// DataIn returns the message's fields in lang for the catalog's templates,
// nil when there are none. tr translates a nested message: its ID and the
// fields returned here.
func (t Text) DataIn(lang Lang, tr func(id string, data map[string]any) string) map[string]any {
	var m map[string]any
	args := t.Args()
	for _, a := range args {
		if a.Name == "" {
			continue
		}
		if m == nil {
			m = map[string]any{}
		}
		m[a.Name] = a.Value
		if lang == LangEN && a.EN != "" {
			m[a.Name] = a.EN
		}
	}
	for _, a := range args {
		if a.Name != "" && a.Msg {
			m[a.Name] = tr(a.Value, m)
		}
	}
	return m
}

// In returns the text in lang, falling back to Chinese. A message has no
// words here (kiosk imports no catalog): In returns its ID, which a test
// keeps off every screen; translate it with kiosk/i18n instead.
func (t Text) In(lang Lang) string {
	if t.ID != "" {
		return t.ID
	}
	if lang == LangEN && t.EN != "" {
		return t.EN
	}
	return t.ZH
}
