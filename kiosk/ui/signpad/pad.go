package signpad

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/ui/theme"
)

const (
	// InkWidth is the width of a stroke in dp.
	InkWidth = 5
	// MinInk is the stroke length (dp) below which the pad counts as empty:
	// a brush of the sleeve or a tap is not a signature.
	MinInk = 40
	// minStep drops points closer than this (dp) to the previous one.
	minStep = 1.5
	// baselineAt is the height of the baseline as a fraction of the pad's.
	baselineAt = 0.72
)

// Pad is the signature pad widget. Its minimum size is MinSize (set it for
// the panel; by default 10 × 3 touch targets).
type Pad struct {
	widget.BaseWidget

	// Hint is shown on the pad while it is empty ("请用手指在这里写您的名字").
	Hint string
	// OnChanged, when set, is called after every stroke and on Clear with
	// whether the pad now holds a signature, to enable 确认签名.
	OnChanged func(signed bool)
	// Touched, when set, is called on every touch to keep the session alive.
	Touched func()
	// Min, when non-zero, is the pad's minimum size.
	Min fyne.Size

	strokes []stroke
	drawing bool   // a drag is in progress
	cleared uint64 // counts Clear calls, so the renderer drops its cached ink
}

var (
	_ fyne.Draggable = (*Pad)(nil)
	_ fyne.Tappable  = (*Pad)(nil)
)

// New returns an empty pad showing hint.
func New(hint string) *Pad {
	p := &Pad{Hint: hint}
	p.ExtendBaseWidget(p)
	return p
}

// Dragged implements fyne.Draggable: a finger moving on the pad adds ink.
func (p *Pad) Dragged(e *fyne.DragEvent) {
	if p.Touched != nil {
		p.Touched()
	}
	at := p.clamp(point{e.Position.X, e.Position.Y})
	if !p.drawing {
		from := p.clamp(point{e.Position.X - e.Dragged.DX, e.Position.Y - e.Dragged.DY})
		p.strokes = append(p.strokes, stroke{from})
		p.drawing = true
	}
	s := &p.strokes[len(p.strokes)-1]
	last := (*s)[len(*s)-1]
	if math.Hypot(float64(at.X-last.X), float64(at.Y-last.Y)) >= minStep {
		*s = append(*s, at)
	}
	p.Refresh()
}

// DragEnd implements fyne.Draggable: the finger left the glass.
func (p *Pad) DragEnd() {
	p.drawing = false
	p.changed()
}

// Tapped keeps the session alive; a tap alone draws nothing.
func (p *Pad) Tapped(*fyne.PointEvent) {
	if p.Touched != nil {
		p.Touched()
	}
}

func (p *Pad) clamp(q point) point {
	s := p.Size()
	q.X = max(0, min(q.X, s.Width))
	q.Y = max(0, min(q.Y, s.Height))
	return q
}

// Clear wipes the signature (重写), also from memory.
func (p *Pad) Clear() {
	for i := range p.strokes {
		clear(p.strokes[i])
	}
	clear(p.strokes)
	p.strokes = p.strokes[:0]
	p.drawing = false
	p.cleared++
	p.Refresh()
	p.changed()
}

func (p *Pad) changed() {
	if p.OnChanged != nil {
		p.OnChanged(p.Signed())
	}
}

// Signed reports whether the pad holds enough ink to be a signature.
func (p *Pad) Signed() bool { return inkLength(p.strokes) >= MinInk }

// Image renders the strokes, black on white, at the pad's size times k
// pixels per dp (the baseline and hint are guides and are left out).
func (p *Pad) Image(k float32) *image.RGBA {
	if k <= 0 {
		k = 1
	}
	s := p.Size()
	if s.IsZero() {
		s = p.MinSize()
	}
	img := image.NewRGBA(image.Rect(0, 0, int(math.Ceil(float64(s.Width*k))), int(math.Ceil(float64(s.Height*k)))))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	drawInk(img, p.strokes, k, InkWidth, color.Black)
	return img
}

// PNG returns the signature as a greyscale PNG at one pixel per dp. An
// empty pad gives a *kiosk.Error (KindInvalid) to show the resident.
func (p *Pad) PNG() ([]byte, error) {
	if !p.Signed() {
		return nil, &kiosk.Error{Op: "signpad.PNG", Kind: kiosk.KindInvalid, Message: kiosk.Msg("sign.empty")}
	}
	rgba := p.Image(1)
	gray := image.NewGray(rgba.Bounds())
	draw.Draw(gray, gray.Bounds(), rgba, image.Point{}, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, gray); err != nil {
		return nil, &kiosk.Error{Op: "signpad.PNG", Kind: kiosk.KindInternal, Err: err}
	}
	return buf.Bytes(), nil
}

// MinSize is Min, or ten touch targets wide and three high.
func (p *Pad) MinSize() fyne.Size {
	if !p.Min.IsZero() {
		return p.Min
	}
	t := theme.SizeFor(theme.SizeNameTarget, p)
	return fyne.NewSize(10*t, 3*t)
}

// CreateRenderer implements fyne.Widget.
func (p *Pad) CreateRenderer() fyne.WidgetRenderer {
	r := &padRenderer{p: p,
		bg:       canvas.NewRectangle(color.White),
		baseline: canvas.NewLine(color.Black),
		hint:     canvas.NewText("", color.Black),
	}
	r.ink = canvas.NewRaster(r.drawInk)
	r.ink.ScaleMode = canvas.ImageScalePixels
	r.Refresh()
	return r
}

type padRenderer struct {
	p        *Pad
	bg       *canvas.Rectangle
	baseline *canvas.Line
	hint     *canvas.Text
	ink      *canvas.Raster

	// The ink drawn so far: its image, the Clear count and colour it was
	// drawn for, and how many strokes and points of the last one it holds.
	cache      *image.RGBA
	cacheFor   uint64
	cacheInk   color.Color
	doneStroke int
	donePoints int
}

// drawInk is the raster generator: the strokes at the raster's pixel size.
// It draws only what the finger added since the last frame, unless the size,
// the colour or the strokes (重写) changed.
func (r *padRenderer) drawInk(w, h int) image.Image {
	p := r.p
	s := p.Size()
	ink := theme.ColorFor(theme.ColorNameInk, p)
	if r.cache == nil || r.cache.Bounds().Dx() != w || r.cache.Bounds().Dy() != h ||
		r.cacheFor != p.cleared || r.cacheInk != ink {
		r.cache = image.NewRGBA(image.Rect(0, 0, w, h))
		r.cacheFor, r.cacheInk, r.doneStroke, r.donePoints = p.cleared, ink, 0, 0
	}
	if s.Width <= 0 || len(p.strokes) == 0 {
		return r.cache
	}
	var tail []stroke
	for i := r.doneStroke; i < len(p.strokes); i++ {
		st := p.strokes[i]
		if i == r.doneStroke && r.donePoints > 0 {
			st = st[r.donePoints-1:] // from the last point drawn, to join up
		}
		tail = append(tail, st)
	}
	drawInk(r.cache, tail, float32(w)/s.Width, InkWidth, ink)
	r.doneStroke = len(p.strokes) - 1
	r.donePoints = len(p.strokes[r.doneStroke])
	return r.cache
}

func (r *padRenderer) Destroy() {}

func (r *padRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.baseline, r.hint, r.ink}
}

func (r *padRenderer) MinSize() fyne.Size { return r.p.MinSize() }

func (r *padRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	r.ink.Resize(size)
	y := size.Height * baselineAt
	margin := size.Width * 0.05
	r.baseline.Position1 = fyne.NewPos(margin, y)
	r.baseline.Position2 = fyne.NewPos(size.Width-margin, y)
	hs := r.hint.MinSize()
	r.hint.Move(fyne.NewPos(margin, y-hs.Height-size.Height*0.05))
	r.hint.Resize(hs)
}

func (r *padRenderer) Refresh() {
	p := r.p
	r.bg.FillColor = theme.ColorFor(theme.ColorNameSignPad, p)
	r.bg.StrokeColor = theme.ColorFor(theme.ColorNameButtonBorder, p)
	r.bg.StrokeWidth = 3
	r.baseline.StrokeColor = theme.ColorFor(theme.ColorNameBaseline, p)
	r.baseline.StrokeWidth = 3
	r.hint.Text = ""
	if len(p.strokes) == 0 {
		r.hint.Text = p.Hint
	}
	r.hint.Color = theme.ColorFor(theme.ColorNameSignHint, p)
	r.hint.TextSize = theme.SizeFor("text", p)
	r.Layout(p.Size())
	r.bg.Refresh()
	r.baseline.Refresh()
	r.hint.Refresh()
	r.ink.Refresh()
}
