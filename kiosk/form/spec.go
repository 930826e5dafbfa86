package form

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tongban/tongban/kiosk"
)

// Names a condition may read besides field IDs. They cannot be field IDs.
const (
	NameAge      = "age"       // the resident's age in whole years, from the identity
	NameCardType = "card_type" // the identity document: resident, permit-hkmotw, ...
)

// SpecError is a mistake in a form's field list, found by Check. It names
// the field by position (from 1) and ID so a loader can point at the line.
type SpecError struct {
	Index   int    // position of the field in the list, from 1
	Field   string // the field's ID ("" when it has none)
	Problem string // what is wrong, in plain words for catalog authors
}

func (e *SpecError) Error() string {
	return fmt.Sprintf("form field %d (%s): %s", e.Index, e.Field, e.Problem)
}

// Check reports every mistake in a form's field list: missing or repeated
// IDs, unknown types, missing labels, choices without options, prefills the
// field cannot take, Min/Max where they mean nothing, and visibility rules
// that do not parse or read fields that do not come before them. The error
// joins one *SpecError per mistake; nil means the form can be built.
func Check(fields []kiosk.Field) error {
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
		case f.ID == NameAge || f.ID == NameCardType || f.ID == "true" || f.ID == "false":
			bad("id %q is reserved", f.ID)
		default:
			if _, dup := seen[f.ID]; dup {
				bad("id %q used twice", f.ID)
			}
		}
		if !knownType(f.Type) {
			bad("unknown type %q", f.Type)
		}
		if strings.TrimSpace(f.Label.ZH) == "" {
			bad("no Chinese label")
		}
		checkOptions(f, bad)
		checkBounds(f, bad)
		if f.Prefill != "" && !prefillFits(f) {
			bad("prefill %q does not fit a %s field", f.Prefill, f.Type)
		}
		if f.VisibleIf != "" {
			if c, err := ParseCondition(f.VisibleIf); err != nil {
				bad("visible_if: %v", err)
			} else {
				for _, ref := range c.Refs() {
					if msg := refProblem(ref, seen); msg != "" {
						bad("visible_if %q: %s", f.VisibleIf, msg)
					}
				}
			}
		}
		if f.ID != "" {
			if _, dup := seen[f.ID]; !dup {
				seen[f.ID] = f.Type
			}
		}
	}
	return errors.Join(errs...)
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
		if strings.TrimSpace(o.Label.ZH) == "" {
			bad("option %d (%s) has no Chinese label", j+1, o.Value)
		}
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

// refProblem says what is wrong with a name a condition reads, given the
// fields before it, or "" when the name is fine.
func refProblem(ref string, before map[string]kiosk.FieldType) string {
	id, part, _ := strings.Cut(ref, ".")
	if id == NameAge || id == NameCardType {
		if part != "" {
			return fmt.Sprintf("%s has no parts", id)
		}
		return ""
	}
	t, ok := before[id]
	if !ok {
		return fmt.Sprintf("%s is not a field before this one", id)
	}
	if part == "" {
		return ""
	}
	switch {
	case t == kiosk.FieldAddress && (part == PartDistrict || part == PartStreet):
	case t == kiosk.FieldFamily && part == "count":
	default:
		return fmt.Sprintf("a %s field has no part %q", t, part)
	}
	return ""
}
