package catalog

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/form"
	"github.com/tongban/tongban/kiosk/rule"
)

// An item's eligibility rules (kiosk.Rule.When) are written in the rule
// language of package kiosk/rule. They read three kinds of names:
//
//   - facts about the resident, from the identity on the day:
//     identified   true or false: a card or 随申码 identified the resident
//     age          a number: whole years on the day, from the birth date
//     age_months   a number: whole months (64 years 11 months is 779)
//     card         "resident", "permit-hkmotw", "foreign-pr2017",
//     "foreign-pr2023" or "suishenma"
//     card_expired true or false: the card's validity has ended
//     hukou        "shanghai", "other" (a resident card from elsewhere) or
//     "none" (not a resident card: no hukou); unknown for a 随申码
//     without card data
//     sex          "male" or "female"
//   - param.NAME, a number: the value of a dated parameter table in force on
//     the day (param.dibao_standard); tiered tables cannot be read;
//   - the answers to the item's form, by field ID, with the types and parts
//     package kiosk/form gives them (income_per_capita, partner_id.age).
//
// A fact shadows a form field of the same ID (a form's sex field, prefilled
// from the card, reads as the fact sex). A name whose value is not known yet
// (an answer not given, a fact the card does not carry) leaves its rule
// undecided.
var factDecls = map[string]rule.Decl{
	"identified":   {Type: rule.Bool},
	"age":          {Type: rule.Number},
	"age_months":   {Type: rule.Number},
	"card":         {Type: rule.Text, Values: form.CardValues()},
	"card_expired": {Type: rule.Bool},
	"hukou":        {Type: rule.Text, Values: []string{HukouShanghai, HukouOther, HukouNone}},
	"sex":          {Type: rule.Text, Values: []string{string(kiosk.SexMale), string(kiosk.SexFemale)}},
}

const paramPrefix = "param."

// Hukou values.
const (
	HukouShanghai = "shanghai"
	HukouOther    = "other"
	HukouNone     = "none"
)

// Status is the outcome of an eligibility check.
type Status int

// Eligibility outcomes.
const (
	Eligible    Status = iota // every rule holds
	Undecided                 // no rule fails, but some wait for answers or facts not known yet
	NotEligible               // a rule fails: show Reason and Instead
)

func (s Status) String() string {
	switch s {
	case Eligible:
		return "eligible"
	case Undecided:
		return "undecided"
	}
	return "not-eligible"
}

// Verdict is what the kiosk shows before (and again after) the form.
type Verdict struct {
	Status      Status
	Reason      kiosk.Text     // why not, in plain words
	Instead     kiosk.Text     // where to go instead
	InsteadItem kiosk.ItemCode // an item to offer instead, if any
	Rule        string         // the failing rule's text, for staff
	Waiting     []string       // names an undecided verdict waits for
}

// OK reports whether the resident may go on (eligible or not yet decided).
func (v Verdict) OK() bool { return v.Status != NotEligible }

// Err returns nil when OK, otherwise a kiosk.Error of kind KindNotEligible
// carrying the reason and where to go instead.
func (v Verdict) Err() error {
	if v.OK() {
		return nil
	}
	msg := v.Reason
	if !v.Instead.IsZero() {
		msg = kiosk.Msg("eligibility.reason_instead", "Reason", v.Reason, "Instead", v.Instead)
	}
	return &kiosk.Error{Op: "catalog.Eligible", Kind: kiosk.KindNotEligible, Message: msg}
}

// itemNames declares what the rules of one item may read, for rule.Check.
type itemNames struct {
	c      *Catalog
	fields []kiosk.Field
}

func (n itemNames) Decl(name string) (rule.Decl, error) {
	if d, ok := factDecls[name]; ok {
		return d, nil
	}
	if p, ok := strings.CutPrefix(name, paramPrefix); ok {
		t, ok := n.c.params[p]
		switch {
		case !ok:
			return rule.Decl{}, fmt.Errorf("there is no parameter table %q in parameters.json", p)
		case t.Key != "":
			return rule.Decl{}, fmt.Errorf("parameter %s is tiered by %s: a rule cannot read it as one number", p, t.Key)
		}
		return rule.Decl{Type: rule.Number}, nil
	}
	d, err := form.FieldNames(n.fields).Decl(name)
	if errors.Is(err, form.ErrNotAField) {
		return d, fmt.Errorf("%s is neither a fact about the resident (%s), a parameter (param.NAME), nor a field of this item's form", name, strings.Join(factNames(), ", "))
	}
	return d, err
}

func factNames() []string {
	out := make([]string, 0, len(factDecls))
	for n := range factDecls {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// facts are the facts about one resident on one day.
type facts struct {
	id    kiosk.Identity
	today time.Time
}

func (f facts) value(name string) (rule.Value, bool, bool) {
	id, present := f.id, f.id.Present()
	var v rule.Value
	known := present
	switch name {
	case "identified":
		return rule.BoolValue(present), true, true
	case "card":
		v = rule.TextValue(string(id.Card))
	case "card_expired":
		v = rule.BoolValue(id.ExpiredOn(f.today))
	case "sex":
		v, known = rule.TextValue(string(id.Sex)), present && id.Sex != kiosk.SexUnknown
	case "age":
		v, known = rule.NumberValue(float64(id.AgeOn(f.today))), present && !id.BirthDate.IsZero()
	case "age_months":
		v, known = rule.NumberValue(float64(ageMonths(id.BirthDate, f.today))), present && !id.BirthDate.IsZero()
	case "hukou":
		var h string
		switch id.Card {
		case kiosk.CardResident:
			// The address on a resident ID card is the hukou address.
			if strings.HasPrefix(strings.TrimSpace(id.Address), "上海") {
				h = HukouShanghai
			} else if id.Address != "" {
				h = HukouOther
			}
		case kiosk.CardPermitHKMOTW, kiosk.CardForeignPR2017, kiosk.CardForeignPR2023:
			h = HukouNone
		}
		v, known = rule.TextValue(h), present && h != ""
	default:
		return rule.Value{}, false, false
	}
	return v, known, true
}

// ageMonths counts whole months from birth to today.
func ageMonths(birth, today time.Time) int {
	by, bm, bd := birth.Date()
	ty, tm, td := today.Date()
	m := (ty-by)*12 + int(tm-bm)
	if td < bd {
		m--
	}
	return m
}

// itemValues gives an item's rules their values: facts, then parameters,
// then answers.
type itemValues struct {
	c       *Catalog
	facts   facts
	answers rule.Resolver
}

func (r *itemValues) Value(name string) (rule.Value, bool) {
	if v, known, isFact := r.facts.value(name); isFact {
		return v, known
	}
	if p, ok := strings.CutPrefix(name, paramPrefix); ok {
		n, err := r.c.Param(p, r.facts.today)
		return rule.NumberValue(n), err == nil
	}
	return r.answers.Value(name)
}

// Eligible checks the item's rules for resident id with the answers given
// so far (nil before the form starts; the form's Answers at review) on day
// today. Rules reading answers not given yet leave the verdict Undecided;
// with the answers, a rule that fails makes it NotEligible with the rule's
// reason.
func (c *Catalog) Eligible(code kiosk.ItemCode, id kiosk.Identity, answers kiosk.Answers, today time.Time) (Verdict, error) {
	i, ok := c.at(code)
	if !ok {
		return Verdict{}, fmt.Errorf("catalog: no item %q", code)
	}
	it := &c.items[i]
	if it.NeedsIdentity() {
		if !id.Present() {
			return Verdict{Status: NotEligible,
				Reason:  kiosk.Msg("eligibility.needs_identity"),
				Instead: kiosk.Msg("eligibility.needs_identity_instead")}, nil
		}
		if id.ExpiredOn(today) {
			return Verdict{Status: NotEligible, Rule: "!card_expired",
				Reason:  kiosk.Msg("eligibility.card_expired"),
				Instead: kiosk.Msg("eligibility.card_expired_instead")}, nil
		}
	}
	vals := &itemValues{c: c, facts: facts{id: id, today: today}, answers: form.AnswerValues(it.Form, answers, today)}
	verdict := Verdict{Status: Eligible}
	for ri, r := range it.Rules {
		expr := c.rules[it.Code][ri]
		switch expr.Eval(vals) {
		case rule.False:
			return Verdict{Status: NotEligible, Reason: r.Reason, Instead: r.Instead, InsteadItem: r.InsteadItem, Rule: r.When}, nil
		case rule.Unknown:
			verdict.Status = Undecided
			for _, n := range expr.Names() {
				if _, known := vals.Value(n); !known && !slices.Contains(verdict.Waiting, n) {
					verdict.Waiting = append(verdict.Waiting, n)
				}
			}
		}
	}
	return verdict, nil
}
