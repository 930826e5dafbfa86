package ui

import (
	"bytes"
	"image"
	"image/color"
	"image/png"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// signPad records finger strokes and exports them as a PNG.
type signPad struct {
	widget.BaseWidget
	strokes [][]fyne.Position
	drawing bool
	lines   *fyne.Container
	size    fyne.Size
}

func (u *Screens) newSignPad() *signPad {
	p := &signPad{lines: container.NewWithoutLayout()}
	p.ExtendBaseWidget(p)
	return p
}

func (p *signPad) object() fyne.CanvasObject { return p }

func (p *signPad) Dragged(e *fyne.DragEvent) {
	if !p.drawing {
		p.strokes = append(p.strokes, nil)
		p.drawing = true
	}
	i := len(p.strokes) - 1
	if n := len(p.strokes[i]); n > 0 {
		l := canvas.NewLine(color.Black)
		l.StrokeWidth = 5
		l.Position1, l.Position2 = p.strokes[i][n-1], e.Position
		p.lines.Add(l)
	}
	p.strokes[i] = append(p.strokes[i], e.Position)
}

func (p *signPad) DragEnd() { p.drawing = false }

func (p *signPad) clear() {
	p.strokes = nil
	p.lines.Objects = nil
	p.lines.Refresh()
}

// png renders the strokes; it is empty when nothing was drawn.
func (p *signPad) png() []byte {
	if len(p.strokes) == 0 {
		return nil
	}
	w, h := int(p.Size().Width), int(p.Size().Height)
	img := image.NewGray(image.Rect(0, 0, max(w, 1), max(h, 1)))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	for _, s := range p.strokes {
		for j := 1; j < len(s); j++ {
			a, b := s[j-1], s[j]
			steps := int(max(abs(b.X-a.X), abs(b.Y-a.Y))) + 1
			for k := 0; k <= steps; k++ {
				x := int(a.X + (b.X-a.X)*float32(k)/float32(steps))
				y := int(a.Y + (b.Y-a.Y)*float32(k)/float32(steps))
				for dx := -2; dx <= 2; dx++ {
					for dy := -2; dy <= 2; dy++ {
						img.SetGray(x+dx, y+dy, color.Gray{})
					}
				}
			}
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

func abs(f float32) float32 {
	if f < 0 {
		return -f
	}
	return f
}

func (p *signPad) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(color.White)
	bg.StrokeColor, bg.StrokeWidth = colBorder, 3
	base := canvas.NewLine(colBorder)
	base.StrokeWidth = 2
	return &signPadRenderer{p: p, bg: bg, base: base}
}

type signPadRenderer struct {
	p    *signPad
	bg   *canvas.Rectangle
	base *canvas.Line
}

func (r *signPadRenderer) Layout(s fyne.Size) {
	r.bg.Resize(s)
	r.base.Position1 = fyne.NewPos(s.Width*0.05, s.Height*0.8)
	r.base.Position2 = fyne.NewPos(s.Width*0.95, s.Height*0.8)
	r.p.lines.Resize(s)
}
func (r *signPadRenderer) MinSize() fyne.Size { return fyne.NewSize(800, 360) }
func (r *signPadRenderer) Refresh()           { r.bg.Refresh(); r.p.lines.Refresh() }
func (r *signPadRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.base, r.p.lines}
}
func (r *signPadRenderer) Destroy() {}
