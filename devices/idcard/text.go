package idcard

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/tongban/tongban/internal/textclean"
)

// TextLen is the size of the text block of every card type.
const TextLen = 256

// CardType is the character at offset 248 of the text block.
type CardType byte

// Card types a SAM reader returns.
const (
	TypeResident      CardType = ' ' // 居民身份证 (also written as 0)
	TypePermitHKMOTW  CardType = 'J' // 港澳台居民居住证
	TypeForeignPR2017 CardType = 'I' // 外国人永久居留身份证, 2017 edition
	TypeForeignPR2023 CardType = 'Y' // 外国人永久居留身份证, 2023 edition
)

// String names the card type for staff.
func (t CardType) String() string {
	switch t {
	case TypeResident:
		return "resident ID card"
	case TypePermitHKMOTW:
		return "HK/Macau/Taiwan residence permit"
	case TypeForeignPR2017:
		return "foreign permanent residence card (2017)"
	case TypeForeignPR2023:
		return "foreign permanent residence card (2023)"
	}
	return fmt.Sprintf("card type %q", rune(t))
}

// Text is the decoded text block of a card. Fields a card type does not
// carry stay empty. Dates are UTC midnights. It is personal data: never log it.
type Text struct {
	Type        CardType
	Name        string // Chinese name (may be empty on foreign cards)
	NameEN      string // English name: I and Y cards
	Sex         Sex
	Nation      string // resident cards: GB 3304 nation code, e.g. "01"
	Nationality string // I and Y cards: ISO 3166-1 alpha-3 country code
	Birth       time.Time
	Address     string
	Number      string // ID number, permit number or permanent residence number
	Issuer      string
	ValidFrom   time.Time
	ValidUntil  time.Time // zero when LongTerm
	LongTerm    bool      // valid-to reads 长期
	PassNumber  string    // J: the HK/Macau/Taiwan travel permit number
	IssueCount  string    // J: how many times the permit was issued
	Renewals    string    // Y: the renewal count (offset 32)
	CardVersion string    // I: card version
	Authority   string    // I: acceptance authority code
}

// TextError is a text block that cannot be decoded. It matches ErrBadText.
type TextError struct {
	Field  string
	Reason string
}

func (e *TextError) Error() string {
	return fmt.Sprintf("idcard: card text, %s: %s", e.Field, e.Reason)
}

// Is makes every TextError match ErrBadText.
func (e *TextError) Is(target error) bool { return target == ErrBadText }

// field is one span of the block, in bytes.
type field struct{ off, n int }

// decodeUCS2 decodes UCS-2 little-endian bytes and trims space and NUL
// padding. Unpaired surrogates become U+FFFD. Control and bidirectional
// formatting characters a forged or damaged card carries are removed
// (internal/textclean): a name with U+202E would print reversed.
func decodeUCS2(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	return strings.TrimSpace(textclean.Strip(strings.Trim(string(utf16.Decode(u)), " \x00")))
}

func (f field) str(block []byte) string { return decodeUCS2(block[f.off : f.off+f.n]) }

// longTerm is what the valid-to field says on cards that never expire.
const longTerm = "长期"

// ParseText decodes a 256-byte text block.
func ParseText(block []byte) (Text, error) {
	if len(block) != TextLen {
		return Text{}, &TextError{"block", fmt.Sprintf("%d bytes, want %d", len(block), TextLen)}
	}
	var t Text
	switch c := (field{248, 2}).str(block); c {
	case "":
		t.Type = TypeResident
	case "J", "I", "Y":
		t.Type = CardType(c[0])
	default:
		return Text{}, &TextError{"card type", fmt.Sprintf("unknown type %q", c)}
	}
	var err error
	date := func(name string, f field, allowLongTerm bool) time.Time {
		if err != nil {
			return time.Time{}
		}
		s := f.str(block)
		if allowLongTerm && s == longTerm {
			t.LongTerm = true
			return time.Time{}
		}
		d, perr := parseDate(s)
		if perr != nil {
			err = &TextError{name, perr.Error()}
		}
		return d
	}
	if t.Type == TypeForeignPR2017 {
		t.NameEN = field{0, 120}.str(block)
		t.Sex = Sex(field{120, 2}.str(block))
		t.Number = field{122, 30}.str(block)
		t.Nationality = field{152, 6}.str(block)
		t.Name = field{158, 30}.str(block)
		t.ValidFrom = date("valid from", field{188, 16}, false)
		t.ValidUntil = date("valid until", field{204, 16}, true)
		t.Birth = date("birth date", field{220, 16}, false)
		t.CardVersion = field{236, 4}.str(block)
		t.Authority = field{240, 8}.str(block)
		return t, err
	}
	// Resident, J and Y cards share the resident layout for these fields.
	t.Name = field{0, 30}.str(block)
	t.Sex = Sex(field{30, 2}.str(block))
	t.Birth = date("birth date", field{36, 16}, false)
	t.Number = field{122, 36}.str(block)
	t.Issuer = field{158, 30}.str(block)
	t.ValidFrom = date("valid from", field{188, 16}, false)
	t.ValidUntil = date("valid until", field{204, 16}, true)
	switch t.Type {
	case TypeResident:
		t.Nation = field{32, 4}.str(block)
		t.Address = field{52, 70}.str(block)
	case TypePermitHKMOTW:
		t.Address = field{52, 70}.str(block)
		t.PassNumber = field{220, 18}.str(block)
		t.IssueCount = field{238, 4}.str(block)
	case TypeForeignPR2023:
		// Sources agree on the offsets, not on 32/4 and 220/22; this follows
		// the one that reads 220/22 as the rest of a long English name.
		t.Renewals = field{32, 4}.str(block)
		t.NameEN = strings.TrimRight(field{52, 70}.str(block)+field{220, 22}.str(block), " ")
		t.Nationality = field{242, 6}.str(block)
	}
	return t, err
}

// parseDate reads YYYYMMDD.
func parseDate(s string) (time.Time, error) {
	if len(s) != 8 {
		return time.Time{}, fmt.Errorf("%q is not a YYYYMMDD date", s)
	}
	d, err := time.Parse("20060102", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a YYYYMMDD date", s)
	}
	return d, nil
}
