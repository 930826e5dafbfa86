package form

import (
	"strings"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/idnumber"
)

// idCheckChar is the MOD 11-2 check character of the first 17 digits, as
// kiosk/idnumber computes it for the card reader: one rule, one place.
func idCheckChar(body string) byte {
	c, _ := idnumber.CheckDigit(body)
	return c
}

// checkIDNumber checks an 18-character citizen identity number (also the
// number of a Hong Kong, Macao or Taiwan residence permit, which follows the
// same rules): 17 digits, a real birth date not after today (the zero time
// skips that part), and the MOD 11-2 check character. A lower-case x is
// accepted and returned as X.
func checkIDNumber(v string, today time.Time) (string, kiosk.Text) {
	s := strings.ToUpper(stripSeparators(fold(v)))
	if len(s) != 18 {
		if allDigits(strings.TrimSuffix(s, "X")) || s == "" {
			return "", msgIDLength()
		}
		return "", msgIDChars()
	}
	body, check := s[:17], s[17]
	if !allDigits(body) || !(check >= '0' && check <= '9' || check == 'X') {
		return "", msgIDChars()
	}
	birth, err := time.Parse("20060102", body[6:14])
	if err != nil || birth.Year() < 1900 || (!today.IsZero() && birth.After(today)) {
		return "", msgIDBirth()
	}
	if body[0] == '0' || idCheckChar(body) != check {
		return "", msgIDChecksum()
	}
	return s, kiosk.Text{}
}
