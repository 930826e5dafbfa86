package form

import (
	"strings"

	"github.com/tongban/tongban/kiosk"
)

// checkPhone accepts a mainland mobile number (11 digits, 1[3-9]…, with or
// without +86) or a Shanghai landline (8 digits not starting with 0 or 1,
// with or without the area code 021). Mobiles come back as 11 digits,
// landlines as 021-xxxxxxxx. Thirteen digits typed on the keypad
// (8613812345678) are refused: without the "+" they are not a number a
// counter can call back, and a slip of two digits looks the same.
func checkPhone(v string) (string, kiosk.Text) {
	s := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '\t', '(', ')':
			return -1 // 021-6458 1234, (021)64581234
		}
		return r
	}, fold(v))
	s = strings.TrimPrefix(s, "+86")
	if !allDigits(s) {
		return "", msgPhoneDigits()
	}
	switch {
	case s[0] == '1':
		if len(s) != 11 {
			return "", msgMobileLength()
		}
		if s[1] < '3' {
			return "", msgMobilePrefix()
		}
		return s, kiosk.Text{}
	case strings.HasPrefix(s, "021"):
		if local := s[3:]; len(local) == 8 && local[0] >= '2' {
			return "021-" + local, kiosk.Text{}
		}
		return "", msgLandline()
	case s[0] == '0':
		return "", msgPhoneNotLocal()
	case len(s) == 8:
		return "021-" + s, kiosk.Text{}
	case len(s) == 7 || len(s) == 9:
		return "", msgLandline()
	}
	return "", msgPhoneGeneral()
}
