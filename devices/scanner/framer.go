package scanner

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Suffixes scanners commonly end a code with.
const (
	SuffixCR   = "\r"
	SuffixLF   = "\n"
	SuffixCRLF = "\r\n"
	SuffixTAB  = "\t"
	SuffixNone = "" // frame by idle gap only
)

// DefaultMaxLen is the longest code accepted when Framing.MaxLen is 0. A
// QR code holds at most 7089 digits or 2953 bytes; the kiosk's own codes
// are far shorter.
const DefaultMaxLen = 4096

// DefaultIdleGap ends a code after this much silence when framing by idle
// gap and no gap is configured: about 50 characters' time at 9600 baud.
const DefaultIdleGap = 50 * time.Millisecond

// ErrTooLong reports a code longer than the maximum length. It was dropped.
var ErrTooLong = errors.New("scanned code is too long")

// Framing says how codes are delimited on the wire.
type Framing struct {
	// Suffix ends each code: SuffixCR, SuffixLF, SuffixCRLF, SuffixTAB, or
	// SuffixNone to frame by idle gap only.
	Suffix string
	// IdleGap ends a code after this much silence. With a suffix it is a
	// safety net for a lost suffix (0 turns it off); without one it is
	// the framing and 0 means DefaultIdleGap.
	IdleGap time.Duration
	// MaxLen is the longest code in bytes; 0 means DefaultMaxLen.
	MaxLen int
}

// ParseSuffix reads a suffix name as an operator writes it in a
// configuration file or on the command line: cr, lf, crlf, tab or none.
func ParseSuffix(name string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "cr":
		return SuffixCR, nil
	case "lf":
		return SuffixLF, nil
	case "crlf":
		return SuffixCRLF, nil
	case "tab":
		return SuffixTAB, nil
	case "none", "idle", "":
		return SuffixNone, nil
	}
	return "", fmt.Errorf("unknown scanner suffix %q: use cr, lf, crlf, tab or none", name)
}

// Frame is one code's bytes as cut from the stream, cleaned of control
// characters, or a report that a code was too long.
type Frame struct {
	Data    []byte
	TooLong bool
}

// Framer cuts a byte stream into frames. It is a pure state machine: the
// caller feeds it bytes with Push and tells it about idle gaps with End.
// It is not safe for concurrent use.
type Framer struct {
	suffix   []byte
	max      int
	buf      []byte
	dropping bool // inside an over-long code, waiting for its end
}

// NewFramer returns a framer for f.
func NewFramer(f Framing) *Framer {
	max := f.MaxLen
	if max <= 0 {
		max = DefaultMaxLen
	}
	return &Framer{suffix: []byte(f.Suffix), max: max}
}

// Push feeds bytes read from the scanner and calls emit for each frame
// they complete.
func (f *Framer) Push(p []byte, emit func(Frame)) {
	for _, b := range p {
		f.buf = append(f.buf, b)
		if len(f.suffix) > 0 && bytes.HasSuffix(f.buf, f.suffix) {
			f.buf = f.buf[:len(f.buf)-len(f.suffix)]
			f.end(emit)
			continue
		}
		if f.dropping {
			// Keep just enough to see the suffix arrive.
			if keep := len(f.suffix); len(f.buf) > keep {
				f.buf = append(f.buf[:0], f.buf[len(f.buf)-keep:]...)
			}
			continue
		}
		if len(f.buf) > f.max+len(f.suffix) {
			f.dropping = true
			f.buf = f.buf[:0]
			emit(Frame{TooLong: true})
		}
	}
}

// End tells the framer the line went idle: whatever is buffered is a
// complete frame.
func (f *Framer) End(emit func(Frame)) { f.end(emit) }

// Pending reports whether bytes of an unfinished frame are buffered.
func (f *Framer) Pending() bool { return len(f.buf) > 0 || f.dropping }

func (f *Framer) end(emit func(Frame)) {
	if f.dropping {
		f.dropping = false
		f.buf = f.buf[:0]
		return
	}
	data := clean(f.buf)
	f.buf = f.buf[:0]
	if len(data) == 0 {
		return
	}
	if len(data) > f.max {
		emit(Frame{TooLong: true})
		return
	}
	emit(Frame{Data: data})
}

// clean returns a copy of b without control characters other than TAB,
// CR and LF, and with those three trimmed from both ends. Bytes below
// 0x20 never occur inside a UTF-8 or GB18030 multi-byte character, so
// this is safe before decoding.
func clean(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f {
			continue
		}
		out = append(out, c)
	}
	return bytes.Trim(out, "\r\n\t")
}
