package form

import (
	"strings"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// Member is one person of a family-member list. Name, Relation and one of
// IDNumber or BirthCert are always asked; the other parts only when the
// field's kiosk.MemberSpec asks for them (otherwise they are not submitted).
type Member struct {
	Name     string `json:"name"`
	Relation string `json:"relation"` // one of the values of Relations()
	IDNumber string `json:"id_number"`
	// BirthCert is the 出生医学证明 number of a newborn who has no ID
	// number yet: one letter and nine digits (P310012345).
	BirthCert  string `json:"birth_cert,omitempty"`
	Sex        string `json:"sex,omitempty"`        // PartOptions(kiosk.MemberSex)
	Hukou      string `json:"hukou,omitempty"`      // PartOptions(kiosk.MemberHukou)
	Employment string `json:"employment,omitempty"` // PartOptions(kiosk.MemberEmployment)
	Income     string `json:"income,omitempty"`     // monthly, in yuan ("0" for none)
	Disability string `json:"disability,omitempty"` // PartOptions(kiosk.MemberDisability)
}

// Relations returns the relations a family member can have to the
// applicant, as choices for the UI.
func Relations() []kiosk.Option {
	return []kiosk.Option{
		{Value: "spouse", Label: kiosk.Msg("form.relation_spouse")},
		{Value: "child", Label: kiosk.Msg("form.relation_child")},
		{Value: "parent", Label: kiosk.Msg("form.relation_parent")},
		{Value: "grandparent", Label: kiosk.Msg("form.relation_grandparent")},
		{Value: "grandchild", Label: kiosk.Msg("form.relation_grandchild")},
		{Value: "sibling", Label: kiosk.Msg("form.relation_sibling")},
		{Value: "other", Label: kiosk.Msg("form.relation_other")},
	}
}

// PartOptions returns the choices of a member part that is chosen, not
// typed (sex, hukou, employment, disability), or nil (income).
func PartOptions(p kiosk.MemberPart) []kiosk.Option {
	o := func(v string, label kiosk.Text) kiosk.Option { return kiosk.Option{Value: v, Label: label} }
	switch p {
	case kiosk.MemberSex:
		return []kiosk.Option{o("male", kiosk.Msg("form.sex_male")), o("female", kiosk.Msg("form.sex_female"))}
	case kiosk.MemberHukou:
		return []kiosk.Option{o("shanghai", kiosk.Msg("form.hukou_shanghai")), o("elsewhere", kiosk.Msg("form.hukou_elsewhere"))}
	case kiosk.MemberEmployment:
		return []kiosk.Option{o("employed", kiosk.Msg("form.employment_employed")), o("flexible", kiosk.Msg("form.employment_flexible")),
			o("unemployed", kiosk.Msg("form.employment_unemployed")), o("retired", kiosk.Msg("form.employment_retired")),
			o("student", kiosk.Msg("form.employment_student")), o("preschool", kiosk.Msg("form.employment_preschool")),
			o("unable", kiosk.Msg("form.employment_unable"))}
	case kiosk.MemberDisability:
		return []kiosk.Option{o("none", kiosk.Msg("form.disability_none")), o("disabled", kiosk.Msg("form.disability_disabled")),
			o("serious-illness", kiosk.Msg("form.disability_serious_illness"))}
	}
	return nil
}

// memberParts are the parts a MemberSpec may ask for, in the order the
// editor shows them.
var memberParts = [...]kiosk.MemberPart{kiosk.MemberSex, kiosk.MemberHukou, kiosk.MemberEmployment, kiosk.MemberIncome, kiosk.MemberDisability}

func knownPart(p kiosk.MemberPart) bool {
	for _, x := range memberParts {
		if x == p {
			return true
		}
	}
	return false
}

func relationLabel(v string) (kiosk.Text, bool) {
	return optionLabel(Relations(), v)
}

func optionLabel(opts []kiosk.Option, v string) (kiosk.Text, bool) {
	for _, o := range opts {
		if o.Value == v {
			return o.Label, true
		}
	}
	return kiosk.Text{}, false
}

// Parts of a member, as named in FieldError.Part.
const (
	PartName       = "name"
	PartRelation   = "relation"
	PartIDNumber   = "id_number"
	PartBirthCert  = "birth_cert"
	PartHukou      = "hukou"
	PartEmployment = "employment"
	PartIncome     = "income"
	PartDisability = "disability"
)

// Bounds of a family list when the catalog gives none.
const (
	defaultMaxMembers = 10
	memberNameMax     = 30
	memberIncomeMax   = 1000000 // yuan a month: above is a typing slip
)

// Identifier is the member's ID number, or the birth-certificate number
// of a newborn without one.
func (m Member) Identifier() string {
	if m.IDNumber != "" {
		return m.IDNumber
	}
	return m.BirthCert
}

// MaskedIdentifier is Identifier masked for a screen or a receipt: an ID
// number keeps its first 6 and last 4 characters, a birth-certificate
// number its letter and last 4 digits.
func (m Member) MaskedIdentifier() string {
	if m.IDNumber == "" && m.BirthCert != "" {
		r := []rune(m.BirthCert)
		if len(r) <= 5 {
			return strings.Repeat("*", len(r))
		}
		return string(r[:1]) + strings.Repeat("*", len(r)-5) + string(r[len(r)-4:])
	}
	return kiosk.MaskNumber(m.IDNumber)
}

// checkBirthCert checks a 出生医学证明 number: one letter and nine digits
// (the form printed since the second edition; the seventh, of 1 April
// 2023, adds a bar code of the same number). A lower-case letter is
// accepted and returned upper-case.
func checkBirthCert(v string) (string, kiosk.Text) {
	s := strings.ToUpper(stripSeparators(fold(v)))
	if len(s) != 10 {
		return "", msgBirthCert()
	}
	if s[0] < 'A' || s[0] > 'Z' || !allDigits(s[1:]) {
		return "", msgBirthCert()
	}
	return s, kiosk.Text{}
}

// checkMembers checks every member and the list as a whole against field
// fl (its Min, Max and Member spec). applicantID is the applicant's own ID
// number, which must not appear in the list.
func checkMembers(ms []Member, fl kiosk.Field, applicantID string, today time.Time) ([]Member, []partProblem) {
	var probs []partProblem
	limit := defaultMaxMembers
	if fl.Max != nil {
		limit = *fl.Max
	}
	if len(ms) > limit {
		return nil, []partProblem{{msg: msgManyMembers(limit)}}
	}
	if fl.Min != nil && len(ms) < *fl.Min {
		probs = append(probs, partProblem{msg: msgFewMembers(*fl.Min)})
	}
	spec := fl.Member
	out := make([]Member, len(ms))
	firstWith := map[string]int{}
	for i, m := range ms {
		n := i + 1
		bad := func(part string, msg kiosk.Text) {
			probs = append(probs, partProblem{part: part, member: n, msg: msg})
		}
		c := Member{Name: fold(m.Name), Relation: fold(m.Relation)}
		switch {
		case c.Name == "":
			bad(PartName, msgMemberName(n))
		default:
			if _, msg := checkText(c.Name, nil, intPtr(memberNameMax)); !msg.IsZero() {
				bad(PartName, msgMember(n, msg))
			}
		}
		if _, ok := relationLabel(c.Relation); !ok {
			bad(PartRelation, msgMemberRelation(n))
		}
		key, part := "", PartIDNumber
		cert := fold(m.BirthCert)
		switch {
		case fold(m.IDNumber) == "" && cert != "" && spec != nil && spec.BirthCert:
			part = PartBirthCert
			v, msg := checkBirthCert(cert)
			if !msg.IsZero() {
				bad(part, msgMember(n, msg))
				c.BirthCert = cert
				break
			}
			c.BirthCert, key = v, "cert:"+v
		case fold(m.IDNumber) == "" && spec != nil && spec.BirthCert:
			bad(part, msgMemberIDOrCert(n))
		default:
			id, msg := checkIDNumber(m.IDNumber, today)
			switch {
			case !msg.IsZero():
				bad(part, msgMember(n, msg))
				c.IDNumber = fold(m.IDNumber)
			case applicantID != "" && id == applicantID:
				bad(part, msgMember(n, msgSelfInFamily()))
			default:
				c.IDNumber, key = id, "id:"+id
			}
		}
		if key != "" {
			if first := firstWith[key]; first != 0 {
				bad(part, msgMemberDuplicate(n, first))
			} else {
				firstWith[key] = n
			}
		}
		for _, p := range memberParts {
			if !spec.Asks(p) {
				continue
			}
			switch p {
			case kiosk.MemberIncome:
				v := fold(m.Income)
				if v == "" {
					bad(PartIncome, msgMemberIncome(n))
					break
				}
				canon, msg := checkNumber(v, intPtr(0), intPtr(memberIncomeMax))
				if !msg.IsZero() {
					bad(PartIncome, msgMember(n, msg))
					c.Income = v
					break
				}
				c.Income = canon
			default:
				v := fold(*m.Part(p))
				if _, ok := optionLabel(PartOptions(p), v); !ok {
					bad(string(p), msgMemberChoose(n, p))
				}
				*c.Part(p) = v
			}
		}
		out[i] = c
	}
	return out, probs
}

// Part points at m's answer to part p (a throwaway string for a part
// members do not have).
func (m *Member) Part(p kiosk.MemberPart) *string {
	switch p {
	case kiosk.MemberSex:
		return &m.Sex
	case kiosk.MemberHukou:
		return &m.Hukou
	case kiosk.MemberEmployment:
		return &m.Employment
	case kiosk.MemberIncome:
		return &m.Income
	case kiosk.MemberDisability:
		return &m.Disability
	}
	return new(string)
}

func intPtr(n int) *int { return &n }
