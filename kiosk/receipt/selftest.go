package receipt

import (
	"fmt"
	"strings"

	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/kiosk"
)

// SelfTest lays out the technician's self-test page for printer p: the
// terminal, software versions, device states and a test pattern (column
// ruler, a full line of Chinese, sizes, alignment, a QR code, a CODE128
// barcode and raster bars). It holds no resident's data.
// words gives the printed words in s.Lang.
func SelfTest(s kiosk.SelfTest, p escpos.Profile, words Words) ([]byte, error) {
	pg, err := newPage(p)
	if err != nil {
		return nil, err
	}
	w := wordsIn(s.Lang, words)
	pg.title(w.titleSelfTest)
	pg.rule()
	pg.field(w.terminal, s.Terminal)
	if s.CenterName != "" {
		pg.field(w.center, s.CenterName)
	}
	pg.field(w.printedAt, s.PrintedAt.In(kiosk.Shanghai).Format(timeLayout))
	pg.field(w.paperWidth, fmt.Sprintf("%s, %d dots, %d cols", p.Name, p.Dots, p.Columns))
	pg.rule()
	pg.enc.Bold(true)
	pg.enc.Line(w.versions)
	pg.enc.Bold(false)
	for _, c := range s.Versions {
		pg.twoColumns(c.Name, c.Version)
	}
	pg.rule()
	pg.enc.Bold(true)
	pg.enc.Line(w.devices)
	pg.enc.Bold(false)
	for _, d := range s.Devices {
		name, state := w.deviceLine(d)
		pg.twoColumns(name, state)
	}
	pg.rule()
	pg.enc.Bold(true)
	pg.enc.Line(w.testPattern)
	pg.enc.Bold(false)
	pg.testPattern(w)
	return pg.finish()
}

// twoColumns prints left and right on one line, the right part flush
// right; when both do not fit, right goes on its own line.
func (pg *page) twoColumns(left, right string) {
	cols := pg.profile.Columns
	if escpos.Columns(left)+1+escpos.Columns(right) <= cols {
		pg.enc.Line(left + escpos.Pad(right, cols-escpos.Columns(left), escpos.AlignRight))
		return
	}
	pg.text(left)
	pg.enc.Align(escpos.AlignRight)
	pg.text(right)
	pg.enc.Align(escpos.AlignLeft)
}

func (pg *page) testPattern(w words) {
	cols := pg.profile.Columns
	var ruler strings.Builder
	for i := 1; i <= cols; i++ {
		ruler.WriteByte(byte('0' + i%10))
	}
	pg.enc.Line(ruler.String())
	cjk := []rune(cjkTestLine)
	pg.enc.Line(string(cjk[:cols/2]))
	pg.enc.Bold(true)
	pg.enc.Line(w.bold)
	pg.enc.Bold(false)
	pg.enc.Underline(escpos.UnderlineThin)
	pg.enc.Line(w.underline)
	pg.enc.Underline(escpos.UnderlineOff)
	pg.enc.Size(2, 2)
	pg.enc.Line(w.large + " 2x")
	pg.enc.Size(1, 1)
	for _, a := range []escpos.Align{escpos.AlignLeft, escpos.AlignCenter, escpos.AlignRight} {
		pg.enc.Align(a)
		pg.enc.Line([]string{"<左 left", "中 center", "right 右>"}[a])
	}
	pg.enc.Align(escpos.AlignLeft)
	_ = pg.qr("TONGBAN SELF-TEST " + pg.profile.Name)
	pg.enc.Align(escpos.AlignCenter)
	pg.enc.Code128(escpos.Barcode{Data: "TB-" + pg.profile.Name, Height: 48, Module: 2, HRI: true})
	pg.enc.FeedDots(8)
	pg.enc.Raster(stripes(pg.profile.Dots, 24))
	pg.enc.FeedDots(8)
	pg.enc.Align(escpos.AlignLeft)
	pg.centered(w.selfTestFoot)
}

// stripes is a raster test pattern: vertical bars of widths 1 to 8 dots
// across the full paper width, which shows a dead heating element as a gap.
func stripes(width, height int) escpos.Bitmap {
	bm := escpos.NewBitmap(width, height)
	x, bar := 0, 1
	for x < width {
		for i := 0; i < bar && x+i < width; i++ {
			for y := 0; y < height; y++ {
				bm.Bits[y][x+i] = true
			}
		}
		x += 2 * bar
		bar = bar%8 + 1
	}
	return bm
}
