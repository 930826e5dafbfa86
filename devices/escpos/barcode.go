package escpos

import (
	"fmt"

	"github.com/boombuler/barcode/code128"
)

// Barcode describes a CODE128 barcode to print.
type Barcode struct {
	Data   string // printable ASCII
	Height int    // dots, 1..255
	Module int    // dots per module, 2..6
	HRI    bool   // print the text below the bars
}

func (b Barcode) check() error {
	if b.Data == "" || len(b.Data) > 253 {
		return fmt.Errorf("escpos: CODE128 data must be 1..253 characters, got %d", len(b.Data))
	}
	for _, c := range []byte(b.Data) {
		if c < 0x20 || c > 0x7E {
			return fmt.Errorf("escpos: CODE128 data holds %#x; only printable ASCII is supported", c)
		}
	}
	if b.Height < 1 || b.Height > 255 {
		return fmt.Errorf("escpos: barcode height %d is outside 1..255", b.Height)
	}
	if b.Module < 2 || b.Module > 6 {
		return fmt.Errorf("escpos: barcode module %d is outside 2..6", b.Module)
	}
	return nil
}

// Code128 prints b with the printer's barcode command (GS k 73), code set B.
func (e *Encoder) Code128(b Barcode) {
	if err := b.check(); err != nil {
		e.fail(err)
		return
	}
	hri := byte(0)
	if b.HRI {
		hri = 2
	}
	e.write(GS, 'h', byte(b.Height))
	e.write(GS, 'w', byte(b.Module))
	e.write(GS, 'H', hri)
	data := "{B" + b.Data
	e.write(GS, 'k', 73, byte(len(data)))
	e.write([]byte(data)...)
}

// Code128Bars returns the modules of data as CODE128, true for a bar.
func Code128Bars(data string) ([]bool, error) {
	code, err := code128.Encode(data)
	if err != nil {
		return nil, fmt.Errorf("escpos: making CODE128: %w", err)
	}
	w := code.Bounds().Dx()
	bars := make([]bool, w)
	for x := range bars {
		r, _, _, _ := code.At(code.Bounds().Min.X+x, code.Bounds().Min.Y).RGBA()
		bars[x] = r < 0x8000
	}
	return bars, nil
}
