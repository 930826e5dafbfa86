package catalog

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/form"
	"github.com/tongban/tongban/kiosk/rule"
)

// Patterns of codes and IDs, compiled per Load (no package state).
type patterns struct {
	code    *regexp.Regexp
	fieldID *regexp.Regexp
}

func newPatterns() patterns {
	return patterns{
		code:    regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`),
		fieldID: regexp.MustCompile(`^[a-z][a-z0-9_]*$`),
	}
}

func (l *loader) checkMeta(m *Meta) {
	if strings.TrimSpace(m.Version) == "" {
		l.problem(fileMeta, "version", "the catalog needs a version")
	}
	d, err := parseDay(m.Effective)
	if err != nil {
		l.problem(fileMeta, "effective", "effective date %q is not YYYY-MM-DD", m.Effective)
	}
	m.effective = d
	if m.Title.ZH == "" {
		l.problem(fileMeta, "title.zh", "the catalog needs a Chinese title")
	}
}

func (l *loader) checkDepartments(ds []Department) {
	seen := map[string]bool{}
	for i, d := range ds {
		p := fmt.Sprintf("[%d]", i)
		if d.Code == "" {
			l.problem(fileDepartments, p+".code", "a department needs a code")
		} else if seen[d.Code] {
			l.problem(fileDepartments, p+".code", "duplicate department %q", d.Code)
		}
		seen[d.Code] = true
		if d.Name.ZH == "" {
			l.problem(fileDepartments, p+".name.zh", "a department needs a Chinese name")
		}
	}
}

func (l *loader) checkLifeEvents(es []LifeEvent) {
	seen := map[string]bool{}
	for i, e := range es {
		p := fmt.Sprintf("[%d]", i)
		if e.ID == "" {
			l.problem(fileLifeEvents, p+".id", "a life event needs an id")
		} else if seen[e.ID] {
			l.problem(fileLifeEvents, p+".id", "duplicate life event %q", e.ID)
		}
		seen[e.ID] = true
		if e.Name.ZH == "" {
			l.problem(fileLifeEvents, p+".name.zh", "a life event needs a Chinese name")
		}
	}
}

func (l *loader) checkParams(c *Catalog, pf paramFile) {
	for ti := range pf.Tables {
		t := &pf.Tables[ti]
		p := fmt.Sprintf("tables[%d]", ti)
		if t.Name == "" {
			l.problem(fileParams, p+".name", "a parameter table needs a name")
			continue
		}
		if _, dup := c.params[t.Name]; dup {
			l.problem(fileParams, p+".name", "duplicate parameter table %q", t.Name)
			continue
		}
		if len(t.Values) == 0 {
			l.problem(fileParams, p+".values", "parameter %s has no values", t.Name)
		}
		for vi := range t.Values {
			v := &t.Values[vi]
			vp := fmt.Sprintf("%s.values[%d]", p, vi)
			d, err := parseDay(v.From)
			if err != nil {
				l.problem(fileParams, vp+".from", "effective date %q is not YYYY-MM-DD", v.From)
			}
			v.from = d
			if vi > 0 && !v.from.After(t.Values[vi-1].from) {
				l.problem(fileParams, vp+".from", "dates must increase: %s is not after %s", v.From, t.Values[vi-1].From)
			}
			switch {
			case v.Unknown && (v.Value != nil || len(v.Tiers) > 0):
				l.problem(fileParams, vp, "a step marked unknown has no value")
			case v.Unknown:
			case v.Value == nil && len(v.Tiers) == 0:
				l.problem(fileParams, vp, "needs a value or tiers")
			case v.Value != nil && len(v.Tiers) > 0:
				l.problem(fileParams, vp, "has both a value and tiers")
			case len(v.Tiers) > 0 && t.Key == "":
				l.problem(fileParams, p+".key", "a tiered table needs a key (what the tiers are by)")
			}
			for k := 1; k < len(v.Tiers); k++ {
				if v.Tiers[k].Min <= v.Tiers[k-1].Min {
					l.problem(fileParams, fmt.Sprintf("%s.tiers[%d].min", vp, k), "tiers must increase")
				}
			}
			for si, s := range v.Sources {
				if _, ok := c.meta.Sources[s]; !ok {
					l.problem(fileParams, fmt.Sprintf("%s.sources[%d]", vp, si), "unknown source %q (not in catalog.json)", s)
				}
			}
		}
		c.params[t.Name] = t
	}
}

func (l *loader) checkItem(c *Catalog, file string, it *kiosk.Item) {
	pt := l.patterns
	bad := func(field, format string, args ...any) { l.problem(file, field, format, args...) }
	if it.Code == "" {
		bad("code", "an item needs a code")
	} else if !pt.code.MatchString(string(it.Code)) {
		bad("code", "code %q: use lower-case letters, digits and hyphens", it.Code)
	}
	for field, t := range map[string]kiosk.Text{"name": it.Name, "summary": it.Summary} {
		if strings.TrimSpace(t.ZH) == "" {
			bad(field+".zh", "missing Chinese text")
		}
		if strings.TrimSpace(t.EN) == "" {
			bad(field+".en", "missing English text")
		}
	}
	for field, t := range map[string]kiosk.Text{"who_can_apply": it.WhoCanApply, "after_done": it.AfterDone, "accept_condition": it.AcceptCondition} {
		if strings.TrimSpace(t.ZH) == "" {
			bad(field+".zh", "missing Chinese text")
		}
	}
	if !c.hasDepartment(it.Department) {
		bad("department", "unknown department %q (not in departments.json)", it.Department)
	}
	if len(it.Actions) == 0 {
		bad("actions", "an item needs at least one action")
	}
	for i, a := range it.Actions {
		if !oneOf(a, kiosk.ActionApply, kiosk.ActionQuery, kiosk.ActionPrint, kiosk.ActionAppointment, kiosk.ActionTicket, kiosk.ActionGuide) {
			bad(fmt.Sprintf("actions[%d]", i), "unknown action %q", a)
		}
	}
	for i, n := range it.Needs {
		if !oneOf(n, kiosk.NeedIDReader, kiosk.NeedPrinter, kiosk.NeedScanner, kiosk.NeedA4Printer, kiosk.NeedBackOffice, kiosk.NeedFace) {
			bad(fmt.Sprintf("needs[%d]", i), "unknown need %q", n)
		}
	}
	for i, a := range it.Auth {
		if !oneOf(a, kiosk.AuthIDCard, kiosk.AuthIDCardFace, kiosk.AuthSuishenma, kiosk.AuthUKey, kiosk.AuthNone) {
			bad(fmt.Sprintf("auth[%d]", i), "unknown identification mode %q", a)
		}
	}
	if !oneOf(it.Type, kiosk.TypeAdminPower, kiosk.TypeLicence, "02", "03", "04", kiosk.TypeBenefit, "06", kiosk.TypeConfirmation, "08", "09", kiosk.TypeOther, kiosk.TypePublicServe) {
		bad("type", "unknown item type %q (GB/T 39046 A.1)", it.Type)
	}
	if len(it.ServiceObject) == 0 {
		bad("service_object", "an item needs a service object")
	}
	for i, o := range it.ServiceObject {
		if o < "1" || o > "6" || len(o) != 1 {
			bad(fmt.Sprintf("service_object[%d]", i), "unknown service object %q", o)
		}
	}
	if it.ProjectType != "" && !oneOf(it.ProjectType, kiosk.ProjectOnTheSpot, kiosk.ProjectPromised, kiosk.ProjectOther) {
		bad("project_type", "unknown project type %q", it.ProjectType)
	}
	for i, h := range it.HandleForms {
		if !oneOf(h, kiosk.HandleWindow, kiosk.HandleWeb, kiosk.HandleMobile, kiosk.HandleExpress, kiosk.HandleOther) {
			bad(fmt.Sprintf("handle_forms[%d]", i), "unknown handling form %q", h)
		}
	}
	if it.Tongban.Mode != "" && !oneOf(it.Tongban.Mode, kiosk.TongbanDirect, kiosk.TongbanSeparated) {
		bad("tongban.mode", "unknown 全市通办 mode %q", it.Tongban.Mode)
	}
	if !oneOf(it.Result.Type, kiosk.ResultLicence, kiosk.ResultApproval, kiosk.ResultOther, kiosk.ResultNone) {
		bad("result.type", "unknown result type %q", it.Result.Type)
	}
	l.checkLimit(file, "promise", it.Promise)
	l.checkBooking(file, it)
	if it.LegalLimit != nil {
		l.checkLimit(file, "legal_limit", *it.LegalLimit)
	}
	for i, m := range it.Materials {
		p := fmt.Sprintf("materials[%d]", i)
		if m.Name.ZH == "" {
			bad(p+".name.zh", "a material needs a name")
		}
		if m.Form != "" && (m.Form < "1" || m.Form > "7" || len(m.Form) != 1) {
			bad(p+".form", "unknown material form %q", m.Form)
		}
	}
	l.checkMaterials(file, it)
	l.checkBasis(c, file, it)
	for i, f := range it.Fees {
		if f.Name.ZH == "" {
			bad(fmt.Sprintf("fees[%d].name.zh", i), "a fee needs a name")
		}
	}
	for i, cl := range it.ContactLines {
		if cl.Number == "" {
			bad(fmt.Sprintf("contact_lines[%d].number", i), "a contact line needs a number")
		}
	}
	for i, q := range it.FAQ {
		if q.Question.ZH == "" || q.Answer.ZH == "" {
			bad(fmt.Sprintf("faq[%d]", i), "a question needs its question and answer in Chinese")
		}
	}
	if it.Popularity < 0 || it.Popularity > 100 {
		bad("popularity", "popularity %d is outside 0-100", it.Popularity)
	}
	for i, e := range it.LifeEvents {
		if !c.hasLifeEvent(e) {
			bad(fmt.Sprintf("life_events[%d]", i), "unknown life event %q (not in life_events.json)", e)
		}
	}
	for i, r := range it.Related {
		if _, ok := c.at(r); !ok {
			bad(fmt.Sprintf("related[%d]", i), "no item %q", r)
		}
	}
	for i, s := range it.Sources {
		if _, ok := c.meta.Sources[s]; !ok {
			bad(fmt.Sprintf("sources[%d]", i), "unknown source %q (not in catalog.json)", s)
		}
	}
	known := structFields(reflect.TypeOf(kiosk.Item{}))
	for i, f := range it.Inferred {
		top, _, _ := strings.Cut(f, ".")
		top, _, _ = strings.Cut(top, "[")
		if _, ok := known[top]; !ok {
			bad(fmt.Sprintf("inferred[%d]", i), "%q is not a field of an item", f)
		}
	}
	l.checkForm(file, it, pt)
	for _, p := range promises(*it) {
		bad(p.field, "%s", p.why)
	}
	if it.Can(kiosk.ActionApply) && len(it.Form) == 0 {
		bad("form", "an item residents can apply for needs a form")
	}
	exprs := make([]*rule.Rule, len(it.Rules))
	names := itemNames{c: c, fields: it.Form}
	for i, r := range it.Rules {
		p := fmt.Sprintf("rules[%d]", i)
		if r.Reason.ZH == "" {
			bad(p+".reason.zh", "a rule needs the reason in plain words")
		}
		if r.InsteadItem != "" {
			if _, ok := c.at(r.InsteadItem); !ok {
				bad(p+".instead_item", "no item %q", r.InsteadItem)
			}
		}
		e, err := rule.Parse(r.When)
		if err == nil {
			err = e.Check(names)
		}
		if err != nil {
			l.ruleProblems(file, p+".when", err)
			continue
		}
		for _, n := range e.Names() {
			if shadowed(n, it.Form) {
				bad(p+".when", "%s is read as the fact about the resident, but the form also asks for it and does not fill it from the card: rename the field", n)
			}
		}
		exprs[i] = e
	}
	c.rules[it.Code] = exprs
}

func (l *loader) checkLimit(file, field string, t kiosk.TimeLimit) {
	if t.Days < 0 {
		l.problem(file, field+".days", "a time limit cannot be negative")
	}
	if t.Unit != "" && !oneOf(t.Unit, kiosk.UnitWorkingDays, kiosk.UnitCalendarDays, kiosk.UnitMonths) {
		l.problem(file, field+".unit", "unknown unit %q", t.Unit)
	}
}

// checkForm validates an item's form; its conditions are checked by the form
// engine (form.CheckConditions), the one that shows and hides the fields.
func (l *loader) checkForm(file string, it *kiosk.Item, pt patterns) {
	bad := func(field, format string, args ...any) { l.problem(file, field, format, args...) }
	ids := map[string]bool{}
	for i, f := range it.Form {
		p := fmt.Sprintf("form[%d]", i)
		switch {
		case f.ID == "":
			bad(p+".id", "a form field needs an id")
		case !pt.fieldID.MatchString(f.ID):
			bad(p+".id", "field id %q: use lower-case letters, digits and _", f.ID)
		case ids[f.ID]:
			bad(p+".id", "duplicate field id %q", f.ID)
		}
		ids[f.ID] = true
		if strings.TrimSpace(f.Label.ZH) == "" {
			bad(p+".label", "a form field needs a label")
		}
		if !oneOf(f.Type, kiosk.FieldText, kiosk.FieldNumber, kiosk.FieldDate, kiosk.FieldChoice, kiosk.FieldYesNo,
			kiosk.FieldPhone, kiosk.FieldIDNumber, kiosk.FieldBank, kiosk.FieldAddress, kiosk.FieldFamily,
			kiosk.FieldSignature, kiosk.FieldConsent) {
			bad(p+".type", "unknown field type %q", f.Type)
		}
		if f.Prefill != "" && !oneOf(f.Prefill, kiosk.PrefillName, kiosk.PrefillSex, kiosk.PrefillBirthDate, kiosk.PrefillAddress, kiosk.PrefillIDNumber, kiosk.PrefillNation) {
			bad(p+".prefill", "unknown prefill %q", f.Prefill)
		}
		if f.Type == kiosk.FieldChoice && len(f.Options) == 0 {
			bad(p+".options", "a choice needs options")
		}
		vals := map[string]bool{}
		for oi, o := range f.Options {
			op := fmt.Sprintf("%s.options[%d]", p, oi)
			if o.Value == "" || vals[o.Value] {
				bad(op+".value", "an option needs a value of its own")
			}
			vals[o.Value] = true
			if o.Label.ZH == "" {
				bad(op+".label", "an option needs a label")
			}
		}
		if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
			bad(p+".min", "min %d is above max %d", *f.Min, *f.Max)
		}
	}
	for _, e := range form.CheckConditions(it.Form) {
		l.ruleProblems(file, fmt.Sprintf("form[%d].visible_if", e.Index-1), e.Err)
	}
}

// shadowed reports whether name is a fact that also names a field of the
// form the resident fills in (not prefilled from the card): a rule would
// read the fact, never the answer.
func shadowed(name string, fields []kiosk.Field) bool {
	if _, fact := factDecls[name]; !fact {
		return false
	}
	for _, f := range fields {
		if f.ID == name && f.Prefill == "" {
			return true
		}
	}
	return false
}

// ruleProblems reports every problem of a rule (a *rule.Error or
// rule.Errors) at field, each with its column and token.
func (l *loader) ruleProblems(file, field string, err error) {
	var all rule.Errors
	if errors.As(err, &all) {
		for _, e := range all {
			l.problem(file, field, "%v", e)
		}
		return
	}
	l.problem(file, field, "%v", err)
}

func (c *Catalog) hasDepartment(code string) bool {
	for _, d := range c.departments {
		if d.Code == code {
			return true
		}
	}
	return false
}

func (c *Catalog) hasLifeEvent(id string) bool {
	for _, e := range c.lifeEvents {
		if e.ID == id {
			return true
		}
	}
	return false
}

func oneOf[T comparable](v T, allowed ...T) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}
