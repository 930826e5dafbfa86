package catalog

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// staleAfter is how old the value of a yearly adjusted table may be and
// still be shown as today's.
const staleAfter = 15 * 30 * 24 * time.Hour

// Figures returns the item's money figures as the item screen shows them
// on day on: each with the value in force, its effective date and its
// source. A figure whose value has no source, no known effective date, is
// inferred, or is a yearly figure older than 15 months is left out: a
// resident is never shown an amount nobody can date.
func (c *Catalog) Figures(it kiosk.Item, on time.Time) []kiosk.ShownFigure {
	var out []kiosk.ShownFigure
	for _, f := range it.Figures {
		t, ok := c.params[f.Param]
		if !ok {
			continue
		}
		v, err := c.paramValue(f.Param, on)
		if err != nil || c.unshowable(t, v, on) != "" {
			continue
		}
		sf := kiosk.ShownFigure{Label: f.Label, Unit: t.Unit, Key: t.Key, From: v.from, Source: c.sourceTitle(v.Sources[0])}
		if v.Value != nil {
			sf.Value = *v.Value
		}
		for _, tr := range v.Tiers {
			sf.Tiers = append(sf.Tiers, kiosk.FigureTier{Min: tr.Min, Value: tr.Value})
		}
		out = append(out, sf)
	}
	return out
}

// unshowable says why value v of table t may not be shown to a resident on
// day on, or "" when it may.
func (c *Catalog) unshowable(t *ParamTable, v *ParamValue, on time.Time) string {
	switch {
	case v.Unknown:
		return "its value from " + v.From + " is not known"
	case len(v.Sources) == 0:
		return fmt.Sprintf("the value from %s cites no source", v.From)
	case slices.Contains(v.Inferred, "from"):
		return fmt.Sprintf("the effective date %s is inferred, not read in a source", v.From)
	case slices.Contains(v.Inferred, "value") || slices.Contains(v.Inferred, "tiers"):
		return fmt.Sprintf("the value from %s is inferred, not read in a source", v.From)
	case !moneyUnit(t.Unit):
		return fmt.Sprintf("its unit %q is not an amount of money", t.Unit)
	case t.Adjusted == "yearly" && dayOf(on).Sub(v.from) > staleAfter:
		return fmt.Sprintf("it is set yearly and its newest value is from %s", v.From)
	}
	return ""
}

// moneyUnit reports whether a table's unit is an amount of yuan.
func moneyUnit(unit string) bool { return strings.HasPrefix(unit, "CNY") }

// sourceTitle is the short title of a reference key: catalog.json's text
// up to its address.
func (c *Catalog) sourceTitle(key string) string {
	s := c.meta.Sources[key]
	if i := strings.Index(s, ", http"); i > 0 {
		s = s[:i]
	}
	if i := strings.Index(s, " ("); i > 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
