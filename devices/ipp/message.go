package ipp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Tag is a delimiter tag (0x00–0x0F) or a value tag (0x10–0xFF).
type Tag byte

// Delimiter tags (RFC 8010 §3.5.1).
const (
	TagOperation   Tag = 0x01
	TagJob         Tag = 0x02
	TagEnd         Tag = 0x03
	TagPrinter     Tag = 0x04
	TagUnsupported Tag = 0x05
)

// Value tags (RFC 8010 §3.5.2) the package writes or reads.
const (
	TagUnsupportedValue Tag = 0x10
	TagUnknown          Tag = 0x12
	TagNoValue          Tag = 0x13
	TagInteger          Tag = 0x21
	TagBoolean          Tag = 0x22
	TagEnum             Tag = 0x23
	TagOctetString      Tag = 0x30
	TagDateTime         Tag = 0x31
	TagBeginCollection  Tag = 0x34
	TagTextLanguage     Tag = 0x35
	TagNameLanguage     Tag = 0x36
	TagEndCollection    Tag = 0x37
	TagText             Tag = 0x41
	TagName             Tag = 0x42
	TagKeyword          Tag = 0x44
	TagURI              Tag = 0x45
	TagCharset          Tag = 0x47
	TagLanguage         Tag = 0x48
	TagMimeType         Tag = 0x49
	TagMemberName       Tag = 0x4A
	TagExtension        Tag = 0x7F
)

// Operation IDs (RFC 8011 §5.4.15) the client uses.
const (
	OpPrintJob             uint16 = 0x0002
	OpCancelJob            uint16 = 0x0008
	OpGetJobAttributes     uint16 = 0x0009
	OpGetPrinterAttributes uint16 = 0x000B
)

// Version20 is IPP/2.0, which CUPS speaks.
const Version20 uint16 = 0x0200

// Value is one attribute value as it is on the wire.
type Value struct {
	Tag  Tag
	Data []byte
}

// Attribute is a named attribute with one or more values.
type Attribute struct {
	Name   string
	Values []Value
}

// Group is an attribute group (operation, job, printer…).
type Group struct {
	Tag   Tag
	Attrs []Attribute
}

// Message is an IPP request (Code is the operation) or response (Code is
// the status), with the document data that follows the attributes.
type Message struct {
	Version   uint16
	Code      uint16
	RequestID uint32
	Groups    []Group
	Data      []byte
}

// ErrMalformed is wrapped by every error Decode returns.
var ErrMalformed = errors.New("malformed IPP message")

// Integer makes an integer value.
func Integer(n int32) Value { return Value{TagInteger, binary.BigEndian.AppendUint32(nil, uint32(n))} }

// Enum makes an enum value.
func Enum(n int32) Value { return Value{TagEnum, binary.BigEndian.AppendUint32(nil, uint32(n))} }

// Boolean makes a boolean value.
func Boolean(b bool) Value {
	if b {
		return Value{TagBoolean, []byte{1}}
	}
	return Value{TagBoolean, []byte{0}}
}

// String makes a value of a string tag (text, name, keyword, uri,
// charset, language, mime type).
func String(tag Tag, s string) Value { return Value{tag, []byte(s)} }

// Int returns an integer or enum value.
func (v Value) Int() (int32, bool) {
	if (v.Tag != TagInteger && v.Tag != TagEnum) || len(v.Data) != 4 {
		return 0, false
	}
	return int32(binary.BigEndian.Uint32(v.Data)), true
}

// Bool returns a boolean value.
func (v Value) Bool() (bool, bool) {
	if v.Tag != TagBoolean || len(v.Data) != 1 {
		return false, false
	}
	return v.Data[0] != 0, true
}

// String returns a character-string value; for textWithLanguage and
// nameWithLanguage, the text without its language.
func (v Value) String() string {
	if v.Tag == TagTextLanguage || v.Tag == TagNameLanguage {
		if len(v.Data) < 4 {
			return ""
		}
		n := int(binary.BigEndian.Uint16(v.Data))
		if 2+n+2 <= len(v.Data) {
			m := int(binary.BigEndian.Uint16(v.Data[2+n:]))
			if 4+n+m == len(v.Data) {
				return string(v.Data[4+n:])
			}
		}
		return ""
	}
	return string(v.Data)
}

// Find returns the first attribute named name in groups of tag (any group
// when tag is 0).
func (m *Message) Find(tag Tag, name string) (Attribute, bool) {
	for _, g := range m.Groups {
		if tag != 0 && g.Tag != tag {
			continue
		}
		for _, a := range g.Attrs {
			if a.Name == name {
				return a, true
			}
		}
	}
	return Attribute{}, false
}

// MarshalBinary encodes the message (RFC 8010 §3.1).
func (m *Message) MarshalBinary() ([]byte, error) {
	b := binary.BigEndian.AppendUint16(nil, m.Version)
	b = binary.BigEndian.AppendUint16(b, m.Code)
	b = binary.BigEndian.AppendUint32(b, m.RequestID)
	for _, g := range m.Groups {
		if g.Tag > 0x0F || g.Tag == TagEnd || g.Tag == 0 {
			return nil, fmt.Errorf("ipp: %#x is not a group tag", byte(g.Tag))
		}
		b = append(b, byte(g.Tag))
		for _, a := range g.Attrs {
			if a.Name == "" || len(a.Values) == 0 {
				return nil, fmt.Errorf("ipp: attribute %q needs a name and a value", a.Name)
			}
			for i, v := range a.Values {
				if v.Tag <= 0x0F {
					return nil, fmt.Errorf("ipp: %s: %#x is not a value tag", a.Name, byte(v.Tag))
				}
				name := a.Name
				if i > 0 {
					name = ""
				}
				if len(name) > math.MaxUint16 || len(v.Data) > math.MaxUint16 {
					return nil, fmt.Errorf("ipp: %s: too long", a.Name)
				}
				b = append(b, byte(v.Tag))
				b = binary.BigEndian.AppendUint16(b, uint16(len(name)))
				b = append(b, name...)
				b = binary.BigEndian.AppendUint16(b, uint16(len(v.Data)))
				b = append(b, v.Data...)
			}
		}
	}
	b = append(b, byte(TagEnd))
	return append(b, m.Data...), nil
}

// Decode parses an IPP message. The document data after the attributes,
// if any, is in Data (sharing b's memory).
func Decode(b []byte) (*Message, error) {
	if len(b) < 9 {
		return nil, fmt.Errorf("%w: %d bytes, shorter than a header", ErrMalformed, len(b))
	}
	m := &Message{
		Version:   binary.BigEndian.Uint16(b),
		Code:      binary.BigEndian.Uint16(b[2:]),
		RequestID: binary.BigEndian.Uint32(b[4:]),
	}
	if major := m.Version >> 8; major < 1 || major > 2 {
		return nil, fmt.Errorf("%w: version %d.%d", ErrMalformed, m.Version>>8, m.Version&0xFF)
	}
	p := 8
	var g *Group
	for {
		if p >= len(b) {
			return nil, fmt.Errorf("%w: no end-of-attributes tag", ErrMalformed)
		}
		tag := Tag(b[p])
		p++
		if tag == TagEnd {
			m.Data = b[p:]
			return m, nil
		}
		if tag == 0 {
			return nil, fmt.Errorf("%w: reserved tag 0x00 at byte %d", ErrMalformed, p-1)
		}
		if tag <= 0x0F {
			m.Groups = append(m.Groups, Group{Tag: tag})
			g = &m.Groups[len(m.Groups)-1]
			continue
		}
		if g == nil {
			return nil, fmt.Errorf("%w: a value before any group at byte %d", ErrMalformed, p-1)
		}
		name, next, err := field(b, p)
		if err != nil {
			return nil, err
		}
		data, next, err := field(b, next)
		if err != nil {
			return nil, err
		}
		p = next
		v := Value{Tag: tag, Data: data}
		if len(name) == 0 {
			if len(g.Attrs) == 0 {
				return nil, fmt.Errorf("%w: an additional value without an attribute at byte %d", ErrMalformed, p)
			}
			last := &g.Attrs[len(g.Attrs)-1]
			last.Values = append(last.Values, v)
			continue
		}
		g.Attrs = append(g.Attrs, Attribute{Name: string(name), Values: []Value{v}})
	}
}

// field reads a 2-byte length and that many bytes at p.
func field(b []byte, p int) ([]byte, int, error) {
	if p+2 > len(b) {
		return nil, 0, fmt.Errorf("%w: cut short at byte %d", ErrMalformed, p)
	}
	n := int(binary.BigEndian.Uint16(b[p:]))
	p += 2
	if p+n > len(b) {
		return nil, 0, fmt.Errorf("%w: a %d-byte field at byte %d runs past the end", ErrMalformed, n, p)
	}
	return b[p : p+n : p+n], p + n, nil
}
