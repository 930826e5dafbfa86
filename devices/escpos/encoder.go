package escpos

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Encoder writes ESC/POS commands to w. The first write error sticks: every
// later call does nothing and Err returns it.
type Encoder struct {
	w       io.Writer
	gb      *encoding.Encoder
	chinese bool
	n       int64
	err     error
}

// NewEncoder returns an encoder writing to w, in single-byte mode until
// Chinese(true) is called.
func NewEncoder(w io.Writer) *Encoder {
	return &Encoder{w: w, gb: simplifiedchinese.GB18030.NewEncoder()}
}

// Err returns the first error met while writing, if any.
func (e *Encoder) Err() error { return e.err }

// Written returns the number of bytes written so far.
func (e *Encoder) Written() int64 { return e.n }

func (e *Encoder) write(p ...byte) {
	if e.err != nil {
		return
	}
	n, err := e.w.Write(p)
	e.n += int64(n)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	e.err = err
}

func (e *Encoder) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

// Init resets the printer to its power-on settings (ESC @). Chinese mode is
// left as the printer's default, so call Chinese afterwards.
func (e *Encoder) Init() {
	e.write(ESC, '@')
	e.chinese = false
}

// Chinese turns double-byte (GB18030) character mode on (FS &) or off (FS .).
// With it off, Text prints '?' for anything outside ASCII.
func (e *Encoder) Chinese(on bool) {
	if on {
		e.write(FS, '&')
	} else {
		e.write(FS, '.')
	}
	e.chinese = on
}

// Text prints s without ending the line. Newlines end lines; other control
// characters become spaces, so no text can smuggle in a command.
func (e *Encoder) Text(s string) {
	if e.err != nil || s == "" {
		return
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteByte(LF)
		case r < 0x20 || r == 0x7F || (r >= 0x80 && r < 0xA0) || r == utf8.RuneError:
			b.WriteByte(' ')
		case r < 0x80:
			b.WriteRune(r)
		case !e.chinese:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	out := b.String()
	if e.chinese {
		enc, err := e.gb.String(out)
		if err != nil {
			e.fail(fmt.Errorf("escpos: encoding text as GB18030: %w", err))
			return
		}
		out = enc
	}
	e.write([]byte(out)...)
}

// Line prints s and ends the line.
func (e *Encoder) Line(s string) {
	e.Text(s)
	e.write(LF)
}

// Size sets the character magnification (GS ! n), 1..8 each way.
func (e *Encoder) Size(width, height int) {
	if width < 1 || width > 8 || height < 1 || height > 8 {
		e.fail(fmt.Errorf("escpos: character size %d×%d is outside 1..8", width, height))
		return
	}
	e.write(GS, '!', byte((width-1)<<4|(height-1)))
}

// Bold turns emphasised printing on or off (ESC E n).
func (e *Encoder) Bold(on bool) { e.write(ESC, 'E', boolByte(on)) }

// Underline sets underline thickness 0, 1 or 2 dots (ESC - n).
func (e *Encoder) Underline(dots int) {
	if dots < 0 || dots > 2 {
		e.fail(fmt.Errorf("escpos: underline %d is not 0, 1 or 2", dots))
		return
	}
	e.write(ESC, '-', byte(dots))
}

// Align sets the justification of the following lines (ESC a n).
func (e *Encoder) Align(a Align) { e.write(ESC, 'a', byte(a)) }

// Feed prints what is buffered and feeds n lines (ESC d n).
func (e *Encoder) Feed(lines int) {
	if lines < 0 || lines > 255 {
		e.fail(fmt.Errorf("escpos: feed of %d lines is outside 0..255", lines))
		return
	}
	e.write(ESC, 'd', byte(lines))
}

// FeedDots prints what is buffered and feeds n dots (ESC J n).
func (e *Encoder) FeedDots(dots int) {
	if dots < 0 || dots > 255 {
		e.fail(fmt.Errorf("escpos: feed of %d dots is outside 0..255", dots))
		return
	}
	e.write(ESC, 'J', byte(dots))
}

// Cut feeds feedDots dots (so the last line clears the blade) and cuts.
func (e *Encoder) Cut(kind Cut, feedDots int) {
	if kind != CutFull && kind != CutPartial {
		e.fail(errors.New("escpos: unknown cut"))
		return
	}
	if feedDots < 0 || feedDots > 255 {
		e.fail(fmt.Errorf("escpos: cut feed %d is outside 0..255", feedDots))
		return
	}
	e.write(GS, 'V', byte(kind), byte(feedDots))
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}
