package idcard

import (
	"bytes"
	"errors"
	"fmt"
)

// Preamble starts every frame in both directions: three sync bytes and the
// start marker 96 69.
var Preamble = [5]byte{0xAA, 0xAA, 0xAA, 0x96, 0x69}

// Frame size limits. The longest reply of the protocol is a read with two
// fingerprint templates: 7 + 0x050A + 1024 bytes.
const (
	headerSize  = len(Preamble) + 2 // preamble and length
	minBodyLen  = 3                 // request: CMD PARA CHK; response: at least SW1 SW2 SW3 CHK
	MaxFrameLen = 4096              // longest Len accepted; longer ones are noise
)

// Reasons of a FrameError.
const (
	reasonChecksum = "checksum mismatch"
	reasonLength   = "impossible length"
)

// ErrShortFrame means the bytes scanned so far hold no complete frame yet.
var ErrShortFrame = errors.New("idcard: incomplete frame")

// FrameError is a damaged frame: a bad checksum or an impossible length.
// Errors of this type match [ErrFrame].
type FrameError struct {
	Reason string
	Len    int // the frame's length field
}

func (e *FrameError) Error() string {
	return fmt.Sprintf("idcard: damaged frame from the reader: %s (length %d)", e.Reason, e.Len)
}

// Is makes every FrameError match ErrFrame.
func (e *FrameError) Is(target error) bool { return target == ErrFrame }

// checksum is the XOR of every byte after the preamble.
func checksum(b []byte) byte {
	var x byte
	for _, c := range b {
		x ^= c
	}
	return x
}

// EncodeRequest builds a request frame: preamble, length, command,
// parameter, data and checksum.
func EncodeRequest(cmd Command, data []byte) []byte {
	n := 2 + len(data) + 1
	f := make([]byte, 0, headerSize+n)
	f = append(f, Preamble[:]...)
	f = append(f, byte(n>>8), byte(n), cmd.Code(), cmd.Param())
	f = append(f, data...)
	return append(f, checksum(f[len(Preamble):]))
}

// EncodeResponse builds a response frame with the given statuses and data.
// The driver never sends one; tests and fakes do.
func EncodeResponse(sw1, sw2 byte, sw3 Status, data []byte) []byte {
	n := 3 + len(data) + 1
	f := make([]byte, 0, headerSize+n)
	f = append(f, Preamble[:]...)
	f = append(f, byte(n>>8), byte(n), sw1, sw2, byte(sw3))
	f = append(f, data...)
	return append(f, checksum(f[len(Preamble):]))
}

// Scan looks for the first frame in b. It returns the frame (preamble to
// checksum, sharing b's memory) and how many bytes before it are noise.
//
// When b holds no complete frame it returns ErrShortFrame and skip counts
// the leading bytes that can never start a frame. When the first frame is
// damaged it returns a *FrameError and skip goes one byte past the damaged
// preamble, so scanning again re-synchronises on the next one.
func Scan(b []byte) (frame []byte, skip int, err error) {
	i := bytes.Index(b, Preamble[:])
	if i < 0 {
		// Keep a tail that may be the start of a preamble.
		keep := 0
		for k := min(len(Preamble)-1, len(b)); k > 0; k-- {
			if bytes.Equal(b[len(b)-k:], Preamble[:k]) {
				keep = k
				break
			}
		}
		return nil, len(b) - keep, ErrShortFrame
	}
	rest := b[i:]
	if len(rest) < headerSize {
		return nil, i, ErrShortFrame
	}
	n := int(rest[5])<<8 | int(rest[6])
	if n < minBodyLen || n > MaxFrameLen {
		return nil, i + 1, &FrameError{Reason: reasonLength, Len: n}
	}
	if len(rest) < headerSize+n {
		// A broken preamble in line noise may promise more bytes than will
		// ever come: a complete, valid frame after it wins, instead of
		// waiting for the read to time out.
		if f, j, err := Scan(rest[1:]); err == nil {
			return f, i + 1 + j, nil
		}
		return nil, i, ErrShortFrame
	}
	f := rest[:headerSize+n]
	if checksum(f[len(Preamble):len(f)-1]) != f[len(f)-1] {
		return nil, i + 1, &FrameError{Reason: reasonChecksum, Len: n}
	}
	return f, i, nil
}

// Response is a decoded reply of the reader.
type Response struct {
	SW1, SW2 byte   // the card's APDU status, 00 00 normally
	SW3      Status // the reader's status
	Data     []byte // what follows SW3, without the checksum
}

// ParseResponse decodes a complete frame returned by Scan.
func ParseResponse(frame []byte) (Response, error) {
	if len(frame) < headerSize+4 || !bytes.HasPrefix(frame, Preamble[:]) {
		return Response{}, &FrameError{Reason: "reply shorter than its status bytes", Len: len(frame) - headerSize}
	}
	body := frame[headerSize : len(frame)-1]
	return Response{SW1: body[0], SW2: body[1], SW3: Status(body[2]), Data: body[3:]}, nil
}

// ParseRequest decodes a complete request frame returned by Scan: the
// simulator's side of the protocol.
func ParseRequest(frame []byte) (Command, []byte, error) {
	if len(frame) < headerSize+3 || !bytes.HasPrefix(frame, Preamble[:]) {
		return 0, nil, &FrameError{Reason: "request shorter than its command bytes", Len: len(frame) - headerSize}
	}
	body := frame[headerSize : len(frame)-1]
	return NewCommand(body[0], body[1]), body[2:], nil
}
