package idnumber

import (
	"errors"
	"strings"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// Sentinel errors, wrapped by the *kiosk.Error this package returns.
var (
	ErrFormat        = errors.New("idnumber: not in the number's format")
	ErrCheckDigit    = errors.New("idnumber: check digit does not match")
	ErrBirthDate     = errors.New("idnumber: birth date in the number is not a date")
	ErrPrefix        = errors.New("idnumber: prefix not of this kind of document")
	ErrBirthMismatch = errors.New("idnumber: birth date on the card differs from the number")
	ErrSexMismatch   = errors.New("idnumber: sex on the card differs from the number")
	ErrExpired       = errors.New("idnumber: the card has expired")
)

// weights of positions 1–17 in ISO 7064 MOD 11-2.
var weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// CheckDigit computes the MOD 11-2 check character ('0'–'9' or 'X') of the
// first 17 digits of a number. ok is false unless body is 17 ASCII digits.
func CheckDigit(body string) (c byte, ok bool) {
	if len(body) != 17 {
		return 0, false
	}
	sum := 0
	for i := range 17 {
		d := body[i]
		if d < '0' || d > '9' {
			return 0, false
		}
		sum += int(d-'0') * weights[i]
	}
	return "10X98765432"[sum%11], true
}

// Citizen is what an 18-character ID number says about its holder.
type Citizen struct {
	Area  string    // the first 6 digits (GB/T 2260 area, or 81/82/83 0000)
	Birth time.Time // UTC midnight
	Sex   kiosk.Sex // from the parity of the 17th digit
}

func invalid(op string, err error, msg kiosk.Text) error {
	return &kiosk.Error{Op: op, Kind: kiosk.KindInvalid, Message: msg, Err: err}
}

// ParseCitizen checks an 18-character citizen ID number (a lower-case x is
// accepted) and returns what it encodes.
func ParseCitizen(number string) (Citizen, error) {
	const op = "idnumber.ParseCitizen"
	n := strings.ToUpper(strings.TrimSpace(number))
	if len(n) != 18 {
		return Citizen{}, invalid(op, ErrFormat, kiosk.Msg("idnumber.length"))
	}
	want, ok := CheckDigit(n[:17])
	if !ok || (n[17] != 'X' && (n[17] < '0' || n[17] > '9')) {
		return Citizen{}, invalid(op, ErrFormat, kiosk.Msg("idnumber.digits"))
	}
	if n[17] != want {
		return Citizen{}, invalid(op, ErrCheckDigit, kiosk.Msg("idnumber.check_digit"))
	}
	birth, err := time.Parse("20060102", n[6:14])
	if err != nil {
		return Citizen{}, invalid(op, ErrBirthDate, kiosk.Msg("idnumber.birth_date"))
	}
	sex := kiosk.SexFemale
	if (n[16]-'0')%2 == 1 {
		sex = kiosk.SexMale
	}
	return Citizen{Area: n[:6], Birth: birth, Sex: sex}, nil
}

// permitPrefixes are the area codes of HK/Macau/Taiwan residence permits.
var permitPrefixes = []string{"810000", "820000", "830000"}

// ParsePermit checks the number of a HK/Macau/Taiwan residents' residence
// permit (J card): a citizen-style number starting 810000 (Hong Kong),
// 820000 (Macau) or 830000 (Taiwan).
func ParsePermit(number string) (Citizen, error) {
	c, err := ParseCitizen(number)
	if err != nil {
		return c, err
	}
	for _, p := range permitPrefixes {
		if c.Area == p {
			return c, nil
		}
	}
	return Citizen{}, invalid("idnumber.ParsePermit", ErrPrefix, kiosk.Msg("idnumber.permit_prefix"))
}

// CheckPR2017 checks the number of a 2017-edition foreign permanent
// residence card: 3 Latin capitals (the nationality) and 12 digits. Its
// check character's algorithm is not public, so it is not checked. When
// nationality is given, the letters must equal it.
func CheckPR2017(number, nationality string) error {
	n := strings.TrimSpace(number)
	ok := len(n) == 15
	for i := 0; ok && i < 15; i++ {
		if i < 3 {
			ok = n[i] >= 'A' && n[i] <= 'Z'
		} else {
			ok = n[i] >= '0' && n[i] <= '9'
		}
	}
	if !ok {
		return invalid("idnumber.CheckPR2017", ErrFormat, kiosk.Msg("idnumber.pr2017_format"))
	}
	if nationality != "" && n[:3] != nationality {
		return invalid("idnumber.CheckPR2017", ErrPrefix, kiosk.Msg("idnumber.pr2017_nationality"))
	}
	return nil
}

// CheckPR2023 checks the number of a 2023-edition foreign permanent
// residence card: 18 characters starting with 9, MOD 11-2 check digit as in
// citizen numbers.
func CheckPR2023(number string) error {
	n := strings.ToUpper(strings.TrimSpace(number))
	if len(n) != 18 || n[0] != '9' {
		return invalid("idnumber.CheckPR2023", ErrFormat, kiosk.Msg("idnumber.pr2023_format"))
	}
	want, ok := CheckDigit(n[:17])
	if !ok {
		return invalid("idnumber.CheckPR2023", ErrFormat, kiosk.Msg("idnumber.pr2023_digits"))
	}
	if n[17] != want {
		return invalid("idnumber.CheckPR2023", ErrCheckDigit, kiosk.Msg("idnumber.pr2023_check_digit"))
	}
	return nil
}
