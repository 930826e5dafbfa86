package form

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/idnumber"
	"github.com/tongban/tongban/kiosk/rule"
)

// The names the form supplies to rules (package kiosk/rule): the answers,
// by field ID, typed by the field:
//
//	number                     a number
//	date                       a date
//	choice                     text, one of the option values
//	yesno, consent             text, "yes" or "no"
//	text, phone, bank-account  text
//	id-number                  text (the number), and its parts
//	                           ID.age (a number: whole years on the form's
//	                           day), ID.sex ("male" or "female") and
//	                           ID.birth_date (a date), read from the number
//	address                    only its parts: ID.district, ID.street (text)
//	family                     only ID.count (a number: how many members)
//	signature                  nothing
//
// A field's VisibleIf may read the fields before it, and two facts about
// the resident from the identity: age (whole years on the form's day) and
// card (the document: "resident", "permit-hkmotw", ...), with the meanings
// the catalog gives those names. An item's eligibility rules may read any
// field of its form (see package kiosk/catalog).
const (
	NameAge  = "age"  // the resident's age in whole years, from the identity
	NameCard = "card" // the identity document: resident, permit-hkmotw, ...
)

// Parts of an ID-number answer and of a family list, as rules name them.
const (
	PartAge       = "age"
	PartSex       = "sex"
	PartBirthDate = "birth_date"
	PartCount     = "count"
)

// CardValues are the values of card (kiosk.CardType).
var cardValues = []string{string(kiosk.CardResident), string(kiosk.CardPermitHKMOTW),
	string(kiosk.CardForeignPR2017), string(kiosk.CardForeignPR2023), string(kiosk.CardSuishenma)}

// CardValues returns the values the name card can hold.
func CardValues() []string { return append([]string(nil), cardValues...) }

// FieldNames declares the answers to fields for rule.Check: each field by
// ID, with its parts. Order does not matter (eligibility rules are checked
// against the whole form). A name that is not a field's is an error
// wrapping ErrNotAField.
func FieldNames(fields []kiosk.Field) rule.Names {
	return rule.NamesFunc(func(name string) (rule.Decl, error) {
		id, part, _ := strings.Cut(name, ".")
		for _, f := range fields {
			if f.ID == id {
				return declOf(f, part)
			}
		}
		return rule.Decl{}, fmt.Errorf("%w: %s", ErrNotAField, id)
	})
}

// ErrNotAField: a rule reads a name that is no field of the form.
var ErrNotAField = fmt.Errorf("not a field of the form")

var yesNo = []string{Yes, No}

// declOf declares part ("" for the whole answer) of field f.
func declOf(f kiosk.Field, part string) (rule.Decl, error) {
	whole := func(d rule.Decl) (rule.Decl, error) {
		if part != "" {
			return rule.Decl{}, fmt.Errorf("a %s field has no part %q", f.Type, part)
		}
		return d, nil
	}
	switch f.Type {
	case kiosk.FieldNumber:
		return whole(rule.Decl{Type: rule.Number})
	case kiosk.FieldDate:
		return whole(rule.Decl{Type: rule.Date})
	case kiosk.FieldChoice:
		vals := make([]string, len(f.Options))
		for i, o := range f.Options {
			vals[i] = o.Value
		}
		return whole(rule.Decl{Type: rule.Text, Values: vals})
	case kiosk.FieldYesNo, kiosk.FieldConsent:
		return whole(rule.Decl{Type: rule.Text, Values: yesNo})
	case kiosk.FieldIDNumber:
		switch part {
		case PartAge:
			return rule.Decl{Type: rule.Number}, nil
		case PartSex:
			return rule.Decl{Type: rule.Text, Values: []string{string(kiosk.SexMale), string(kiosk.SexFemale)}}, nil
		case PartBirthDate:
			return rule.Decl{Type: rule.Date}, nil
		}
		return whole(rule.Decl{Type: rule.Text})
	case kiosk.FieldAddress:
		if part == PartDistrict || part == PartStreet {
			return rule.Decl{Type: rule.Text}, nil
		}
		return rule.Decl{}, fmt.Errorf("an address is read by its parts: %s.%s or %s.%s", f.ID, PartDistrict, f.ID, PartStreet)
	case kiosk.FieldFamily:
		if part == PartCount {
			return rule.Decl{Type: rule.Number}, nil
		}
		return rule.Decl{}, fmt.Errorf("a family list is read by its count: %s.%s", f.ID, PartCount)
	case kiosk.FieldSignature:
		return rule.Decl{}, fmt.Errorf("a signature cannot be read by a rule")
	}
	return whole(rule.Decl{Type: rule.Text})
}

// conditionNames declares what field i's VisibleIf may read: the fields
// before it, age and card.
func conditionNames(fields []kiosk.Field, i int) rule.Names {
	return rule.NamesFunc(func(name string) (rule.Decl, error) {
		id, part, _ := strings.Cut(name, ".")
		switch id {
		case NameAge, NameCard:
			if part != "" {
				return rule.Decl{}, fmt.Errorf("%s has no parts", id)
			}
			if id == NameAge {
				return rule.Decl{Type: rule.Number}, nil
			}
			return rule.Decl{Type: rule.Text, Values: cardValues}, nil
		}
		for _, f := range fields[:i] {
			if f.ID == id {
				return declOf(f, part)
			}
		}
		if id == fields[i].ID {
			return rule.Decl{}, fmt.Errorf("a field's condition cannot read the field itself")
		}
		return rule.Decl{}, fmt.Errorf("%s is not a field before this one (nor age or card)", id)
	})
}

// typeOf is the type of part of field f (as declOf declares it, without
// building the declaration), or NoType.
func typeOf(f kiosk.Field, part string) rule.Type {
	switch f.Type {
	case kiosk.FieldIDNumber:
		switch part {
		case "", PartSex:
			return rule.Text
		case PartAge:
			return rule.Number
		case PartBirthDate:
			return rule.Date
		}
	case kiosk.FieldAddress:
		if part == PartDistrict || part == PartStreet {
			return rule.Text
		}
	case kiosk.FieldFamily:
		if part == PartCount {
			return rule.Number
		}
	case kiosk.FieldSignature:
	case kiosk.FieldNumber:
		if part == "" {
			return rule.Number
		}
	case kiosk.FieldDate:
		if part == "" {
			return rule.Date
		}
	default:
		if part == "" {
			return rule.Text
		}
	}
	return rule.NoType
}

// textValue turns the canonical answer v of field f (non-empty) into the
// value of part; false when it has none.
func textValue(f kiosk.Field, part, v string, today time.Time) (rule.Value, bool) {
	if typeOf(f, part) == rule.NoType {
		return rule.Value{}, false
	}
	switch f.Type {
	case kiosk.FieldNumber:
		n, err := strconv.ParseFloat(v, 64)
		return rule.NumberValue(n), err == nil
	case kiosk.FieldDate:
		d, err := time.Parse(time.DateOnly, v)
		return rule.DateValue(d), err == nil
	case kiosk.FieldIDNumber:
		if part == "" {
			return rule.TextValue(v), true
		}
		c, err := idnumber.ParseCitizen(v)
		if err != nil {
			return rule.Value{}, false
		}
		switch part {
		case PartAge:
			if today.IsZero() {
				return rule.Value{}, false
			}
			return rule.NumberValue(float64(kiosk.Identity{BirthDate: c.Birth}.AgeOn(today))), true
		case PartSex:
			return rule.TextValue(string(c.Sex)), c.Sex != kiosk.SexUnknown
		case PartBirthDate:
			return rule.DateValue(c.Birth), true
		}
		return rule.Value{}, false
	case kiosk.FieldAddress:
		var a addressAnswer
		if json.Unmarshal([]byte(v), &a) != nil {
			return rule.Value{}, false
		}
		switch part {
		case PartDistrict:
			return rule.TextValue(a.District), a.District != ""
		case PartStreet:
			return rule.TextValue(a.Street), a.Street != ""
		}
		return rule.Value{}, false
	case kiosk.FieldFamily:
		var ms []json.RawMessage
		if part != PartCount || json.Unmarshal([]byte(v), &ms) != nil {
			return rule.Value{}, false
		}
		return rule.NumberValue(float64(len(ms))), true
	case kiosk.FieldSignature:
		return rule.Value{}, false
	}
	return rule.TextValue(v), part == ""
}

// AnswerValues gives rules the values of answers to fields, read on day
// today (ID.age): the answers Answers submits, or those a session keeps as
// typed, which are checked and made canonical as the form does ("1,650" is
// 1650, "是" is "yes"). Address and family answers are their JSON. A field
// without an answer, or with one the form would refuse, has no value: a
// rule reading it is not decided yet.
func AnswerValues(fields []kiosk.Field, answers kiosk.Answers, today time.Time) rule.Resolver {
	return rule.ResolverFunc(func(name string) (rule.Value, bool) {
		id, part, _ := strings.Cut(name, ".")
		v := strings.TrimSpace(answers[id])
		if v == "" {
			return rule.Value{}, false
		}
		for _, f := range fields {
			if f.ID != id {
				continue
			}
			switch f.Type {
			case kiosk.FieldAddress, kiosk.FieldFamily, kiosk.FieldSignature:
			default:
				var msg kiosk.Text
				if v, msg = checkValue(f, v, today); !msg.IsZero() {
					return rule.Value{}, false
				}
			}
			return textValue(f, part, v, today)
		}
		return rule.Value{}, false
	})
}

// liveValues gives a form's VisibleIf conditions the values of the answers
// so far. Unlike submitted answers, a text answer (or an address part) not
// given yet, or hidden, reads as "" (known to be empty now): `purpose !=
// "rent"` shows a field until purpose is answered with "rent". Numbers,
// dates and the parts of an ID number are unknown until answered, and a
// condition that is not True hides its field.
type liveValues struct {
	f   *Form
	vis []bool
}

func (lv *liveValues) Value(name string) (rule.Value, bool) {
	f := lv.f
	switch name {
	case NameAge:
		if f.identity.BirthDate.IsZero() || f.today.IsZero() {
			return rule.Value{}, false
		}
		return rule.NumberValue(float64(f.identity.AgeOn(f.today))), true
	case NameCard:
		return rule.TextValue(string(f.identity.Card)), f.identity.Card != ""
	}
	id, part, _ := strings.Cut(name, ".")
	i, ok := f.index[id]
	if !ok {
		return rule.Value{}, false
	}
	fl, a := f.fields[i], f.answers[i]
	empty := func() (rule.Value, bool) {
		if typeOf(fl, part) == rule.Text && (part == "" || fl.Type == kiosk.FieldAddress) {
			return rule.TextValue(""), true
		}
		return rule.Value{}, false
	}
	if !lv.vis[i] {
		return empty()
	}
	switch fl.Type {
	case kiosk.FieldAddress:
		var s string
		switch part {
		case PartDistrict:
			s = fold(a.address.District)
			if d, ok := f.places.District(s); ok {
				s = d.Name.ZH
			}
		case PartStreet:
			s = fold(a.address.Street)
		default:
			return rule.Value{}, false
		}
		return rule.TextValue(s), true
	case kiosk.FieldFamily:
		if part != PartCount {
			return rule.Value{}, false
		}
		return rule.NumberValue(float64(len(a.members))), true
	case kiosk.FieldSignature:
		return rule.Value{}, false
	}
	if fold(a.text) == "" {
		return empty()
	}
	v, msg := f.checkSimple(i)
	if !msg.IsZero() {
		// Not valid yet: text reads as typed; anything else has no value.
		if part == "" && typeOf(fl, part) == rule.Text {
			return rule.TextValue(fold(a.text)), true
		}
		return rule.Value{}, false
	}
	return textValue(fl, part, v, f.today)
}
