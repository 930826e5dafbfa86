package receipt

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/tongban/tongban/devices/escpos"
)

// page writes one document for a profile: it knows the columns of the
// paper and wraps, pads and centres every line to fit them.
type page struct {
	buf     bytes.Buffer
	enc     *escpos.Encoder
	profile escpos.Profile
}

func newPage(p escpos.Profile) (*page, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	pg := &page{profile: p}
	pg.enc = escpos.NewEncoder(&pg.buf)
	pg.enc.Init()
	pg.enc.Chinese(true)
	return pg, nil
}

// finish feeds past the blade, cuts (or leaves room to tear) and returns
// the job's bytes.
func (pg *page) finish() ([]byte, error) {
	pg.enc.Align(escpos.AlignLeft)
	if pg.profile.Cutter {
		pg.enc.Cut(escpos.CutPartial, 96)
	} else {
		pg.enc.Feed(5)
	}
	if err := pg.enc.Err(); err != nil {
		return nil, fmt.Errorf("receipt: %w", err)
	}
	return pg.buf.Bytes(), nil
}

// centered prints s centred, wrapped to the paper.
func (pg *page) centered(s string) {
	pg.enc.Align(escpos.AlignCenter)
	for _, l := range escpos.Wrap(s, pg.profile.Columns) {
		pg.enc.Line(l)
	}
	pg.enc.Align(escpos.AlignLeft)
}

// title prints s large and bold, centred: double height, and double width
// when it fits on one line.
func (pg *page) title(s string) {
	w := 1
	if escpos.Columns(s)*2 <= pg.profile.Columns {
		w = 2
	}
	pg.enc.Align(escpos.AlignCenter)
	pg.enc.Size(w, 2)
	pg.enc.Bold(true)
	for _, l := range escpos.Wrap(s, pg.profile.Columns/w) {
		pg.enc.Line(l)
	}
	pg.enc.Bold(false)
	pg.enc.Size(1, 1)
	pg.enc.Align(escpos.AlignLeft)
}

// big prints s at magnification n (or less, so it fits on one line), bold and centred.
func (pg *page) big(s string, n int) {
	for n > 1 && escpos.Columns(s)*n > pg.profile.Columns {
		n--
	}
	pg.enc.Align(escpos.AlignCenter)
	pg.enc.Size(n, n)
	pg.enc.Bold(true)
	for _, l := range escpos.Wrap(s, pg.profile.Columns/n) {
		pg.enc.Line(l)
	}
	pg.enc.Bold(false)
	pg.enc.Size(1, 1)
	pg.enc.Align(escpos.AlignLeft)
}

// rule prints a line of dashes across the paper.
func (pg *page) rule() { pg.enc.Line(strings.Repeat("-", pg.profile.Columns)) }

// text prints s wrapped to the paper, left aligned.
func (pg *page) text(s string) {
	for _, l := range escpos.Wrap(s, pg.profile.Columns) {
		pg.enc.Line(l)
	}
}

// field prints "label value". The value wraps under itself (a hanging
// indent) when that keeps words whole; otherwise it goes on the lines after
// the label, indented by two columns.
func (pg *page) field(label, value string) {
	cols := pg.profile.Columns
	lw := escpos.Columns(label)
	if lw+escpos.Columns(value) <= cols {
		pg.enc.Line(label + value)
		return
	}
	avail := cols - lw
	if avail >= cols/3 && escpos.LongestWord(value) <= avail {
		for i, l := range escpos.Wrap(value, avail) {
			if i == 0 {
				pg.enc.Line(label + l)
			} else {
				pg.enc.Line(strings.Repeat(" ", lw) + l)
			}
		}
		return
	}
	pg.enc.Line(strings.TrimRight(label, " "))
	for _, l := range escpos.Wrap(value, cols-2) {
		pg.enc.Line("  " + l)
	}
}

// qr prints data as a centred QR code about half the paper wide, with the
// printer's command when the profile has it and as raster otherwise.
func (pg *page) qr(data string) error {
	bm, err := escpos.QRBitmap(data, escpos.QRLevelM)
	if err != nil {
		return fmt.Errorf("receipt: QR code: %w", err)
	}
	module := max(1, min(8, pg.profile.Dots*45/100/bm.Width))
	if bm.Width*module > pg.profile.Dots {
		return fmt.Errorf("receipt: QR code for %d bytes is too large for %d-dot paper", len(data), pg.profile.Dots)
	}
	q := escpos.QR{Data: data, Module: module, Level: escpos.QRLevelM}
	pg.enc.Align(escpos.AlignCenter)
	pg.enc.FeedDots(8)
	if pg.profile.NativeQR {
		pg.enc.QRCode(q)
	} else {
		pg.enc.RasterQRCode(q)
	}
	pg.enc.FeedDots(8)
	pg.enc.Align(escpos.AlignLeft)
	return nil
}
