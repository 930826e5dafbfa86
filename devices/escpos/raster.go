package escpos

import "fmt"

// Bitmap is a black-and-white image: Bits[y][x] is true for a black dot.
type Bitmap struct {
	Width, Height int
	Bits          [][]bool
}

// NewBitmap returns a white bitmap of the given size.
func NewBitmap(width, height int) Bitmap {
	bits := make([][]bool, height)
	for y := range bits {
		bits[y] = make([]bool, width)
	}
	return Bitmap{Width: width, Height: height, Bits: bits}
}

// Scale returns the bitmap with each dot made n×n dots.
func (b Bitmap) Scale(n int) Bitmap {
	out := NewBitmap(b.Width*n, b.Height*n)
	for y := 0; y < out.Height; y++ {
		for x := 0; x < out.Width; x++ {
			out.Bits[y][x] = b.Bits[y/n][x/n]
		}
	}
	return out
}

// Raster prints bm as raster bit images (GS v 0), in bands of at most 128
// rows so no printer's buffer overflows. Wider than 65535 bytes per row or
// empty bitmaps are refused.
func (e *Encoder) Raster(bm Bitmap) {
	if bm.Width <= 0 || bm.Height <= 0 {
		e.fail(fmt.Errorf("escpos: raster image of %d×%d dots is empty", bm.Width, bm.Height))
		return
	}
	rowBytes := (bm.Width + 7) / 8
	if rowBytes > 0xFFFF {
		e.fail(fmt.Errorf("escpos: raster image %d dots wide is too wide", bm.Width))
		return
	}
	for top := 0; top < bm.Height; top += maxRasterBandRow {
		rows := min(maxRasterBandRow, bm.Height-top)
		buf := make([]byte, 0, 8+rowBytes*rows)
		buf = append(buf, GS, 'v', '0', 0, byte(rowBytes), byte(rowBytes>>8), byte(rows), byte(rows>>8))
		for y := top; y < top+rows; y++ {
			line := make([]byte, rowBytes)
			for x, black := range bm.Bits[y][:bm.Width] {
				if black {
					line[x/8] |= 0x80 >> (x % 8)
				}
			}
			buf = append(buf, line...)
		}
		e.write(buf...)
	}
}
