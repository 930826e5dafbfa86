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
		return invalid(op, ErrFormat, kiosk.Msg("idnumber.unknown_card"))
	}
	if err != nil {
		return err
	}
	if !id.BirthDate.IsZero() && !sameDay(id.BirthDate, c.Birth) {
		return invalid(op, ErrBirthMismatch, kiosk.Msg("idnumber.birth_mismatch"))
	}
	if id.Sex != kiosk.SexUnknown && id.Sex != c.Sex {
		return invalid(op, ErrSexMismatch, kiosk.Msg("idnumber.sex_mismatch"))
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
		Op:      "idnumber.CheckExpiry",
		Kind:    kiosk.KindInvalid,
		Message: kiosk.Msg("idnumber.expired", "Year", y, "Month", kiosk.Msg(fmt.Sprintf("month.%d", int(m))), "Day", d),
		Err:     ErrExpired,
	}
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
