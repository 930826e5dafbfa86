package form

import (
	"time"

	"github.com/tongban/tongban/kiosk"
)

// 代办: a resident applies on someone else's behalf (a child, an elder, a
// ward). The card read is the agent's; the applicant's name and ID number
// are typed, and the agent declares how they are related. ForAgent turns
// an item's form into that form, Principal reads the applicant back from
// its answers.

// IDs of the fields ForAgent adds.
const (
	FieldAgentRelation = "agent_relation"      // the applicant is the agent's …
	FieldPrincipalName = "principal_name"      // when the item's form has no name field
	FieldPrincipalID   = "principal_id_number" // when it has no ID-number field
)

// AgentRelations are what the applicant may be to the agent.
func AgentRelations() []kiosk.Option {
	return []kiosk.Option{
		{Value: "child", Label: kiosk.Msg("form.agent_relation_child")},
		{Value: "parent", Label: kiosk.Msg("form.agent_relation_parent")},
		{Value: "spouse", Label: kiosk.Msg("form.agent_relation_spouse")},
		{Value: "grandparent", Label: kiosk.Msg("form.agent_relation_grandparent")},
		{Value: "grandchild", Label: kiosk.Msg("form.agent_relation_grandchild")},
		{Value: "sibling", Label: kiosk.Msg("form.agent_relation_sibling")},
		{Value: "ward", Label: kiosk.Msg("form.agent_relation_ward")},
		{Value: "relative", Label: kiosk.Msg("form.agent_relation_relative")},
		{Value: "entrusted", Label: kiosk.Msg("form.agent_relation_entrusted")},
	}
}

// ForAgent returns item with the form a resident fills in on someone
// else's behalf: the applicant's name and ID number (the item's own fields
// for them, typed instead of read from the card, or two fields added
// first), then the relation, then the rest of the item's form with nothing
// prefilled: the card on the reader is not the applicant's. ok is false
// when the item may not be done by an agent (kiosk.Item.InPerson).
func ForAgent(item kiosk.Item) (out kiosk.Item, ok bool) {
	if !item.InPerson.IsZero() {
		return item, false
	}
	nameID, numberID := principalFields(item.Form)
	var head, rest []kiosk.Field
	if nameID == "" {
		head = append(head, kiosk.Field{ID: FieldPrincipalName, Type: kiosk.FieldText, Label: kiosk.Msg("form.principal_name"), Required: true, Max: intPtr(memberNameMax)})
	}
	if numberID == "" {
		head = append(head, kiosk.Field{ID: FieldPrincipalID, Type: kiosk.FieldIDNumber, Label: kiosk.Msg("form.principal_id_number"), Required: true})
	}
	for _, f := range item.Form {
		switch f.ID {
		case nameID, numberID:
			// Named as the applicant's, so the agent does not type their own.
			f.Prefill, f.Required, f.Label, f.Help = "", true, kiosk.Msg("form.principal_name"), kiosk.Text{}
			if f.ID == numberID {
				f.Type, f.Label = kiosk.FieldIDNumber, kiosk.Msg("form.principal_id_number") // its check digit is checked
			}
			head = append(head, f)
			continue
		}
		f.Prefill = ""
		rest = append(rest, f)
	}
	head = append(head, kiosk.Field{ID: FieldAgentRelation, Type: kiosk.FieldChoice, Label: kiosk.Msg("form.agent_relation"), Required: true, Options: AgentRelations()})
	out = item
	out.Form = append(head, rest...)
	return out, true
}

// principalFields finds the item's fields filled from the card's name and
// ID number, which name the applicant.
func principalFields(fields []kiosk.Field) (name, number string) {
	for _, f := range fields {
		switch {
		case f.Prefill == kiosk.PrefillName && name == "":
			name = f.ID
		case f.Prefill == kiosk.PrefillIDNumber && number == "":
			number = f.ID
		}
	}
	return name, number
}

// PrincipalIDField is the ID of the field of ForAgent's form that holds
// the applicant's ID number.
func PrincipalIDField(item kiosk.Item) string {
	if _, number := principalFields(item.Form); number != "" {
		return number
	}
	return FieldPrincipalID
}

// Principal is the applicant of a form filled by ForAgent, read from its
// answers: the name and the ID number typed, with the birth date and sex
// the number carries. It is not a card read: Verification is empty. Until
// a valid ID number is typed the identity has no Number.
func Principal(item kiosk.Item, a kiosk.Answers, today time.Time) kiosk.Identity {
	nameID, numberID := principalFields(item.Form)
	if nameID == "" {
		nameID = FieldPrincipalName
	}
	if numberID == "" {
		numberID = FieldPrincipalID
	}
	id := kiosk.Identity{Card: kiosk.CardResident, Name: fold(a[nameID])}
	number, msg := checkIDNumber(a[numberID], today)
	if !msg.IsZero() {
		return id
	}
	id.Number = number
	id.BirthDate, _ = time.Parse("20060102", number[6:14])
	id.Sex = kiosk.SexFemale
	if (number[16]-'0')%2 == 1 {
		id.Sex = kiosk.SexMale
	}
	return id
}
