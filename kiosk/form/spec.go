package form

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/rule"
)

// SpecError is a mistake in a form's field list, found by Check. It names
// the field by position (from 1) and ID so a loader can point at the line.
type SpecError struct {
	Index   int    // position of the field in the list, from 1
	Field   string // the field's ID ("" when it has none)
	Problem string // what is wrong, in plain words for catalog authors
	Err     error  // the *rule.Error of a VisibleIf problem (with its column), or nil
}

func (e *SpecError) Error() string {
	return fmt.Sprintf("form field %d (%s): %s", e.Index, e.Field, e.Problem)
}

func (e *SpecError) Unwrap() error { return e.Err }

// CheckConditions parses and checks every field's VisibleIf against the
// names it may read (fields before it, age and card; see FieldNames for
// their types and parts). Each problem is a *SpecError whose Err is the
// *rule.Error, with the column.
func CheckConditions(fields []kiosk.Field) []*SpecError {
	probs, _ := checkConditions(fields)
	return probs
}

func checkConditions(fields []kiosk.Field) ([]*SpecError, []*rule.Rule) {
	var out []*SpecError
	conds := make([]*rule.Rule, len(fields))
	for i, f := range fields {
		if f.VisibleIf == "" {
			continue
		}
		r, err := rule.Parse(f.VisibleIf)
		if err == nil {
			err = r.Check(conditionNames(fields, i))
		}
		if err == nil {
			conds[i] = r
		}
		var one *rule.Error
		var all rule.Errors
		switch {
		case errors.As(err, &all):
			for _, e := range all {
				out = append(out, &SpecError{Index: i + 1, Field: f.ID, Problem: "visible_if: " + e.Error(), Err: e})
			}
		case errors.As(err, &one):
			out = append(out, &SpecError{Index: i + 1, Field: f.ID, Problem: "visible_if: " + one.Error(), Err: one})
		}
	}
	return out, conds
}

// Check reports every mistake in a form's field list: missing or repeated
// IDs, unknown types, missing labels, choices without options, prefills the
// field cannot take, Min/Max where they mean nothing, and visibility rules
// that do not parse or read fields that do not come before them. The error
// joins one *SpecError per mistake; nil means the form can be built.
func Check(fields []kiosk.Field) error {
	errs, _ := check(fields)
	return errors.Join(errs...)
}

// check is Check, also returning the parsed conditions (nil for a field
// without one) for New.
func check(fields []kiosk.Field) ([]error, []*rule.Rule) {
	var errs []error
	seen := map[string]kiosk.FieldType{}
	for i, f := range fields {
		bad := func(format string, args ...any) {
			errs = append(errs, &SpecError{Index: i + 1, Field: f.ID, Problem: fmt.Sprintf(format, args...)})
		}
		switch {
		case f.ID == "":
			bad("no id")
		case !validName(f.ID):
			bad("id %q: use letters, digits and _ only, starting with a letter", f.ID)
		case f.ID == NameAge || f.ID == NameCard || f.ID == "true" || f.ID == "false" || f.ID == "in" || f.ID == "not":
			bad("id %q is reserved", f.ID)
		default:
			if _, dup := seen[f.ID]; dup {
				bad("id %q used twice", f.ID)
			}
		}
		if !knownType(f.Type) {
			bad("unknown type %q", f.Type)
		}
		if strings.TrimSpace(f.Label.ZH) == "" && !f.Label.IsMessage() { // a message: the engine's own fields
			bad("no Chinese label")
		}
		checkOptions(f, bad)
		checkBounds(f, bad)
		if f.Prefill != "" && !prefillFits(f) {
			bad("prefill %q does not fit a %s field", f.Prefill, f.Type)
		}
		checkMemberSpec(f, bad)
		if f.Centre && (f.Type != kiosk.FieldAddress || f.Prefill != "") {
			bad("centre on a %s field (or with a prefill): a centre is picked, an address field without prefill", f.Type)
		}
		if f.Confirms != "" {
			switch t, ok := seen[f.Confirms]; {
			case !ok:
				bad("confirms %q: no such field before it", f.Confirms)
			case t != f.Type:
				bad("confirms %q, a %s field, but is a %s field", f.Confirms, t, f.Type)
			case !confirmable(f.Type):
				bad("a %s field cannot confirm another", f.Type)
			}
		}
		if f.ID != "" {
			if _, dup := seen[f.ID]; !dup {
				seen[f.ID] = f.Type
			}
		}
	}
	probs, conds := checkConditions(fields)
	for _, e := range probs {
		errs = append(errs, e)
	}
	return errs, conds
}

func validName(s string) bool {
	if s == "" || !isNameStart(s[0]) || s[0] == '_' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isNameChar(s[i]) {
			return false
		}
	}
	return true
}

func knownType(t kiosk.FieldType) bool {
	switch t {
	case kiosk.FieldText, kiosk.FieldNumber, kiosk.FieldDate, kiosk.FieldChoice, kiosk.FieldYesNo,
		kiosk.FieldPhone, kiosk.FieldIDNumber, kiosk.FieldBank, kiosk.FieldAddress, kiosk.FieldFamily,
		kiosk.FieldSignature, kiosk.FieldConsent:
		return true
	}
	return false
}

// confirmable reports whether a field of type t can repeat an earlier one:
// the simple types typed on a keypad.
func confirmable(t kiosk.FieldType) bool {
	switch t {
	case kiosk.FieldText, kiosk.FieldNumber, kiosk.FieldDate, kiosk.FieldPhone, kiosk.FieldIDNumber, kiosk.FieldBank:
		return true
	}
	return false
}

func checkOptions(f kiosk.Field, bad func(string, ...any)) {
	if f.Type != kiosk.FieldChoice {
		if len(f.Options) > 0 {
			bad("options on a %s field", f.Type)
		}
		return
	}
	if len(f.Options) == 0 {
		bad("a choice needs options")
	}
	values := map[string]bool{}
	for j, o := range f.Options {
		switch {
		case o.Value == "":
			bad("option %d has no value", j+1)
		case values[o.Value]:
			bad("option value %q used twice", o.Value)
		}
		values[o.Value] = true
		if strings.TrimSpace(o.Label.ZH) == "" && !o.Label.IsMessage() {
			bad("option %d (%s) has no Chinese label", j+1, o.Value)
		}
	}
}

func checkMemberSpec(f kiosk.Field, bad func(string, ...any)) {
	s := f.Member
	if s == nil {
		return
	}
	if f.Type != kiosk.FieldFamily {
		bad("member on a %s field", f.Type)
		return
	}
	seen := map[kiosk.MemberPart]bool{}
	for _, p := range s.Parts {
		switch {
		case !knownPart(p):
			bad("member part %q is not one of sex, hukou, employment, income, disability", p)
		case seen[p]:
			bad("member part %q listed twice", p)
		}
		seen[p] = true
	}
	if s.AloneOK && f.Min != nil && *f.Min > 0 {
		bad("alone_ok with min %d: a household of one has no other member", *f.Min)
	}
}

func checkBounds(f kiosk.Field, bad func(string, ...any)) {
	if f.Min == nil && f.Max == nil {
		return
	}
	switch f.Type {
	case kiosk.FieldText, kiosk.FieldNumber, kiosk.FieldFamily:
	default:
		bad("min/max mean nothing on a %s field", f.Type)
		return
	}
	if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
		bad("min %d is above max %d", *f.Min, *f.Max)
	}
	if f.Type != kiosk.FieldNumber && ((f.Min != nil && *f.Min < 0) || (f.Max != nil && *f.Max < 1)) {
		bad("min/max of a %s field count characters or members", f.Type)
	}
}

// prefillFits reports whether the card value named by f.Prefill can fill f.
func prefillFits(f kiosk.Field) bool {
	switch f.Prefill {
	case kiosk.PrefillName:
		return f.Type == kiosk.FieldText
	case kiosk.PrefillSex:
		if f.Type == kiosk.FieldChoice {
			return sexOption(f.Options, kiosk.SexMale) != "" && sexOption(f.Options, kiosk.SexFemale) != ""
		}
		return f.Type == kiosk.FieldText
	case kiosk.PrefillBirthDate:
		return f.Type == kiosk.FieldDate || f.Type == kiosk.FieldText
	case kiosk.PrefillAddress:
		return f.Type == kiosk.FieldAddress || f.Type == kiosk.FieldText
	case kiosk.PrefillIDNumber:
		return f.Type == kiosk.FieldIDNumber || f.Type == kiosk.FieldText
	case kiosk.PrefillNation:
		return f.Type == kiosk.FieldText
	}
	return false
}

// sexOption finds the option of a choice that means sex s: its value is
// "male"/"female", 男/女, or the GB/T 2261.1 code 1/2.
func sexOption(options []kiosk.Option, s kiosk.Sex) string {
	var candidates [3]string
	switch s {
	case kiosk.SexMale:
		candidates = [3]string{"male", "男", "1"}
	case kiosk.SexFemale:
		candidates = [3]string{"female", "女", "2"}
	default:
		return ""
	}
	for _, c := range candidates {
		for _, o := range options {
			if o.Value == c {
				return c
			}
		}
	}
	return ""
}

func isNameStart(c byte) bool { return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
func isNameChar(c byte) bool  { return isNameStart(c) || (c >= '0' && c <= '9') }
