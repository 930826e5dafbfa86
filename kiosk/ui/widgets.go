package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"
)

// touchButton is a large button for a finger: at least the target size of
// the mode, a label in button type (one line per "\n", centred), primary
// (blue) or secondary (light).
type touchButton struct {
	widget.BaseWidget
	label    string
	sz       sizes
	primary  bool
	disabled bool
	onTap    func()
}

func newTouchButton(label string, sz sizes, primary bool, tap func()) *touchButton {
	b := &touchButton{label: label, sz: sz, primary: primary, onTap: tap}
	b.ExtendBaseWidget(b)
	return b
}

// Tapped runs the action unless the button is disabled.
func (b *touchButton) Tapped(*fyne.PointEvent) {
	if !b.disabled && b.onTap != nil {
		b.onTap()
	}
}

func (b *touchButton) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(b.sz.pal.panel)
	bg.CornerRadius = 14
	bg.StrokeWidth = 2
	r := &touchButtonRenderer{b: b, bg: bg}
	r.Refresh()
	return r
}

type touchButtonRenderer struct {
	b     *touchButton
	bg    *canvas.Rectangle
	lines []*canvas.Text
}

// textSize is the size of all the label's lines.
func (r *touchButtonRenderer) textSize() fyne.Size {
	var s fyne.Size
	for _, t := range r.lines {
		ts := t.MinSize()
		s.Width = max(s.Width, ts.Width)
		s.Height += ts.Height
	}
	return s
}

func (r *touchButtonRenderer) Layout(s fyne.Size) {
	r.bg.Resize(s)
	y := (s.Height - r.textSize().Height) / 2
	for _, t := range r.lines {
		ts := t.MinSize()
		t.Move(fyne.NewPos((s.Width-ts.Width)/2, y))
		t.Resize(ts)
		y += ts.Height
	}
}

func (r *touchButtonRenderer) MinSize() fyne.Size {
	ts := r.textSize()
	w := ts.Width + 2*r.b.sz.button
	h := ts.Height + r.b.sz.button
	return fyne.NewSize(max(w, r.b.sz.target*1.5), max(h, r.b.sz.target))
}

func (r *touchButtonRenderer) Refresh() {
	fill, stroke, fg := r.b.sz.pal.panel, r.b.sz.pal.border, color.Color(r.b.sz.pal.text)
	switch {
	case r.b.disabled:
		fg = r.b.sz.pal.disabled
	case r.b.primary:
		fill, stroke, fg = r.b.sz.pal.primary, r.b.sz.pal.primary, r.b.sz.pal.onPrimary
	}
	r.bg.FillColor, r.bg.StrokeColor = fill, stroke
	words := strings.Split(r.b.label, "\n")
	for len(r.lines) < len(words) {
		t := canvas.NewText("", fg)
		t.TextSize = r.b.sz.button
		t.Alignment = fyne.TextAlignCenter
		r.lines = append(r.lines, t)
	}
	r.lines = r.lines[:len(words)]
	for i, t := range r.lines {
		t.Text, t.Color = words[i], fg
		t.Refresh()
	}
	r.bg.Refresh()
}

func (r *touchButtonRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.bg}
	for _, t := range r.lines {
		objs = append(objs, t)
	}
	return objs
}
func (r *touchButtonRenderer) Destroy() {}

// tile is a service item on the browse screen: its name large, one line of
// what it is for, and, when it cannot be served now, the reason.
type tile struct {
	widget.BaseWidget
	name, summary, reason string
	sz                    sizes
	nameLines             int // 1, or 2 for languages with long names
	onTap                 func()
}

func newTile(name, summary, reason string, sz sizes, nameLines int, tap func()) *tile {
	t := &tile{name: name, summary: summary, reason: reason, sz: sz, nameLines: max(nameLines, 1), onTap: tap}
	t.ExtendBaseWidget(t)
	return t
}

// Tapped opens the item (even a greyed one: its screen says why and where to go).
func (t *tile) Tapped(*fyne.PointEvent) {
	if t.onTap != nil {
		t.onTap()
	}
}

func (t *tile) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(t.sz.pal.panel)
	bg.CornerRadius = 14
	bg.StrokeWidth = 2
	bg.StrokeColor = t.sz.pal.border
	var names []*canvas.Text
	for range t.nameLines {
		name := canvas.NewText("", t.sz.pal.text)
		name.TextSize = t.sz.button
		name.TextStyle.Bold = true
		if t.reason != "" {
			name.Color = t.sz.pal.disabled
		}
		names = append(names, name)
	}
	sub := canvas.NewText(t.summary, t.sz.pal.secondary)
	sub.TextSize = t.sz.body * 0.75
	if t.reason != "" {
		sub.Text, sub.Color = t.reason, t.sz.pal.errorText
	}
	return &tileRenderer{t: t, bg: bg, names: names, sub: sub}
}

type tileRenderer struct {
	t     *tile
	bg    *canvas.Rectangle
	names []*canvas.Text // the name's lines
	sub   *canvas.Text
}

func (r *tileRenderer) Layout(s fyne.Size) {
	r.bg.Resize(s)
	pad := r.t.sz.gap
	width := s.Width - 2*pad
	lines := wrapLines(r.t.name, r.names[0].TextSize, width, r.names[0].TextStyle)
	y := pad * 0.375
	for i, t := range r.names {
		text := ""
		switch {
		case i < len(r.names)-1 && i < len(lines):
			text = lines[i]
		case i < len(lines):
			text = strings.Join(lines[i:], " ") // the last line takes the rest, shortened
		}
		fitText(t, text, width)
		t.Move(fyne.NewPos(pad, y))
		t.Resize(fyne.NewSize(width, t.MinSize().Height))
		y += t.MinSize().Height
	}
	r.sub.Move(fyne.NewPos(pad, s.Height-pad*0.375-r.sub.MinSize().Height))
	r.sub.Resize(fyne.NewSize(width, r.sub.MinSize().Height))
	sub := r.t.summary
	if r.t.reason != "" {
		sub = r.t.reason
	}
	fitText(r.sub, sub, width)
}

// fitText sets t to full, shortened with an ellipsis until it fits width.
func fitText(t *canvas.Text, full string, width float32) {
	t.Text = full
	if width <= 0 {
		return
	}
	runes := []rune(full)
	for n := len(runes) - 1; n > 0 && fyne.MeasureText(t.Text, t.TextSize, t.TextStyle).Width > width; n-- {
		t.Text = string(runes[:n]) + "…"
	}
}

func (r *tileRenderer) MinSize() fyne.Size {
	lineH := fyne.MeasureText("Hg", r.names[0].TextSize, r.names[0].TextStyle).Height
	h := float32(len(r.names))*lineH + r.sub.MinSize().Height + 0.75*r.t.sz.gap
	return fyne.NewSize(r.t.sz.target*3, max(h, r.t.sz.target*1.2))
}

func (r *tileRenderer) Refresh() {}
func (r *tileRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.bg, r.sub}
	for _, n := range r.names {
		objs = append(objs, n)
	}
	return objs
}
func (r *tileRenderer) Destroy() {}

// wrapLabel breaks a button's label into lines of at most width at text
// size, joined by "\n" for a touchButton.
func wrapLabel(s string, size, width float32) string {
	return strings.Join(wrapLines(s, size, width, fyne.TextStyle{}), "\n")
}
