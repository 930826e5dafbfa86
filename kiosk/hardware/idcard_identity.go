package hardware

import (
	"github.com/tongban/tongban/devices/idcard"
	"github.com/tongban/tongban/kiosk"
)

// Identity converts a card read by the driver into the kiosk's identity.
// The photo and fingerprints stay behind: the kiosk does not keep them.
func Identity(c *idcard.Card) kiosk.Identity {
	id := kiosk.Identity{
		Name:      c.Name,
		NameEN:    c.NameEN,
		Sex:       sex(c.Sex),
		BirthDate: c.Birth,
		Address:   c.Address,
		Number:    c.Number,
		Issuer:    c.Issuer,
		ValidFrom: c.ValidFrom,
	}
	if !c.LongTerm {
		id.ValidUntil = c.ValidUntil
	}
	if c.AppendedAddress != "" { // the newer address, written after issue
		id.Address = c.AppendedAddress
	}
	switch c.Type {
	case idcard.TypeResident:
		id.Card = kiosk.CardResident
		if n, ok := idcard.NationName(c.Nation); ok {
			id.Nation = n
		}
	case idcard.TypePermitHKMOTW:
		id.Card = kiosk.CardPermitHKMOTW
	case idcard.TypeForeignPR2017:
		id.Card, id.Nation = kiosk.CardForeignPR2017, c.Nationality
	case idcard.TypeForeignPR2023:
		id.Card, id.Nation = kiosk.CardForeignPR2023, c.Nationality
	}
	if id.Name == "" { // foreign cards may carry no Chinese name
		id.Name = id.NameEN
	}
	return id
}

func sex(s idcard.Sex) kiosk.Sex {
	switch s {
	case idcard.SexMale:
		return kiosk.SexMale
	case idcard.SexFemale:
		return kiosk.SexFemale
	}
	return kiosk.SexUnknown
}
