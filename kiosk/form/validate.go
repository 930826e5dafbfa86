package form

import (
	"fmt"
	"strings"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// FieldError is one problem with one answer, in plain words for the
// resident, shown under the field.
type FieldError struct {
	Field   string     // the field's ID
	Part    string     // address or family part (PartDistrict, PartName, ...), or ""
	Member  int        // family lists: the member the problem is about, from 1; else 0
	Message kiosk.Text // what to fix
}

func (e FieldError) Error() string {
	s := e.Field
	if e.Member > 0 {
		s += fmt.Sprintf("[%d]", e.Member)
	}
	if e.Part != "" {
		s += "." + e.Part
	}
	return s + ": " + e.Message.In(kiosk.LangZH) // a message's ID, or data's words
}

// Errors are the problems of a form, a page or a field, in field order.
// It is the error that Validate's *kiosk.Error wraps; get it with ErrorsOf.
type Errors []FieldError

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Of returns the problems of one field.
func (es Errors) Of(id string) Errors {
	var out Errors
	for _, e := range es {
		if e.Field == id {
			out = append(out, e)
		}
	}
	return out
}

// asError turns problems into the error the methods return: nil, or a
// *kiosk.Error of kind KindInvalid whose Message is the one problem or a
// summary, wrapping Errors.
func asError(op string, es Errors) error {
	if len(es) == 0 {
		return nil
	}
	msg := es[0].Message
	if len(es) > 1 {
		msg = msgSummary(len(es))
	}
	return &kiosk.Error{Op: op, Kind: kiosk.KindInvalid, Message: msg, Err: es}
}

// Validate checks every visible field. Hidden fields are not checked.
func (f *Form) Validate() error {
	vis := f.visibility()
	var es Errors
	for i := range f.fields {
		if vis[i] {
			es = append(es, f.check(i)...)
		}
	}
	return asError("form.Validate", es)
}

// ValidateField checks one field, e.g. when the resident leaves it. A
// hidden field has no problems.
func (f *Form) ValidateField(id string) error {
	i, ok := f.index[id]
	if !ok {
		return &kiosk.Error{Op: "form.ValidateField", Kind: kiosk.KindInternal, Err: fmt.Errorf("the form has no field %q", id)}
	}
	if !f.visibility()[i] {
		return nil
	}
	return asError("form.ValidateField", f.check(i))
}

// check returns the problems of field i, visible or not.
func (f *Form) check(i int) Errors {
	fl, a := f.fields[i], f.answers[i]
	if a.fromCard {
		return nil // read from the card: nothing to type, nothing to check
	}
	one := func(msg kiosk.Text) Errors { return Errors{{Field: fl.ID, Message: msg}} }
	switch fl.Type {
	case kiosk.FieldAddress:
		if addressEmpty(a.address) {
			if fl.Required {
				return one(msgDistrict())
			}
			return nil
		}
		check := checkAddress
		if fl.Centre {
			check = checkCentre
		}
		_, probs := check(a.address, f.places)
		return f.partErrors(fl.ID, probs)
	case kiosk.FieldFamily:
		if len(a.members) == 0 {
			aloneOK := fl.Member != nil && fl.Member.AloneOK
			switch {
			case a.alone && aloneOK:
				return nil
			case a.alone:
				return one(msgAloneNotAllowed())
			case aloneOK && fl.Required:
				return one(msgNoMembersOrAlone())
			case fl.Required || (fl.Min != nil && *fl.Min > 0):
				return one(msgNoMembers())
			}
			return nil
		}
		_, probs := checkMembers(a.members, fl, f.applicantID(), f.today)
		return f.partErrors(fl.ID, probs)
	case kiosk.FieldSignature:
		if len(a.sig) == 0 && !fl.Required {
			return nil
		}
		if msg := checkSignature(a.sig); !msg.IsZero() {
			return one(msg)
		}
		return nil
	case kiosk.FieldConsent:
		// A consent must be ticked whenever it is shown: an optional
		// question is a yes/no field.
		if !f.ticked(i) {
			return one(msgConsent())
		}
		return nil
	}
	if fold(a.text) == "" {
		if !fl.Required {
			return nil
		}
		if fl.Type == kiosk.FieldChoice || fl.Type == kiosk.FieldYesNo {
			return one(msgChoose(fl))
		}
		return one(msgFillIn(fl))
	}
	v, msg := f.checkSimple(i)
	if !msg.IsZero() {
		return one(msg)
	}
	if fl.Confirms != "" && !f.confirmed(fl.Confirms, v) {
		return one(msgConfirmMismatch(f.fields[f.index[fl.Confirms]]))
	}
	return nil
}

// confirmed reports whether v, a canonical answer, equals the canonical
// answer of field id, the field it repeats. A first field that is empty or
// wrong does not match: the resident sees both messages.
func (f *Form) confirmed(id string, v string) bool {
	j := f.index[id]
	if fold(f.answers[j].text) == "" {
		return false
	}
	w, msg := f.checkSimple(j)
	return msg.IsZero() && w == v
}

// checkSimple checks the non-empty answer of a simple field and returns its
// canonical form.
func (f *Form) checkSimple(i int) (string, kiosk.Text) {
	return checkValue(f.fields[i], f.answers[i].text, f.today)
}

// checkValue checks the non-empty answer v of simple field fl on day today
// and returns its canonical form: the one check of a simple answer, for a
// live form and for answers a session kept (AnswerValues).
func checkValue(fl kiosk.Field, v string, today time.Time) (string, kiosk.Text) {
	switch fl.Type {
	case kiosk.FieldNumber:
		return checkNumber(v, fl.Min, fl.Max)
	case kiosk.FieldDate:
		return checkDate(v)
	case kiosk.FieldChoice:
		return checkChoice(v, fl.Options)
	case kiosk.FieldYesNo, kiosk.FieldConsent:
		return checkYesNo(v)
	case kiosk.FieldPhone:
		return checkPhone(v)
	case kiosk.FieldIDNumber:
		return checkIDNumber(v, today)
	case kiosk.FieldBank:
		return checkBankAccount(v)
	}
	return checkText(v, fl.Min, fl.Max)
}

func (f *Form) partErrors(id string, probs []partProblem) Errors {
	es := make(Errors, len(probs))
	for i, p := range probs {
		es[i] = FieldError{Field: id, Part: p.part, Member: p.member, Message: p.msg}
	}
	return es
}

// applicantID is the resident's own ID number in canonical form, or "".
func (f *Form) applicantID() string {
	id, msg := checkIDNumber(f.identity.Number, f.today)
	if !msg.IsZero() {
		return ""
	}
	return id
}
