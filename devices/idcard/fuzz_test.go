package idcard

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"testing/iotest"
	"time"

	"github.com/tongban/tongban/internal/textclean"
)

// FuzzScan feeds the frame decoder arbitrary bytes: it must never panic,
// must return frames that are really in the input with a good checksum, and
// must always make progress so a stream of noise is consumed.
func FuzzScan(f *testing.F) {
	f.Add(EncodeResponse(0, 0, StatusOK, nil))
	f.Add(EncodeResponse(0, 0, StatusFindOK, make([]byte, 4)))
	f.Add(append([]byte{0x00, 0xAA, 0xAA, 0x96}, EncodeResponse(0, 0, StatusNoCard, nil)...))
	f.Add([]byte{0xAA, 0xAA, 0xAA, 0x96, 0x69, 0xFF, 0xFF})
	f.Add([]byte{0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x04, 0x00, 0x00, 0x90, 0x95})
	f.Add(EncodeRequest(CmdReadBase, nil))
	f.Fuzz(func(t *testing.T, in []byte) {
		rest := in
		for len(rest) > 0 {
			frame, skip, err := Scan(rest)
			if skip < 0 || skip > len(rest) {
				t.Fatalf("skip %d outside 0..%d", skip, len(rest))
			}
			if err == nil {
				if !bytes.Equal(rest[skip:skip+len(frame)], frame) || checksum(frame[5:len(frame)-1]) != frame[len(frame)-1] {
					t.Fatalf("bad frame % X", frame)
				}
				if resp, err := ParseResponse(frame); err == nil && len(resp.Data) > MaxFrameLen {
					t.Fatalf("data longer than the limit")
				}
				ParseRequest(frame)
				skip += len(frame)
			} else if !errors.Is(err, ErrShortFrame) && !errors.Is(err, ErrFrame) {
				t.Fatalf("unexpected error %v", err)
			}
			if skip == 0 {
				break // needs more bytes
			}
			rest = rest[skip:]
		}
	})
}

// FuzzReaderReply sends arbitrary bytes as the reader's reply, one byte at
// a time, to the whole read path: no panic, and an error or a card.
func FuzzReaderReply(f *testing.F) {
	f.Add(EncodeResponse(0, 0, StatusNoCard, nil))
	f.Add(append([]byte{0x13, 0x37}, EncodeResponse(0, 0, StatusOK, make([]byte, 8))...))
	f.Fuzz(func(t *testing.T, in []byte) {
		r := NewReader(&fuzzPort{r: iotest.OneByteReader(bytes.NewReader(in))}, &Options{Timeouts: Timeouts{Find: time.Millisecond, SAM: time.Millisecond, ReadBase: time.Millisecond, Quiet: time.Millisecond}})
		for _, c := range []Command{CmdSelectCard, CmdReadBase} {
			resp, err := r.Exchange(context.Background(), c, nil)
			if err == nil && c == CmdReadBase {
				ParseBase(resp.Data)
			}
		}
	})
}

// fuzzPort replays fixed bytes and then reports EOF; writes vanish.
type fuzzPort struct {
	r interface{ Read([]byte) (int, error) }
}

func (p *fuzzPort) Read(b []byte) (int, error)      { return p.r.Read(b) }
func (p *fuzzPort) Write(b []byte) (int, error)     { return len(b), nil }
func (p *fuzzPort) SetReadDeadline(time.Time) error { return nil }

// FuzzParseText decodes arbitrary 256-byte blocks (shorter inputs are
// padded): never a panic, and a decoded card's type is one of the four.
func FuzzParseText(f *testing.F) {
	block := make([]byte, TextLen)
	for i := 0; i < TextLen; i += 2 {
		block[i] = ' '
	}
	f.Add(block)
	for _, typ := range "JIY" {
		b := bytes.Clone(block)
		b[248] = byte(typ)
		copy(b[36:], []byte("1\x009\x008\x005\x000\x007\x001\x005\x00"))
		f.Add(b)
	}
	f.Add([]byte{0x7F, 0x95, 0x1F, 0x67})
	f.Fuzz(func(t *testing.T, in []byte) {
		b := make([]byte, TextLen)
		copy(b, in)
		text, err := ParseText(b)
		if err != nil {
			if !errors.Is(err, ErrBadText) {
				t.Fatalf("error %v does not match ErrBadText", err)
			}
			return
		}
		switch text.Type {
		case TypeResident, TypePermitHKMOTW, TypeForeignPR2017, TypeForeignPR2023:
		default:
			t.Fatalf("type %v", text.Type)
		}
		for _, s := range []string{text.Name, text.NameEN, text.Address, text.Number, text.Issuer, text.Nation, text.Nationality, text.PassNumber} {
			if textclean.Has(s) {
				t.Fatalf("a decoded field holds control characters: %q", s)
			}
		}
		ParseBase(append([]byte{0x01, 0x00, 0x00, 0x00}, b...))
	})
}
