package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/tongban/tongban/kiosk"
)

// moneyInText finds an amount of money written into a text ("875元",
// "1,240 yuan"): figures are shown from the dated parameter tables only.
var moneyInText = regexp.MustCompile(`[0-9０-９][0-9０-９,，.]*\s*(元|yuan\b)`)

// checkBasis checks what the item says of its rules: each legal basis
// named, dated and sourced; the charge free or with its fees, and on what
// basis; a statutory time limit with its basis; every money figure shown
// from a parameter table whose value in force has a source and an
// effective date, and none written into the item's texts.
func (l *loader) checkBasis(c *Catalog, file string, it *kiosk.Item) {
	bad := func(field, format string, args ...any) { l.problem(file, field, format, args...) }
	inferred := func(f string) bool { return slices.Contains(it.Inferred, f) }
	for i, b := range it.LegalBasis {
		p := fmt.Sprintf("legal_basis[%d]", i)
		if strings.TrimSpace(b.Name) == "" {
			bad(p+".name", "a legal basis needs the name of the law or notice")
		}
		if _, err := parseDay(b.Effective); err != nil {
			bad(p+".effective", "effective date %q is not YYYY-MM-DD", b.Effective)
		}
		switch {
		case b.URL == "" && b.Source == "":
			bad(p, "a legal basis needs where its text was read: a url or a source")
		case b.URL != "" && !strings.HasPrefix(b.URL, "http://") && !strings.HasPrefix(b.URL, "https://"):
			bad(p+".url", "url %q is not a web address", b.URL)
		}
		if b.Source != "" {
			if _, ok := c.meta.Sources[b.Source]; !ok {
				bad(p+".source", "unknown source %q (not in catalog.json)", b.Source)
			}
		}
	}
	if ch := it.Charge; ch != nil {
		switch {
		case ch.Free && len(it.Fees) > 0:
			bad("charge.free", "the item is declared free but lists fees")
		case !ch.Free && len(it.Fees) == 0:
			bad("fees", "the item is declared not free: list its fees")
		}
		if strings.TrimSpace(ch.Basis) == "" && !inferred("charge") {
			bad("charge.basis", "say on what basis the item is free or charged, or mark charge inferred")
		}
	}
	for i, f := range it.Fees {
		if strings.TrimSpace(f.Basis) == "" && !inferred("fees") {
			bad(fmt.Sprintf("fees[%d].basis", i), "a fee needs its basis, or mark fees inferred")
		}
	}
	if ll := it.LegalLimit; ll != nil && strings.TrimSpace(ll.Basis) == "" && !inferred("legal_limit") {
		bad("legal_limit.basis", "a statutory time limit needs its basis, or mark legal_limit inferred")
	}
	for i, f := range it.Figures {
		p := fmt.Sprintf("figures[%d]", i)
		if f.Label.ZH == "" {
			bad(p+".label.zh", "a figure needs a label")
		}
		t, ok := c.params[f.Param]
		if !ok {
			bad(p+".param", "no parameter table %q", f.Param)
			continue
		}
		v, err := c.paramValue(f.Param, c.meta.effective)
		if err != nil {
			bad(p+".param", "not shown to residents: %v", err)
			continue
		}
		if why := c.unshowable(t, v, c.meta.effective); why != "" {
			bad(p+".param", "%s is not shown to residents: %s", f.Param, why)
		}
	}
	for _, x := range residentTexts(it) {
		for _, s := range []string{x.t.ZH, x.t.EN} {
			if m := moneyInText.FindString(s); m != "" {
				bad(x.field, "%q: a money figure in the text has no source or effective date; show it through figures and parameters.json, or leave it out", m)
				break
			}
		}
	}
}

// residentText is a text of an item a resident reads, and its field.
type residentText struct {
	field string
	t     kiosk.Text
}

// residentTexts lists the item's texts a resident reads.
func residentTexts(it *kiosk.Item) []residentText {
	out := []residentText{{"name", it.Name}, {"summary", it.Summary}, {"who_can_apply", it.WhoCanApply},
		{"after_done", it.AfterDone}, {"accept_condition", it.AcceptCondition}, {"where", it.Where}, {"in_person", it.InPerson}}
	for i, m := range it.Materials {
		out = append(out, residentText{fmt.Sprintf("materials[%d].name", i), m.Name}, residentText{fmt.Sprintf("materials[%d].note", i), m.Note})
	}
	for i, r := range it.Rules {
		out = append(out, residentText{fmt.Sprintf("rules[%d].reason", i), r.Reason}, residentText{fmt.Sprintf("rules[%d].instead", i), r.Instead})
	}
	for i, q := range it.FAQ {
		out = append(out, residentText{fmt.Sprintf("faq[%d].question", i), q.Question}, residentText{fmt.Sprintf("faq[%d].answer", i), q.Answer})
	}
	for i, f := range it.Form {
		out = append(out, residentText{fmt.Sprintf("form[%d].label", i), f.Label}, residentText{fmt.Sprintf("form[%d].help", i), f.Help})
	}
	return out
}
