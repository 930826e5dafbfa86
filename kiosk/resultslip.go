package kiosk

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Shown is the field's value as the public hall may see it. A Private
// value with digits (an account, an ID number) is masked like an ID
// number: the first 6 and last 4 characters kept, short values fully
// starred; a short one without (a name) like a name: 测*甲; a longer one
// (an address) keeps its beginning, at most 6 characters, and ends in
// ****: 上海市徐汇区****. Masking a masked value changes nothing.
func (f ResultField) Shown() string {
	v := strings.TrimSpace(f.Value)
	switch n := utf8.RuneCountInString(v); {
	case !f.Private:
		return f.Value
	case strings.ContainsAny(v, "0123456789"):
		return MaskNumber(v)
	case n <= 4 || strings.Contains(v, " "):
		return MaskName(v)
	default:
		keep := min(6, n-4)
		return string([]rune(v)[:keep]) + "****"
	}
}

// Masked returns a copy of the result whose Private values are masked
// (Shown): what the screen shows and the receipt printer prints.
func (r QueryResult) Masked() QueryResult {
	out := r
	out.Fields = make([]ResultField, len(r.Fields))
	for i, f := range r.Fields {
		f.Value = f.Shown()
		out.Fields[i] = f
	}
	return out
}

// ResultSlip is a query result to print on the receipt printer: titled,
// with its source and date, its Private values masked.
type ResultSlip struct {
	CenterName string
	Result     QueryResult // masked (Masked) before it is handed to a printer
	PrintedAt  time.Time
	Lang       Lang
}
