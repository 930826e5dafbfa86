package sim

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/tongban/tongban/devices/escpos"
)

// cell is one character waiting in the line buffer.
type cell struct {
	r    rune
	wide bool
	mode printMode
}

func (c cell) width() int {
	w := escpos.FontAWidth
	if c.wide {
		w = escpos.WideCharWidth
	}
	return w * c.mode.width
}

func (c cell) height() int { return escpos.FontAHeight * c.mode.height }

// roll is the printed paper: a white strip as wide as the print head that
// grows as lines are printed.
type roll struct {
	dots   int
	keep   int // most rows kept; older rows scroll away
	img    *image.Gray
	y      int // top of the next line
	glyphs *glyphSet
}

func newRoll(dots, keep int, g *glyphSet) *roll {
	r := &roll{dots: dots, keep: keep, glyphs: g}
	r.img = image.NewGray(image.Rect(0, 0, dots, min(1024, keep)))
	fill(r.img, r.img.Bounds(), 0xFF)
	return r
}

// room makes sure h rows fit below y, scrolling the oldest rows away when
// the roll is longer than it keeps.
func (r *roll) room(h int) {
	if r.y+h <= r.keep {
		return
	}
	shift := min(r.y, r.y+h-r.keep)
	if shift > 0 {
		b := r.img.Bounds().Dy()
		copy(r.img.Pix, r.img.Pix[shift*r.img.Stride:])
		fill(r.img, image.Rect(0, b-shift, r.dots, b), 0xFF)
		r.y -= shift
	}
}

func (r *roll) grow(to int) {
	to = min(to, r.keep)
	if to <= r.img.Bounds().Dy() {
		return
	}
	h := min(r.keep, max(to, 2*r.img.Bounds().Dy()))
	img := image.NewGray(image.Rect(0, 0, r.dots, h))
	fill(img, img.Bounds(), 0xFF)
	copy(img.Pix, r.img.Pix)
	r.img = img
}

func (r *roll) set(x, y int) {
	if x >= 0 && x < r.dots && y >= 0 && y < r.keep {
		r.grow(y + 1)
		r.img.Pix[y*r.img.Stride+x] = 0
	}
}

func fill(img *image.Gray, rect image.Rectangle, v uint8) {
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		for x := rect.Min.X; x < rect.Max.X; x++ {
			img.Pix[y*img.Stride+x] = v
		}
	}
}

// putRune adds r to the line buffer, wrapping at the paper's edge as a
// printer does (counted as an overflow: the layout should have wrapped).
func (p *Printer) putRune(r rune) {
	c := cell{r: r, wide: escpos.RuneColumns(r) == 2, mode: p.mode}
	used := 0
	for _, x := range p.line {
		used += x.width()
	}
	if used+c.width() > p.profile.Dots {
		p.stats.Overflows++
		p.flushLine(true)
	}
	p.line = append(p.line, c)
	p.lineText = append(p.lineText, r)
}

// flushLine prints the line buffer. lf is true for a line feed, which
// feeds even an empty line.
func (p *Printer) flushLine(lf bool) {
	if len(p.line) == 0 && !lf {
		return
	}
	cells, text := p.line, string(p.lineText)
	p.line, p.lineText = nil, nil
	height, width := 0, 0
	for _, c := range cells {
		height = max(height, c.height())
		width += c.width()
	}
	feed := max(p.spacing, height)
	if !p.printing() || p.paper < feed {
		p.stats.Lost++
		if p.printing() {
			p.paper = 0 // the roll ran out under this line
		}
		return
	}
	p.roll.room(feed)
	x := p.alignedX(width)
	for _, c := range cells {
		p.drawCell(c, x, p.roll.y+height-c.height())
		x += c.width()
	}
	p.lines = append(p.lines, text)
	p.advance(feed)
}

func (p *Printer) alignedX(width int) int {
	switch p.align {
	case escpos.AlignCenter:
		return max(0, (p.profile.Dots-width)/2)
	case escpos.AlignRight:
		return max(0, p.profile.Dots-width)
	}
	return 0
}

// advance feeds the paper by dots.
func (p *Printer) advance(dots int) {
	if dots <= 0 || !p.printing() {
		return
	}
	dots = min(dots, p.paper)
	p.paper -= dots
	p.roll.room(dots)
	p.roll.y = min(p.roll.y+dots, p.roll.keep)
	p.roll.grow(p.roll.y)
}

// putImage prints a bitmap at the current alignment.
func (p *Printer) putImage(bm escpos.Bitmap) {
	if !p.printing() || p.paper < bm.Height {
		p.stats.Lost++
		if p.printing() {
			p.paper = 0
		}
		return
	}
	if bm.Width > p.profile.Dots {
		p.stats.Overflows++
	}
	p.roll.room(bm.Height)
	if bm.Height > p.roll.keep {
		p.stats.Overflows++
	}
	x0 := p.alignedX(bm.Width)
	for y := 0; y < bm.Height; y++ {
		for x := 0; x < bm.Width; x++ {
			if bm.Bits[y][x] {
				p.roll.set(x0+x, p.roll.y+y)
			}
		}
	}
	p.advance(bm.Height)
}

// cut draws a dashed line where the knife cut.
func (p *Printer) cut() {
	if !p.printing() {
		p.stats.Lost++
		return
	}
	p.roll.room(2)
	for x := 0; x < p.profile.Dots; x++ {
		if x%12 < 6 {
			p.roll.set(x, p.roll.y)
		}
	}
	p.roll.y = min(p.roll.y+2, p.roll.keep)
	p.roll.grow(p.roll.y)
	p.stats.Cuts++
}

// drawCell draws one character with its top-left corner at (x, y).
func (p *Printer) drawCell(c cell, x, y int) {
	mask, missing := p.roll.glyphs.glyph(c.r, c.wide, c.mode.bold)
	if missing {
		p.stats.MissingGlyphs++
	}
	b := mask.Bounds()
	for gy := 0; gy < b.Dy(); gy++ {
		for gx := 0; gx < b.Dx(); gx++ {
			if mask.AlphaAt(gx, gy).A < 0x80 {
				continue
			}
			for j := 0; j < c.mode.height; j++ {
				for i := 0; i < c.mode.width; i++ {
					p.roll.set(x+gx*c.mode.width+i, y+gy*c.mode.height+j)
					if c.mode.bold && !p.roll.glyphs.hasBold() {
						p.roll.set(x+gx*c.mode.width+i+1, y+gy*c.mode.height+j)
					}
				}
			}
		}
	}
	for t := 0; t < c.mode.underline; t++ {
		for i := 0; i < c.width(); i++ {
			p.roll.set(x+i, y+c.height()-1-t)
		}
	}
}

// Image returns what was printed so far: the roll from its start to the
// current line, as wide as the print head, black on white.
func (p *Printer) Image() *image.Gray {
	p.mu.Lock()
	defer p.mu.Unlock()
	h := max(p.roll.y, 1)
	img := image.NewGray(image.Rect(0, 0, p.profile.Dots, h))
	copy(img.Pix, p.roll.img.Pix[:len(img.Pix)])
	return img
}

// WritePNG writes Image as a PNG.
func (p *Printer) WritePNG(w io.Writer) error {
	if err := png.Encode(w, p.Image()); err != nil {
		return fmt.Errorf("sim printer: writing PNG: %w", err)
	}
	return nil
}

// ClearImage forgets what was printed (the roll's paper is still used up).
func (p *Printer) ClearImage() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.roll = newRoll(p.profile.Dots, p.roll.keep, p.roll.glyphs)
	p.lines = nil
}

// glyphSet rasterises characters into printer cells: 24×24 dots for a
// Chinese character, 12×24 for a single-byte one (squeezed to fit, as the
// printer's font A is condensed).
type glyphSet struct {
	regular, bold *sfnt.Font
	faces         map[bool]font.Face
	cache         map[glyphKey]glyphMask
	buf           sfnt.Buffer
}

type glyphKey struct {
	r          rune
	wide, bold bool
}

type glyphMask struct {
	mask    *image.Alpha
	missing bool
}

const (
	glyphSize     = 22 // pixels per em: CJK ideographs fill a 24-dot cell with a dot to spare
	glyphBaseline = 20 // ideographic em box: 0.88 em above the baseline, plus 1 dot
)

func newGlyphSet(regular, bold []byte) (*glyphSet, error) {
	g := &glyphSet{faces: map[bool]font.Face{}, cache: map[glyphKey]glyphMask{}}
	for i, src := range [][]byte{regular, bold} {
		if src == nil {
			continue
		}
		f, err := opentype.Parse(src)
		if err != nil {
			return nil, fmt.Errorf("sim printer: reading the font: %w", err)
		}
		face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: glyphSize, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return nil, fmt.Errorf("sim printer: making a font face: %w", err)
		}
		g.faces[i == 1] = face
		if i == 0 {
			g.regular = f
		} else {
			g.bold = f
		}
	}
	return g, nil
}

func (g *glyphSet) hasBold() bool { return g.bold != nil }

func (g *glyphSet) glyph(r rune, wide, bold bool) (*image.Alpha, bool) {
	bold = bold && g.bold != nil
	key := glyphKey{r, wide, bold}
	if m, ok := g.cache[key]; ok {
		return m.mask, m.missing
	}
	m := g.render(r, wide, bold)
	g.cache[key] = m
	return m.mask, m.missing
}

func (g *glyphSet) render(r rune, wide, bold bool) glyphMask {
	w := escpos.FontAWidth
	if wide {
		w = escpos.WideCharWidth
	}
	cellRect := image.Rect(0, 0, w, escpos.FontAHeight)
	f, face := g.regular, g.faces[false]
	if bold {
		f, face = g.bold, g.faces[true]
	}
	if f == nil || r == ' ' || r == '\u3000' {
		out := image.NewAlpha(cellRect)
		if f == nil && r != ' ' && r != '\u3000' {
			box(out)
		}
		return glyphMask{mask: out}
	}
	if idx, err := f.GlyphIndex(&g.buf, r); err != nil || idx == 0 {
		out := image.NewAlpha(cellRect)
		box(out)
		return glyphMask{mask: out, missing: true}
	}
	adv, _ := face.GlyphAdvance(r)
	advPx := max(1, (adv.Ceil()))
	tmp := image.NewAlpha(image.Rect(0, 0, max(advPx, w)+2, escpos.FontAHeight))
	d := font.Drawer{Dst: tmp, Src: image.NewUniform(color.Alpha{0xFF}), Face: face,
		Dot: fixed.P(0, glyphBaseline)}
	if wide {
		d.Dot.X = fixed.I(max(0, (w-advPx)/2))
	}
	d.DrawString(string(r))
	if wide || advPx <= w {
		out := image.NewAlpha(cellRect)
		dx := 0
		if !wide {
			dx = (w - advPx) / 2
		}
		for y := 0; y < cellRect.Dy(); y++ {
			for x := 0; x < w; x++ {
				if sx := x - dx; sx >= 0 && sx < tmp.Bounds().Dx() {
					out.SetAlpha(x, y, tmp.AlphaAt(sx, y))
				}
			}
		}
		return glyphMask{mask: out}
	}
	// Squeeze a wide Latin glyph into its 12-dot cell by averaging columns.
	out := image.NewAlpha(cellRect)
	for y := 0; y < cellRect.Dy(); y++ {
		for x := 0; x < w; x++ {
			lo, hi := x*advPx/w, max((x+1)*advPx/w, x*advPx/w+1)
			sum := 0
			for sx := lo; sx < hi; sx++ {
				sum += int(tmp.AlphaAt(sx, y).A)
			}
			out.SetAlpha(x, y, color.Alpha{uint8(min(255, sum*3/(2*(hi-lo))))})
		}
	}
	return glyphMask{mask: out}
}

// box outlines a cell: what a printer prints for a character it has no
// glyph for.
func box(m *image.Alpha) {
	b := m.Bounds()
	for x := 2; x < b.Dx()-2; x++ {
		m.SetAlpha(x, 2, color.Alpha{0xFF})
		m.SetAlpha(x, b.Dy()-3, color.Alpha{0xFF})
	}
	for y := 2; y < b.Dy()-2; y++ {
		m.SetAlpha(2, y, color.Alpha{0xFF})
		m.SetAlpha(b.Dx()-3, y, color.Alpha{0xFF})
	}
}
