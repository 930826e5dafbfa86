package form

import (
	"encoding/json"

	"github.com/tongban/tongban/kiosk"
)

// Answers validates the form and returns the answers to submit, by field
// ID, each in its canonical form:
//
//   - text as typed (trimmed); number without leading zeros ("1650.5");
//     date "2006-01-02"; choice the option's value; yes/no and a ticked
//     consent "yes"/"no"; phone "13812345678" or "021-12345678"; ID number
//     with an upper-case X; bank account digits only;
//   - address as JSON {"district","district_code","street","detail"}; a
//     centre field's also names the centre ("centre") and has no detail;
//   - family list as JSON [{"name","relation","id_number"}, ...], each
//     member with "birth_cert" instead of an ID number for a newborn and
//     the parts its field asks ("sex", "hukou", "employment", "income",
//     "disability"); a declared household of one is "[]".
//
// Hidden fields and empty optional fields are left out. Signatures are not
// answers: take them from Signature() (kiosk.Submission.Signature), and the
// consent flag from Consented(). On any problem Answers returns the error of
// Validate and no answers.
func (f *Form) Answers() (kiosk.Answers, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	vis := f.visibility()
	out := kiosk.Answers{}
	for i, fl := range f.fields {
		if !vis[i] {
			continue
		}
		if v, ok := f.canonical(i); ok && fl.Type != kiosk.FieldSignature {
			out[fl.ID] = v
		}
	}
	return out, nil
}

// addressAnswer is the submitted form of an address.
type addressAnswer struct {
	District     string `json:"district"`
	DistrictCode string `json:"district_code,omitempty"`
	Street       string `json:"street,omitempty"`
	Detail       string `json:"detail"`
	// Centre names the community affairs centre a centre field picked.
	Centre string `json:"centre,omitempty"`
}

// canonical returns the submitted value of field i, and false when there is
// nothing to submit. It assumes the field passed check.
func (f *Form) canonical(i int) (string, bool) {
	fl, a := f.fields[i], f.answers[i]
	switch fl.Type {
	case kiosk.FieldAddress:
		if addressEmpty(a.address) {
			return "", false
		}
		c := a.address
		centre := ""
		switch {
		case fl.Centre:
			c, _ = checkCentre(a.address, f.places)
			centre = f.places.CentreName(c)
		case !a.fromCard:
			c, _ = checkAddress(a.address, f.places)
		}
		d, _ := f.places.District(c.District)
		b, err := json.Marshal(addressAnswer{District: c.District, DistrictCode: d.Code, Street: c.Street, Detail: c.Detail, Centre: centre})
		return string(b), err == nil
	case kiosk.FieldFamily:
		if len(a.members) == 0 {
			if a.alone && fl.Member != nil && fl.Member.AloneOK {
				return "[]", true // a household of one, declared
			}
			return "", false
		}
		ms, _ := checkMembers(a.members, fl, f.applicantID(), f.today)
		b, err := json.Marshal(ms)
		return string(b), err == nil
	case kiosk.FieldSignature:
		return "", false
	}
	if a.fromCard {
		return a.text, true
	}
	if fold(a.text) == "" {
		return "", false
	}
	v, msg := f.checkSimple(i)
	return v, msg.IsZero()
}
