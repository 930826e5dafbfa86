package catalog

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// Facts the rule language knows about the resident, besides form answers
// (by field ID) and param.NAME:
//
//	identified   true when a card or 随申码 identified the resident
//	age          whole years on the day, from the birth date
//	age_months   whole months on the day (64 years 11 months is 779)
//	card         resident, permit-hkmotw, foreign-pr2017, foreign-pr2023, suishenma
//	card_expired true when the card's validity has ended
//	hukou        shanghai, other (a resident card from elsewhere), none (not a
//	             resident card: no hukou); unknown for a 随申码 without card data
//	sex          male, female
func isFact(name string) bool {
	switch name {
	case "identified", "age", "age_months", "card", "card_expired", "hukou", "sex":
		return true
	}
	return false
}

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
	if v.Instead.ZH != "" {
		msg.ZH += v.Instead.ZH
		if v.Reason.EN != "" || v.Instead.EN != "" {
			msg.EN = strings.TrimSpace(v.Reason.In(kiosk.LangEN) + " " + v.Instead.In(kiosk.LangEN))
		}
	}
	return &kiosk.Error{Op: "catalog.Eligible", Kind: kiosk.KindNotEligible, Message: msg}
}

// FactsOf returns the rule-language facts about id on day today.
func FactsOf(id kiosk.Identity, today time.Time) map[string]string {
	f := map[string]string{"identified": strconv.FormatBool(id.Present())}
	if !id.Present() {
		return f
	}
	f["card"] = string(id.Card)
	f["card_expired"] = strconv.FormatBool(id.ExpiredOn(today))
	if id.Sex != kiosk.SexUnknown {
		f["sex"] = string(id.Sex)
	}
	if !id.BirthDate.IsZero() {
		f["age"] = strconv.Itoa(id.AgeOn(today))
		f["age_months"] = strconv.Itoa(ageMonths(id.BirthDate, today))
	}
	switch id.Card {
	case kiosk.CardResident:
		// The address on a resident ID card is the hukou address.
		if strings.HasPrefix(strings.TrimSpace(id.Address), "上海") {
			f["hukou"] = HukouShanghai
		} else if id.Address != "" {
			f["hukou"] = HukouOther
		}
	case kiosk.CardPermitHKMOTW, kiosk.CardForeignPR2017, kiosk.CardForeignPR2023:
		f["hukou"] = HukouNone
	}
	return f
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

// Eligible checks the item's rules for resident id with the answers given
// so far (nil before the form starts) on day today. Rules reading answers not
// given yet leave the verdict Undecided; the form checks again at review.
func (c *Catalog) Eligible(code kiosk.ItemCode, id kiosk.Identity, answers kiosk.Answers, today time.Time) (Verdict, error) {
	i, ok := c.byCode[code]
	if !ok {
		return Verdict{}, fmt.Errorf("catalog: no item %q", code)
	}
	it := &c.items[i]
	if it.NeedsIdentity() {
		if !id.Present() {
			return Verdict{Status: NotEligible,
				Reason:  kiosk.Text{ZH: "办理这个事项需要先读取身份证或扫随申码。", EN: "This service needs your ID card or Suishen code first."},
				Instead: kiosk.Text{ZH: "没有带证件的，请到人工窗口。", EN: "Without ID, please go to the staffed counter."}}, nil
		}
		if id.ExpiredOn(today) {
			return Verdict{Status: NotEligible, Rule: "!card_expired",
				Reason:  kiosk.Text{ZH: "您的证件已过有效期，本机不能用它办理。", EN: "Your card has expired and cannot be used here."},
				Instead: kiosk.Text{ZH: "请先换领证件，或带上证件到人工窗口咨询。", EN: "Please renew it first, or ask at the staffed counter."}}, nil
		}
	}
	facts := FactsOf(id, today)
	env := func(name string) (string, bool) {
		if p, ok := strings.CutPrefix(name, paramPrefix); ok {
			v, err := c.Param(p, today)
			if err != nil {
				return "", false
			}
			return strconv.FormatFloat(v, 'f', -1, 64), true
		}
		if v, ok := facts[name]; ok {
			return v, true
		}
		if isFact(name) {
			return "", false
		}
		v, ok := answers[name]
		if !ok || v == "" {
			return "", false
		}
		return v, true
	}
	verdict := Verdict{Status: Eligible}
	for ri, r := range it.Rules {
		expr := c.rules[code][ri]
		holds, decided := expr.Eval(env)
		if !decided {
			verdict.Status = Undecided
			for _, n := range expr.Names() {
				if _, known := env(n); !known && !containsString(verdict.Waiting, n) {
					verdict.Waiting = append(verdict.Waiting, n)
				}
			}
			continue
		}
		if !holds {
			return Verdict{Status: NotEligible, Reason: r.Reason, Instead: r.Instead, InsteadItem: r.InsteadItem, Rule: r.When}, nil
		}
	}
	return verdict, nil
}
