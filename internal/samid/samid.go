package samid

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Len is the length in bytes of a SAM ID as the reader answers it.
const Len = 16

// ErrFormat is a text that is not a SAM ID.
var ErrFormat = errors.New("not a SAM ID: want five numbers like 05.01-20240101-0000000042-0000000007")

// Format writes the 16 bytes (little-endian fields: 2, 2, 4, 4, 4 bytes)
// as NN.NN-NNNNNNNN-NNNNNNNNNN-NNNNNNNNNN.
func Format(b [Len]byte) string {
	le := binary.LittleEndian
	return fmt.Sprintf("%02d.%02d-%08d-%010d-%010d",
		le.Uint16(b[0:]), le.Uint16(b[2:]), le.Uint32(b[4:]), le.Uint32(b[8:]), le.Uint32(b[12:]))
}

// Parse reads a SAM ID written by Format (surrounding spaces ignored) and
// returns its bytes. Anything else is ErrFormat: every field is decimal
// digits, at least as many as Format writes, within its field's range.
func Parse(s string) ([Len]byte, error) {
	var b [Len]byte
	s = strings.TrimSpace(s)
	if len(s) > 64 {
		return b, ErrFormat
	}
	head, rest, ok := strings.Cut(s, "-")
	if !ok {
		return b, ErrFormat
	}
	major, minor, ok := strings.Cut(head, ".")
	if !ok {
		return b, ErrFormat
	}
	parts := strings.Split(rest, "-")
	if len(parts) != 3 {
		return b, ErrFormat
	}
	fields := []struct {
		text  string
		width int // digits Format writes at least
		bits  int
		at    int
	}{
		{major, 2, 16, 0}, {minor, 2, 16, 2}, {parts[0], 8, 32, 4}, {parts[1], 10, 32, 8}, {parts[2], 10, 32, 12},
	}
	le := binary.LittleEndian
	for _, f := range fields {
		if len(f.text) < f.width || strings.TrimLeft(f.text, "0123456789") != "" {
			return b, ErrFormat
		}
		n, err := strconv.ParseUint(f.text, 10, f.bits)
		if err != nil {
			return b, ErrFormat
		}
		if f.bits == 16 {
			le.PutUint16(b[f.at:], uint16(n))
		} else {
			le.PutUint32(b[f.at:], uint32(n))
		}
	}
	return b, nil
}

// Canonical returns s as Format writes it, or ErrFormat: two spellings of
// the same SAM ID (extra leading zeros, spaces) compare equal after it.
func Canonical(s string) (string, error) {
	b, err := Parse(s)
	if err != nil {
		return "", err
	}
	return Format(b), nil
}
