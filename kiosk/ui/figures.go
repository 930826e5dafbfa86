package ui

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// FigureSource is what a Browser also offers when the item screen may show
// money figures: each with the value in force on the day, its effective
// date and its source (catalog.Catalog.Figures). A Browser without it
// shows none.
type FigureSource interface {
	Figures(it kiosk.Item, on time.Time) []kiosk.ShownFigure
}

// figureLines are the item's figures as the item screen shows them, each
// with its date and source beside it: 津贴标准：65周岁起每月75元 …
// （2016年4月1日起执行；来源：…）. None when the browser cannot date them.
func (u *Screens) figureLines(it kiosk.Item) []string {
	src, ok := u.opt.Browser.(FigureSource)
	if !ok || len(it.Figures) == 0 {
		return nil
	}
	now := time.Now()
	if u.opt.Clock != nil {
		now = u.opt.Clock.Now()
	}
	var out []string
	for _, f := range src.Figures(it, now) {
		amount := func(v float64) string {
			return u.t(amountID(f.Unit), map[string]any{"Amount": strconv.FormatFloat(v, 'f', -1, 64)})
		}
		value := amount(f.Value)
		if len(f.Tiers) > 0 {
			value = ""
			for i, tr := range f.Tiers {
				if i > 0 {
					value += u.t("item.figure_tier_sep")
				}
				id := "item.figure_tier"
				if f.Key == "age" {
					id = "item.figure_tier_age"
				}
				value += u.t(id, map[string]any{"Min": tr.Min, "Amount": amount(tr.Value)})
			}
		}
		out = append(out, "· "+u.t("item.figure_line", map[string]any{"Label": u.tr(f.Label), "Value": value}))
		out = append(out, "  "+u.t("item.figure_dated", map[string]any{"Date": u.longDate(f.From), "Source": f.Source}))
	}
	return out
}

// legalBasisLines are the rules the item rests on, each with the day it
// took effect: 《婚姻登记条例》（国务院令第804号）（2025年5月10日起施行）.
// None while the catalog marks them inferred, for a center to review.
func (u *Screens) legalBasisLines(it kiosk.Item) []string {
	if slices.Contains(it.Inferred, "legal_basis") {
		return nil
	}
	var out []string
	for _, b := range it.LegalBasis {
		day, err := time.Parse(time.DateOnly, b.Effective)
		if err != nil {
			continue
		}
		out = append(out, "· "+u.t("item.legal_basis_line", map[string]any{"Name": b.Name + b.Article, "Date": u.longDate(day)}))
	}
	return out
}

// amountID is the message that says an amount in a table's unit.
func amountID(unit string) string {
	switch unit {
	case "CNY/person/month":
		return "item.amount_person_month"
	case "CNY/month":
		return "item.amount_month"
	}
	return "item.amount"
}

// longDate says a day in words: 2025年5月10日, 10 May 2025.
func (u *Screens) longDate(t time.Time) string {
	return u.t("form.date", map[string]any{"Year": t.Year(), "Month": u.t(fmt.Sprintf("month.%d", int(t.Month()))), "Day": t.Day()})
}
