package catalog

import (
	"slices"
	"strings"
)

// residentFacts are the item fields whose content a resident reads or is
// held to: an item is fully sourced when it cites a source and none of
// these is marked inferred. (Popularity, keywords, life events and the
// GB/T classification codes are the kiosk's own and may stay marked.)
var residentFacts = []string{"name", "summary", "who_can_apply", "accept_condition", "materials", "promise",
	"after_done", "rules", "form", "fees", "charge", "legal_basis", "legal_limit", "figures", "faq", "where", "actions"}

// Review counts what a center must still review in the catalog, and what
// of each item's rules is recorded, for catalog check.
type Review struct {
	Items int
	// Sourced cite a source; NoMarks also have no field marked inferred at
	// all; FullySourced cite a source and have no resident fact inferred.
	Sourced, NoMarks, FullySourced int
	// Items recording a legal basis, a charge (and how many of those are
	// not inferred), a statutory time limit, and figures.
	LegalBasis, Charge, ChargeSourced, LegalLimit, Figures int
	// FiguresShown are the figures residents see today; Aliases the old
	// codes of merged items.
	FiguresShown, Aliases int
}

// Review counts the catalog's review marks and recorded rules.
func (c *Catalog) Review() Review {
	r := Review{Items: len(c.items), Aliases: len(c.aliases)}
	for _, it := range c.items {
		inferred := func(f string) bool {
			return slices.ContainsFunc(it.Inferred, func(m string) bool {
				top, _, _ := strings.Cut(m, ".")
				top, _, _ = strings.Cut(top, "[")
				return top == f
			})
		}
		if len(it.Sources) > 0 {
			r.Sourced++
			if len(it.Inferred) == 0 {
				r.NoMarks++
			}
			if !slices.ContainsFunc(residentFacts, inferred) {
				r.FullySourced++
			}
		}
		if len(it.LegalBasis) > 0 {
			r.LegalBasis++
		}
		if it.Charge != nil {
			r.Charge++
			if !inferred("charge") {
				r.ChargeSourced++
			}
		}
		if it.LegalLimit != nil {
			r.LegalLimit++
		}
		if len(it.Figures) > 0 {
			r.Figures++
		}
		r.FiguresShown += len(c.Figures(it, c.meta.effective))
	}
	return r
}
