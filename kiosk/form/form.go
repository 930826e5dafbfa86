package form

import (
	"errors"
	"fmt"
	"time"

	"github.com/tongban/tongban/internal/textclean"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/rule"
)

// Config holds what a form needs besides its fields and the resident.
type Config struct {
	// Today is the day the form is filled in: `age` in conditions and the
	// check that a birth date is not in the future use it. Pass the kiosk
	// clock's Now().
	Today time.Time
	// Places is the address dictionary; nil loads the embedded one (load it
	// once at start-up and pass it instead).
	Places *Places
}

// Form is one resident's answers to one item's form. Build it with New,
// fill it with Set (and SetAddress, SetMembers, SetSignature), walk it with
// Pages and Next, check it with Validate, submit Answers, show Display, and
// Wipe it when the session ends.
//
// A Form is not safe for concurrent use: the UI goroutine owns it.
type Form struct {
	fields   []kiosk.Field
	conds    []*rule.Rule // nil: always visible
	index    map[string]int
	places   *Places
	today    time.Time
	identity kiosk.Identity
	answers  []answer
}

// answer is the value of one field; which member is used depends on the
// field's type.
type answer struct {
	text     string // simple fields, as typed or prefilled
	address  Address
	members  []Member
	alone    bool // a family list: the applicant declared a household of one
	sig      []byte
	fromCard bool // prefilled from the ID card, read-only
}

// New builds the form of an item for the resident identified by id,
// prefilling the fields that name a Prefill source from the card. A field
// whose source the card does not carry (a foreign permanent residence card
// has no address) stays empty and editable. The fields must pass Check.
func New(fields []kiosk.Field, id kiosk.Identity, cfg Config) (*Form, error) {
	errs, conds := check(fields)
	if len(errs) > 0 {
		return nil, &kiosk.Error{Op: "form.New", Kind: kiosk.KindInternal, Err: errors.Join(errs...)}
	}
	places := cfg.Places
	if places == nil {
		var err error
		if places, err = LoadPlaces(); err != nil {
			return nil, &kiosk.Error{Op: "form.New", Kind: kiosk.KindInternal, Err: err}
		}
	}
	f := &Form{
		fields:   append([]kiosk.Field(nil), fields...),
		conds:    conds,
		index:    make(map[string]int, len(fields)),
		places:   places,
		today:    cfg.Today,
		identity: id,
		answers:  make([]answer, len(fields)),
	}
	for i, fl := range f.fields {
		f.index[fl.ID] = i
		f.prefill(i)
	}
	return f, nil
}

// prefill fills field i from the identity when it names a source the card
// carries.
func (f *Form) prefill(i int) {
	fl, id, a := f.fields[i], f.identity, &f.answers[i]
	switch fl.Prefill {
	case kiosk.PrefillName:
		a.text = id.Name
		if a.text == "" {
			a.text = id.NameEN
		}
	case kiosk.PrefillSex:
		if fl.Type == kiosk.FieldChoice {
			a.text = sexOption(fl.Options, id.Sex)
		} else {
			a.text = map[kiosk.Sex]string{kiosk.SexMale: "男", kiosk.SexFemale: "女"}[id.Sex]
		}
	case kiosk.PrefillBirthDate:
		if !id.BirthDate.IsZero() {
			a.text = id.BirthDate.Format("2006-01-02")
		}
	case kiosk.PrefillAddress:
		if fl.Type == kiosk.FieldAddress {
			if id.Address != "" {
				a.address = Address{District: f.places.districtIn(id.Address), Detail: id.Address}
				a.fromCard = true
			}
			return
		}
		a.text = id.Address
	case kiosk.PrefillIDNumber:
		if id.Card == kiosk.CardSuishenma {
			return // a 随申码 token is not an ID number: the resident types it
		}
		a.text = id.Number
	case kiosk.PrefillNation:
		if id.Card != kiosk.CardResident {
			return // other cards carry a nationality, not a 民族
		}
		a.text = id.Nation
	default:
		return
	}
	a.fromCard = a.text != ""
}

// Fields returns the form's fields in order, visible or not.
func (f *Form) Fields() []kiosk.Field { return append([]kiosk.Field(nil), f.fields...) }

func (f *Form) lookup(op, id string) (int, error) {
	i, ok := f.index[id]
	if !ok {
		return 0, &kiosk.Error{Op: op, Kind: kiosk.KindInternal, Err: fmt.Errorf("the form has no field %q", id)}
	}
	if f.answers[i].fromCard {
		return 0, &kiosk.Error{Op: op, Kind: kiosk.KindInvalid,
			Message: msgReadOnly(),
			Err:     fmt.Errorf("field %q is read-only", id)}
	}
	return i, nil
}

func (f *Form) wrongType(op string, i int) error {
	return &kiosk.Error{Op: op, Kind: kiosk.KindInternal,
		Err: fmt.Errorf("field %q is a %s field", f.fields[i].ID, f.fields[i].Type)}
}

// Set records the answer of a simple field (text, number, date, choice,
// yes/no, phone, ID number, bank account, consent) as the resident typed
// it; "" clears it. The value is kept even when it is not valid, so nothing
// typed is lost: ValidateField says what to fix. A consent is ticked with
// Yes. Set refuses a read-only field from the card, an unknown ID and the
// composite types, which have their own setters.
func (f *Form) Set(id, value string) error {
	i, err := f.lookup("form.Set", id)
	if err != nil {
		return err
	}
	switch f.fields[i].Type {
	case kiosk.FieldAddress, kiosk.FieldFamily, kiosk.FieldSignature:
		return f.wrongType("form.Set", i)
	}
	// Control and bidirectional formatting characters (pasted, or from a
	// scanner) are removed where the value enters.
	f.answers[i].text = textclean.Strip(value)
	return nil
}

// SetAddress records the answer of an address field.
func (f *Form) SetAddress(id string, a Address) error {
	i, err := f.lookup("form.SetAddress", id)
	if err != nil {
		return err
	}
	if f.fields[i].Type != kiosk.FieldAddress {
		return f.wrongType("form.SetAddress", i)
	}
	f.answers[i].address = Address{District: textclean.Strip(a.District), Street: textclean.Strip(a.Street), Detail: textclean.Strip(a.Detail)}
	return nil
}

// SetMembers replaces the list of a family-member field. An empty,
// non-nil list declares a household of one (no one else lives with the
// applicant), which the field accepts only when its MemberSpec allows it;
// nil clears the answer.
func (f *Form) SetMembers(id string, ms []Member) error {
	i, err := f.family("form.SetMembers", id)
	if err != nil {
		return err
	}
	var out []Member
	for _, m := range ms {
		out = append(out, cleanMember(m))
	}
	f.answers[i].members = out
	f.answers[i].alone = ms != nil && len(ms) == 0
	return nil
}

// Alone reports whether the applicant declared a household of one in
// family-member field id.
func (f *Form) Alone(id string) bool {
	i, ok := f.index[id]
	return ok && f.answers[i].alone && len(f.answers[i].members) == 0
}

// AddMember appends a member (possibly still empty, for the UI to fill) to
// a family-member field and returns the new count.
func (f *Form) AddMember(id string, m Member) (int, error) {
	i, err := f.family("form.AddMember", id)
	if err != nil {
		return 0, err
	}
	f.answers[i].members = append(f.answers[i].members, cleanMember(m))
	f.answers[i].alone = false
	return len(f.answers[i].members), nil
}

// SetMember replaces member n (from 1) of a family-member field.
func (f *Form) SetMember(id string, n int, m Member) error {
	i, err := f.family("form.SetMember", id)
	if err != nil {
		return err
	}
	if n < 1 || n > len(f.answers[i].members) {
		return &kiosk.Error{Op: "form.SetMember", Kind: kiosk.KindInternal, Err: fmt.Errorf("field %q has no member %d", id, n)}
	}
	f.answers[i].members[n-1] = cleanMember(m)
	return nil
}

// RemoveMember removes member n (from 1) of a family-member field.
func (f *Form) RemoveMember(id string, n int) error {
	i, err := f.family("form.RemoveMember", id)
	if err != nil {
		return err
	}
	ms := f.answers[i].members
	if n < 1 || n > len(ms) {
		return &kiosk.Error{Op: "form.RemoveMember", Kind: kiosk.KindInternal, Err: fmt.Errorf("field %q has no member %d", id, n)}
	}
	if len(ms) == 1 {
		f.answers[i].alone = false // removing the last member declares nothing
	}
	copy(ms[n-1:], ms[n:])
	ms[len(ms)-1] = Member{}
	f.answers[i].members = ms[:len(ms)-1]
	return nil
}

func (f *Form) family(op, id string) (int, error) {
	i, err := f.lookup(op, id)
	if err == nil && f.fields[i].Type != kiosk.FieldFamily {
		err = f.wrongType(op, i)
	}
	return i, err
}

// SetSignature records the PNG the signature pad produced (a copy); nil
// clears it (重写). The previous image is overwritten in memory.
func (f *Form) SetSignature(id string, png []byte) error {
	i, err := f.lookup("form.SetSignature", id)
	if err != nil {
		return err
	}
	if f.fields[i].Type != kiosk.FieldSignature {
		return f.wrongType("form.SetSignature", i)
	}
	clear(f.answers[i].sig)
	f.answers[i].sig = append([]byte(nil), png...)
	if len(png) == 0 {
		f.answers[i].sig = nil
	}
	return nil
}

// Signature returns a copy of the signature of the first visible signature
// field that holds a well-formed PNG, for kiosk.Submission.Signature, or nil.
func (f *Form) Signature() []byte {
	vis := f.visibility()
	for i, fl := range f.fields {
		if vis[i] && fl.Type == kiosk.FieldSignature && checkSignature(f.answers[i].sig).IsZero() {
			return append([]byte(nil), f.answers[i].sig...)
		}
	}
	return nil
}

// Consented reports whether the form has a visible consent field and every
// visible consent field is ticked, for kiosk.Submission.ConsentGiven.
func (f *Form) Consented() bool {
	vis := f.visibility()
	any := false
	for i, fl := range f.fields {
		if vis[i] && fl.Type == kiosk.FieldConsent {
			if !f.ticked(i) {
				return false
			}
			any = true
		}
	}
	return any
}

func (f *Form) ticked(i int) bool {
	v, msg := checkYesNo(f.answers[i].text)
	return msg.IsZero() && v == Yes
}

// Visible reports whether the field is shown now, given the answers so far.
// An unknown ID is not visible.
func (f *Form) Visible(id string) bool {
	i, ok := f.index[id]
	return ok && f.visibility()[i]
}

// visibility computes which fields are shown, in order: a condition reads
// only earlier fields (Check enforces it), and a field is shown only when
// its condition is True (see liveValues for what unanswered and hidden
// fields read as).
func (f *Form) visibility() []bool {
	vis := make([]bool, len(f.fields))
	lv := &liveValues{f: f, vis: vis}
	for i, c := range f.conds {
		vis[i] = c == nil || c.Eval(lv) == rule.True
	}
	return vis
}

// Wipe clears every answer, the signature bytes and the copy of the
// identity, so nothing of the resident survives in the form. A wiped form is
// empty and editable; build a new one for the next resident.
func (f *Form) Wipe() {
	for i := range f.answers {
		clear(f.answers[i].sig)
		clear(f.answers[i].members)
		f.answers[i] = answer{}
	}
	f.identity.Wipe()
}

// ErrorsOf returns the field errors carried by err (from Validate,
// ValidatePage, ValidateField, Next or Answers), or nil.
func ErrorsOf(err error) Errors {
	var es Errors
	if errors.As(err, &es) {
		return es
	}
	return nil
}

// cleanMember removes control and bidirectional formatting characters
// from what a resident typed about a family member.
func cleanMember(m Member) Member {
	return Member{Name: textclean.Strip(m.Name), Relation: textclean.Strip(m.Relation), IDNumber: textclean.Strip(m.IDNumber),
		BirthCert: textclean.Strip(m.BirthCert), Sex: textclean.Strip(m.Sex), Hukou: textclean.Strip(m.Hukou),
		Employment: textclean.Strip(m.Employment), Income: textclean.Strip(m.Income), Disability: textclean.Strip(m.Disability)}
}
