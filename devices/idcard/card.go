package idcard

import (
	"encoding/binary"
	"fmt"
)

// Card is everything one read returned. It is personal data: never log it,
// and drop it when the session ends.
type Card struct {
	Text
	Photo           []byte // WLT-compressed photo, opaque (see PhotoDecoder)
	Fingerprint     []byte // 0, 512 or 1024 bytes of templates, opaque
	AppendedAddress string // 追加住址, when the card has one and it was asked for
}

// ParseBase decodes the data of a read-base (30 01) reply: text length,
// photo length, text, photo.
func ParseBase(data []byte) (*Card, error) {
	return parseCardData(data, false)
}

// ParseWithFingerprint decodes the data of a 30 10 reply: text, photo and
// fingerprint lengths, then the three blocks.
func ParseWithFingerprint(data []byte) (*Card, error) {
	return parseCardData(data, true)
}

func parseCardData(data []byte, withFP bool) (*Card, error) {
	head := 4
	if withFP {
		head = 6
	}
	if len(data) < head {
		return nil, &TextError{"reply", fmt.Sprintf("%d bytes, shorter than its length fields", len(data))}
	}
	be := binary.BigEndian
	textLen, photoLen, fpLen := int(be.Uint16(data)), int(be.Uint16(data[2:])), 0
	if withFP {
		fpLen = int(be.Uint16(data[4:]))
	}
	if textLen != TextLen {
		return nil, &TextError{"reply", fmt.Sprintf("text length %d, want %d", textLen, TextLen)}
	}
	if head+textLen+photoLen+fpLen != len(data) {
		return nil, &TextError{"reply", fmt.Sprintf("lengths %d+%d+%d do not add up to the %d bytes received", textLen, photoLen, fpLen, len(data)-head)}
	}
	text, err := ParseText(data[head : head+textLen])
	if err != nil {
		return nil, err
	}
	c := &Card{Text: text}
	p := head + textLen
	c.Photo = append([]byte(nil), data[p:p+photoLen]...)
	p += photoLen
	if fpLen > 0 {
		c.Fingerprint = append([]byte(nil), data[p:p+fpLen]...)
	}
	return c, nil
}

// ParseAddress decodes the data of a read-address (30 03) reply: UCS-2LE
// text with padding.
func ParseAddress(data []byte) (string, error) {
	if len(data)%2 != 0 {
		return "", &TextError{"appended address", fmt.Sprintf("odd length %d", len(data))}
	}
	return decodeUCS2(data), nil
}
