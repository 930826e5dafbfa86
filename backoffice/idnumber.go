package backoffice

import (
	"strings"

	"github.com/tongban/tongban/kiosk/idnumber"
)

// validResidentID reports whether s is an 18-character resident ID number
// (GB 11643-1999) with a correct ISO 7064 MOD 11-2 check character, as
// kiosk/idnumber computes it. It checks the form only; the number is never
// logged.
func validResidentID(s string) bool {
	if len(s) != 18 {
		return false
	}
	c, ok := idnumber.CheckDigit(s[:17])
	return ok && s[17] == c
}

// MaskID keeps the first 6 and last 4 characters of an ID number and
// masks the rest (310104********1234), as lists and logs may show it.
func MaskID(s string) string {
	r := []rune(s)
	if len(r) <= 10 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:6]) + strings.Repeat("*", len(r)-10) + string(r[len(r)-4:])
}

// MaskName keeps a name's first and last characters (测*甲; 测* for two).
func MaskName(s string) string {
	r := []rune(s)
	switch len(r) {
	case 0:
		return ""
	case 1:
		return "*"
	case 2:
		return string(r[0]) + "*"
	}
	return string(r[0]) + strings.Repeat("*", len(r)-2) + string(r[len(r)-1])
}
