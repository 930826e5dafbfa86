package kiosk

import (
	"strings"
	"time"
	"unicode/utf8"
)

// CardType is the kind of identity document a resident presented.
type CardType string

// Card types readable by a second-generation ID reader, plus the
// QR-code identity (随申码) which carries no card data at all.
const (
	CardResident      CardType = "resident"       // 居民身份证
	CardPermitHKMOTW  CardType = "permit-hkmotw"  // 港澳台居民居住证 (type J)
	CardForeignPR2017 CardType = "foreign-pr2017" // 外国人永久居留身份证, 2017 edition (type I)
	CardForeignPR2023 CardType = "foreign-pr2023" // 外国人永久居留身份证, 2023 edition (type Y)
	CardSuishenma     CardType = "suishenma"      // identified by a 随申码 token only
)

// Sex as on the card (GB/T 2261.1).
type Sex string

// Sex values.
const (
	SexUnknown Sex = ""
	SexMale    Sex = "male"
	SexFemale  Sex = "female"
)

// Identity is what the terminal knows about the resident in front of it.
// It is personal data: never log it, and call Wipe when the session ends.
type Identity struct {
	Card       CardType  `json:"card"`
	Name       string    `json:"name"`
	NameEN     string    `json:"name_en,omitempty"` // foreign permanent residence cards
	Sex        Sex       `json:"sex"`
	Nation     string    `json:"nation,omitempty"` // 民族 (resident) or nationality (foreigners)
	BirthDate  time.Time `json:"birth_date"`
	Address    string    `json:"address,omitempty"`
	Number     string    `json:"number"` // ID number, permit number or PR card number
	Issuer     string    `json:"issuer,omitempty"`
	ValidFrom  time.Time `json:"valid_from"`
	ValidUntil time.Time `json:"valid_until"` // zero means 长期 (no expiry)
	// Verification is the identification event the back office issued
	// when it verified a 随申码 (or a card read by an allow-listed reader):
	// what vouches for this identity when the visit's submission and
	// lookups reach it. Empty: not verified by the back office.
	Verification string `json:"verification,omitempty"`
	// ReaderSAM is the SAM ID of the card reader that read the card, in
	// its text form (05.01-20240101-0000000042-0000000007): the back
	// office vouches for a card read only by a reader it allow-listed for
	// this terminal. Empty for a 随申码, or when the reader did not say.
	ReaderSAM string `json:"reader_sam,omitempty"`
}

// Sent returns only the fields of the identity a submission sends to the
// back office (kiosk/uplink's applicant block and identification): card
// type, name, sex, nation, birth date, number, who verified it and the
// reader's SAM ID the back office vouches by. The address, English
// name, issuing authority and validity dates are read from the card but
// never sent, so the offline queue must not keep them either (issue 19
// item 3): a stolen disk can only give away what is queued. A field
// added to the applicant block must be added here too;
// kiosk/uplink's TestWireSendsOnlyQueuedIdentity fails until it is.
func (id Identity) Sent() Identity {
	return Identity{
		Card: id.Card, Name: id.Name, Sex: id.Sex, Nation: id.Nation,
		BirthDate: id.BirthDate, Number: id.Number, Verification: id.Verification,
		ReaderSAM: id.ReaderSAM,
	}
}

// Present reports whether a resident has been identified.
func (id Identity) Present() bool { return id.Number != "" }

// AgeOn returns the resident's age in whole years on day t.
func (id Identity) AgeOn(t time.Time) int {
	if id.BirthDate.IsZero() {
		return 0
	}
	age := t.Year() - id.BirthDate.Year()
	if t.Month() < id.BirthDate.Month() || (t.Month() == id.BirthDate.Month() && t.Day() < id.BirthDate.Day()) {
		age--
	}
	return age
}

// ExpiredOn reports whether the card is no longer valid on day t.
func (id Identity) ExpiredOn(t time.Time) bool {
	if id.ValidUntil.IsZero() {
		return false
	}
	y, m, d := t.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	vy, vm, vd := id.ValidUntil.Date()
	return today.After(time.Date(vy, vm, vd, 0, 0, 0, 0, time.UTC))
}

// MaskedName hides the middle of a name: 张三 → 张*, 张小明 → 张*明,
// 欧阳小明 → 欧**明. Latin names keep their first letter of each word.
func (id Identity) MaskedName() string { return MaskName(id.Name) }

// MaskedNumber keeps the first 6 and last 4 characters of an ID number:
// 310104********1234.
func (id Identity) MaskedNumber() string { return MaskNumber(id.Number) }

// Wipe overwrites every field so nothing of the resident survives the session.
func (id *Identity) Wipe() { *id = Identity{} }

// MaskName masks a personal name for display and printing.
func MaskName(name string) string {
	name = strings.TrimSpace(name)
	n := utf8.RuneCountInString(name)
	if n == 0 {
		return ""
	}
	if strings.ContainsRune(name, ' ') { // Latin-script name: keep initials
		words := strings.Fields(name)
		for i, w := range words {
			r, _ := utf8.DecodeRuneInString(w)
			words[i] = string(r) + strings.Repeat("*", utf8.RuneCountInString(w)-1)
		}
		return strings.Join(words, " ")
	}
	runes := []rune(name)
	switch n {
	case 1:
		return "*"
	case 2:
		return string(runes[0]) + "*"
	default:
		return string(runes[0]) + strings.Repeat("*", n-2) + string(runes[n-1])
	}
}

// MaskNumber masks an identity document number, keeping the first 6 and the
// last 4 characters. Numbers too short to mask that way are fully starred.
func MaskNumber(number string) string {
	r := []rune(number)
	if len(r) <= 10 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:6]) + strings.Repeat("*", len(r)-10) + string(r[len(r)-4:])
}
