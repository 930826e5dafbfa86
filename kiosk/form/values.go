package form

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tongban/tongban/kiosk"
)

// The checks of simple values. Each takes what the resident typed and
// returns the value in its canonical form, or a message saying what to fix
// (an empty message means the value is fine). They never see empty input:
// whether a field may be empty is decided by its Required flag.

// defaultTextMax caps free text when the catalog gives no Max.
const defaultTextMax = 200

func checkText(v string, min, max *int) (string, kiosk.Text) {
	v = fold(v)
	if !printable(v) {
		return "", msgUnreadable()
	}
	n := utf8.RuneCountInString(v)
	if min != nil && n < *min {
		return "", msgAtLeastChars(*min)
	}
	limit := defaultTextMax
	if max != nil {
		limit = *max
	}
	if n > limit {
		return "", msgAtMostChars(limit)
	}
	return v, kiosk.Text{}
}

func checkNumber(v string, min, max *int) (string, kiosk.Text) {
	v = strings.ReplaceAll(fold(v), ",", "") // 1,650 as written on a pay slip
	v = strings.TrimPrefix(v, "+")
	n, ok := parseDecimal(v)
	if !ok || len(v) > 18 {
		return "", msgNotNumber()
	}
	if i := strings.IndexByte(v, '.'); i >= 0 && len(v)-i-1 > 2 {
		return "", msgTooPrecise()
	}
	if min != nil && n < float64(*min) {
		return "", msgAtLeast(*min)
	}
	if max != nil && n > float64(*max) {
		return "", msgAtMost(*max)
	}
	// Canonical: no leading zeros, no trailing point zeros ("007.50" → "7.5").
	if n == 0 {
		n = 0 // not "-0"
	}
	return strconv.FormatFloat(n, 'f', -1, 64), kiosk.Text{}
}

func checkDate(v string) (string, kiosk.Text) {
	v = strings.ReplaceAll(fold(v), " ", "")
	if len(v) > 20 {
		return "", msgDateFormat()
	}
	// The ways a date may be written; the UI's date picker writes the first.
	layouts := [...]string{"2006-01-02", "2006-1-2", "2006/1/2", "2006.1.2", "20060102", "2006年1月2日"}
	for _, layout := range layouts {
		t, err := time.Parse(layout, v)
		if err != nil {
			if pe, ok := err.(*time.ParseError); ok && strings.Contains(pe.Message, "out of range") {
				return "", msgNoSuchDay()
			}
			continue
		}
		if t.Year() < 1900 || t.Year() > 2100 {
			return "", msgDateRange()
		}
		return t.Format("2006-01-02"), kiosk.Text{}
	}
	return "", msgDateFormat()
}

func checkChoice(v string, options []kiosk.Option) (string, kiosk.Text) {
	for _, o := range options {
		if o.Value == v {
			return v, kiosk.Text{}
		}
	}
	return "", msgNotAnOption()
}

// Yes and No are the values of a yes/no field (and of a ticked consent).
const (
	Yes = "yes"
	No  = "no"
)

func checkYesNo(v string) (string, kiosk.Text) {
	switch strings.ToLower(fold(v)) {
	case Yes, "是", "y", "true":
		return Yes, kiosk.Text{}
	case No, "否", "n", "false":
		return No, kiosk.Text{}
	}
	return "", msgYesNo()
}

// parseDecimal reads an optionally signed decimal number written with digits
// and at most one point ("60", "-1", "1650.5"). Anything else (exponents,
// "NaN", "Inf", spaces) is not a number.
func parseDecimal(s string) (float64, bool) {
	if s == "" || len(s) > 32 {
		return 0, false
	}
	body := s
	if body[0] == '-' || body[0] == '+' {
		body = body[1:]
	}
	digits, point := 0, false
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !point && i > 0 && i < len(body)-1:
			point = true
		default:
			return 0, false
		}
	}
	if digits == 0 {
		return 0, false
	}
	n, err := strconv.ParseFloat(s, 64)
	return n, err == nil
}
