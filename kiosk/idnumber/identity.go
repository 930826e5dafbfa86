package idnumber

import (
	"fmt"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// CheckIdentity checks what a card said: the number's format and check
// digit for its card type, and, where the number encodes them, that the
// birth date and sex on the card agree with it.
func CheckIdentity(id kiosk.Identity) error {
	const op = "idnumber.CheckIdentity"
	var c Citizen
	var err error
	switch id.Card {
	case kiosk.CardResident:
		c, err = ParseCitizen(id.Number)
	case kiosk.CardPermitHKMOTW:
		c, err = ParsePermit(id.Number)
	case kiosk.CardForeignPR2017:
		return CheckPR2017(id.Number, id.Nation)
	case kiosk.CardForeignPR2023:
		return CheckPR2023(id.Number)
	default:
		return invalid(op, ErrFormat, "无法识别此证件，请到人工窗口办理。",
			"This card cannot be recognised. Please go to the staffed counter.")
	}
	if err != nil {
		return err
	}
	if !id.BirthDate.IsZero() && !sameDay(id.BirthDate, c.Birth) {
		return invalid(op, ErrBirthMismatch,
			"证件上的出生日期与证件号码不一致，请到人工窗口办理。",
			"The birth date on the card does not match its number. Please go to the staffed counter.")
	}
	if id.Sex != kiosk.SexUnknown && id.Sex != c.Sex {
		return invalid(op, ErrSexMismatch,
			"证件上的性别与证件号码不一致，请到人工窗口办理。",
			"The sex on the card does not match its number. Please go to the staffed counter.")
	}
	return nil
}

// CheckExpiry refuses a card that is no longer valid on day today, saying
// when it expired. Cards valid 长期 never expire.
func CheckExpiry(id kiosk.Identity, today time.Time) error {
	if !id.ExpiredOn(today) {
		return nil
	}
	y, m, d := id.ValidUntil.Date()
	return &kiosk.Error{
		Op:   "idnumber.CheckExpiry",
		Kind: kiosk.KindInvalid,
		Message: kiosk.Text{
			ZH: fmt.Sprintf("您的证件已于%d年%d月%d日过期，请到人工窗口办理，或换领新证后再来。", y, int(m), d),
			EN: fmt.Sprintf("Your card expired on %s. Please go to the staffed counter, or come back with a renewed card.", id.ValidUntil.Format("2 January 2006")),
		},
		Err: ErrExpired,
	}
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
