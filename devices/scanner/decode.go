package scanner

import (
	"bytes"
	"errors"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Encoding is how a code's bytes were decoded.
type Encoding string

// Encodings of scanned content.
const (
	EncodingASCII   Encoding = "ascii"
	EncodingUTF8    Encoding = "utf-8"
	EncodingGB18030 Encoding = "gb18030"
)

// ErrUndecodable reports bytes that are neither UTF-8 nor GB18030: line
// noise, a wrong baud rate, or a code in an encoding the kiosk cannot read.
var ErrUndecodable = errors.New("scanned code is neither UTF-8 nor GB18030")

// Decode turns a frame's bytes into text. With aim set, a leading AIM
// symbology identifier (e.g. "]Q1" for QR) is split off and returned.
func Decode(data []byte, aim bool) (text, symbology string, enc Encoding, err error) {
	if aim && len(data) >= 3 && data[0] == ']' && isAlpha(data[1]) && isAlnum(data[2]) {
		symbology, data = string(data[:3]), data[3:]
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // UTF-8 byte order mark
	if len(data) == 0 {
		return "", symbology, "", ErrUndecodable
	}
	if utf8.Valid(data) {
		text = string(data)
		enc = EncodingUTF8
		if isASCII(data) {
			enc = EncodingASCII
		}
	} else {
		decoded, derr := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if derr != nil {
			return "", symbology, "", ErrUndecodable
		}
		text, enc = string(decoded), EncodingGB18030
	}
	if strings.ContainsRune(text, utf8.RuneError) {
		return "", symbology, "", ErrUndecodable
	}
	return text, symbology, enc, nil
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

func isAlpha(c byte) bool { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') }
func isAlnum(c byte) bool { return isAlpha(c) || (c >= '0' && c <= '9') }
