package form

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// Rules applies the form engine to a session that keeps its answers as
// plain strings (kiosk.Answers): each call rebuilds a Form from the item's
// fields, the identity and the answers, so the session holds no engine
// state to wipe. Address answers are the JSON of Address, family lists the
// JSON of []Member. Signature fields are left to the session's own
// signature step.
type Rules struct {
	Today  func() time.Time
	Places *Places
}

func (r Rules) build(item kiosk.Item, who kiosk.Identity, a kiosk.Answers) (*Form, map[string]error) {
	var fields []kiosk.Field
	for _, f := range item.Form {
		if f.Type != kiosk.FieldSignature {
			fields = append(fields, f)
		}
	}
	cfg := Config{Places: r.Places}
	if r.Today != nil {
		cfg.Today = r.Today()
	}
	f, err := New(fields, who, cfg)
	if err != nil {
		return nil, map[string]error{"": err}
	}
	setErrs := map[string]error{}
	for _, fd := range fields { // in form order, so conditions see earlier answers
		v, ok := a[fd.ID]
		if !ok || v == "" {
			continue
		}
		if view, _ := f.Field(fd.ID); view.FromCard {
			continue
		}
		var err error
		switch fd.Type {
		case kiosk.FieldAddress:
			var addr Address
			if err = json.Unmarshal([]byte(v), &addr); err == nil {
				err = f.SetAddress(fd.ID, addr)
			}
		case kiosk.FieldFamily:
			var ms []Member
			if err = json.Unmarshal([]byte(v), &ms); err == nil {
				err = f.SetMembers(fd.ID, ms)
			}
		default:
			err = f.Set(fd.ID, v)
		}
		if err != nil {
			setErrs[fd.ID] = err
		}
	}
	return f, setErrs
}

// Pages returns the visible fields, page by page.
func (r Rules) Pages(item kiosk.Item, who kiosk.Identity, a kiosk.Answers) [][]kiosk.Field {
	f, _ := r.build(item, who, a)
	if f == nil {
		return nil
	}
	var pages [][]kiosk.Field
	for _, p := range f.Pages() {
		var fs []kiosk.Field
		for _, v := range p.Fields {
			fs = append(fs, v.Field)
		}
		pages = append(pages, fs)
	}
	return pages
}

// Validate checks the given fields and returns a message per wrong field.
func (r Rules) Validate(item kiosk.Item, fields []kiosk.Field, who kiosk.Identity, a kiosk.Answers) map[string]kiosk.Text {
	f, setErrs := r.build(item, who, a)
	out := map[string]kiosk.Text{}
	if f == nil {
		out[""] = kiosk.MessageOf(setErrs[""])
		return out
	}
	for _, fd := range fields {
		if fd.Type == kiosk.FieldSignature || !f.Visible(fd.ID) {
			continue
		}
		err := setErrs[fd.ID]
		if err == nil {
			err = f.ValidateField(fd.ID)
		}
		if err == nil {
			continue
		}
		if es := ErrorsOf(err); len(es) > 0 {
			out[fd.ID] = es[0].Message
			continue
		}
		var ke *kiosk.Error
		if errors.As(err, &ke) {
			out[fd.ID] = ke.Message
		} else {
			out[fd.ID] = kiosk.MessageOf(err)
		}
	}
	return out
}

// Prefill returns what the ID card gives the item's form.
func (r Rules) Prefill(item kiosk.Item, who kiosk.Identity) kiosk.Answers {
	f, _ := r.build(item, who, nil)
	out := kiosk.Answers{}
	if f == nil {
		return out
	}
	for _, fd := range item.Form {
		v, ok := f.Field(fd.ID)
		if !ok || !v.FromCard {
			continue
		}
		out[fd.ID] = v.Value
		if fd.Type == kiosk.FieldAddress {
			// An address answer is the JSON of Address, as typed ones are.
			b, err := json.Marshal(v.Address)
			if err != nil {
				continue
			}
			out[fd.ID] = string(b)
		}
	}
	return out
}

// ForAgent is the form of 代办 (see ForAgent): Rules offers it to the
// session (flow.AgentForms).
func (r Rules) ForAgent(item kiosk.Item) (kiosk.Item, bool) { return ForAgent(item) }

// PrincipalIDField is the field of a 代办 form with the applicant's ID number.
func (r Rules) PrincipalIDField(item kiosk.Item) string { return PrincipalIDField(item) }

// Principal is the applicant of a 代办 form, read from its answers.
func (r Rules) Principal(item kiosk.Item, a kiosk.Answers) kiosk.Identity {
	var today time.Time
	if r.Today != nil {
		today = r.Today()
	}
	return Principal(item, a, today)
}
