package form

import (
	"time"

	"github.com/tongban/tongban/kiosk"
)

// Member is one person of a family-member list.
type Member struct {
	Name     string `json:"name"`
	Relation string `json:"relation"` // one of the values of Relations()
	IDNumber string `json:"id_number"`
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

func relationLabel(v string) (kiosk.Text, bool) {
	for _, o := range Relations() {
		if o.Value == v {
			return o.Label, true
		}
	}
	return kiosk.Text{}, false
}

// Parts of a member, as named in FieldError.Part.
const (
	PartName     = "name"
	PartRelation = "relation"
	PartIDNumber = "id_number"
)

// Bounds of a family list when the catalog gives none.
const (
	defaultMaxMembers = 10
	memberNameMax     = 30
)

// checkMembers checks every member and the list as a whole. applicantID is
// the applicant's own ID number, which must not appear in the list.
func checkMembers(ms []Member, min, max *int, applicantID string, today time.Time) ([]Member, []partProblem) {
	var probs []partProblem
	limit := defaultMaxMembers
	if max != nil {
		limit = *max
	}
	if len(ms) > limit {
		return nil, []partProblem{{msg: msgManyMembers(limit)}}
	}
	if min != nil && len(ms) < *min {
		probs = append(probs, partProblem{msg: msgFewMembers(*min)})
	}
	out := make([]Member, len(ms))
	firstWith := map[string]int{}
	for i, m := range ms {
		n := i + 1
		c := Member{Name: fold(m.Name), Relation: fold(m.Relation)}
		switch {
		case c.Name == "":
			probs = append(probs, partProblem{part: PartName, member: n, msg: msgMemberName(n)})
		default:
			if _, msg := checkText(c.Name, nil, intPtr(memberNameMax)); !msg.IsZero() {
				probs = append(probs, partProblem{part: PartName, member: n, msg: msgMember(n, msg)})
			}
		}
		if _, ok := relationLabel(c.Relation); !ok {
			probs = append(probs, partProblem{part: PartRelation, member: n, msg: msgMemberRelation(n)})
		}
		id, msg := checkIDNumber(m.IDNumber, today)
		switch {
		case !msg.IsZero():
			probs = append(probs, partProblem{part: PartIDNumber, member: n, msg: msgMember(n, msg)})
			c.IDNumber = fold(m.IDNumber)
		case applicantID != "" && id == applicantID:
			probs = append(probs, partProblem{part: PartIDNumber, member: n, msg: msgMember(n, msgSelfInFamily())})
		case firstWith[id] != 0:
			probs = append(probs, partProblem{part: PartIDNumber, member: n, msg: msgMemberDuplicate(n, firstWith[id])})
		default:
			firstWith[id] = n
			c.IDNumber = id
		}
		out[i] = c
	}
	return out, probs
}

func intPtr(n int) *int { return &n }
