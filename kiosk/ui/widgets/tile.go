package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"github.com/tongban/tongban/kiosk/ui/theme"
)

// Tile is a service item on the browse screens: its name in large text and
// one line of what it is for. An unavailable tile is greyed and carries a
// line saying why (never colour alone, UX.md §3).
type Tile struct {
	widget.BaseWidget

	Name    string
	Summary string
	// Reason is empty for an available tile, else why it cannot be done now
	// ("打印机缺纸，暂不能办理此事项，请到人工窗口").
	Reason   string
	OnTapped func()
	// Touched, when set, is called on every tap (the idle timer).
	Touched func()

	reason *widget.Label
}

var _ fyne.Tappable = (*Tile)(nil)

// NewTile returns an available tile.
func NewTile(name, summary string, tapped func()) *Tile {
	t := &Tile{Name: name, Summary: summary, OnTapped: tapped}
	t.ExtendBaseWidget(t)
	return t
}

// SetUnavailable greys the tile with the reason; "" makes it available.
func (t *Tile) SetUnavailable(reason string) {
	t.Reason = reason
	t.Refresh()
}

// Available reports whether the tile can be chosen.
func (t *Tile) Available() bool { return t.Reason == "" }

// Tapped implements fyne.Tappable: an unavailable tile does nothing (its
// reason is already on it).
func (t *Tile) Tapped(*fyne.PointEvent) {
	if t.Touched != nil {
		t.Touched()
	}
	if t.Available() && t.OnTapped != nil {
		t.OnTapped()
	}
}

// CreateRenderer implements fyne.Widget.
func (t *Tile) CreateRenderer() fyne.WidgetRenderer {
	t.reason = widget.NewLabel("")
	t.reason.Wrapping = fyne.TextWrapWord
	t.reason.Importance = widget.WarningImportance
	r := &tileRenderer{t: t, bg: canvas.NewRectangle(color.Transparent),
		name: canvas.NewText("", color.Black), summary: canvas.NewText("", color.Black)}
	r.name.TextStyle = fyne.TextStyle{Bold: true}
	r.Refresh()
	return r
}

type tileRenderer struct {
	t       *Tile
	bg      *canvas.Rectangle
	name    *canvas.Text
	summary *canvas.Text
}

func (r *tileRenderer) Destroy() {}

func (r *tileRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.name, r.summary, r.t.reason}
}

func (r *tileRenderer) pad() float32 { return theme.SizeFor(theme.SizeNameTargetGap, r.t) }

func (r *tileRenderer) MinSize() fyne.Size {
	p := r.pad()
	target := theme.SizeFor(theme.SizeNameTarget, r.t)
	w := 4 * target
	h := 2*p + r.name.MinSize().Height + r.summary.MinSize().Height
	if !r.t.Available() {
		h += r.t.reason.MinSize().Height
	}
	return fyne.NewSize(w, max(h, target))
}

func (r *tileRenderer) Layout(size fyne.Size) {
	p := r.pad()
	r.bg.Resize(size)
	inner := size.Width - 2*p
	r.name.Text = fitLine(r.t.Name, r.name.TextSize, r.name.TextStyle, inner)
	r.summary.Text = fitLine(r.t.Summary, r.summary.TextSize, r.summary.TextStyle, inner)
	y := p
	for _, o := range []*canvas.Text{r.name, r.summary} {
		h := o.MinSize().Height
		o.Move(fyne.NewPos(p, y))
		o.Resize(fyne.NewSize(inner, h))
		y += h
	}
	r.t.reason.Move(fyne.NewPos(p-theme.SizeFor("innerPadding", r.t), y))
	r.t.reason.Resize(fyne.NewSize(inner, size.Height-y))
}

func (r *tileRenderer) Refresh() {
	t := r.t
	c := func(n fyne.ThemeColorName) color.Color { return theme.ColorFor(n, t) }
	r.bg.CornerRadius = 12
	r.bg.StrokeWidth = 3
	r.name.TextSize = theme.SizeFor("subHeadingText", t)
	r.summary.TextSize = theme.SizeFor("text", t)
	if t.Available() {
		r.bg.FillColor, r.bg.StrokeColor = c(theme.ColorNamePanel), c(theme.ColorNameButtonBorder)
		r.name.Color, r.summary.Color = c("foreground"), c(theme.ColorNameSecondaryText)
		t.reason.Hide()
	} else {
		r.bg.FillColor, r.bg.StrokeColor = c("disabledButton"), c("disabled")
		r.name.Color, r.summary.Color = c("disabled"), c("disabled")
		t.reason.SetText(t.Reason)
		t.reason.Show()
	}
	r.Layout(t.Size())
	r.bg.Refresh()
	r.name.Refresh()
	r.summary.Refresh()
}
