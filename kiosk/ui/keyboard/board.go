package keyboard

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"github.com/tongban/tongban/kiosk/ui/theme"

	"github.com/tongban/tongban/kiosk/ui/widgets"
)

// board holds what every keyboard shares: the target, the configuration and
// its keys by name.
type board struct {
	target Target
	cfg    Config
	keys   map[string]*widgets.Button
}

func newBoard(t Target, cfg Config) board {
	return board{target: t, cfg: cfg.withDefaults(), keys: map[string]*widgets.Button{}}
}

// key makes a key, registers it under name and returns it.
func (b *board) key(name, label string, tapped func()) *widgets.Button {
	k := widgets.NewButton(label, tapped)
	k.Touched = b.cfg.Touched
	b.keys[name] = k
	return k
}

// runeKey makes a key that types r.
func (b *board) runeKey(r rune) *widgets.Button {
	return b.key(string(r), string(r), func() { b.append(r) })
}

func (b *board) append(r rune) {
	if b.target != nil {
		b.target.Append(r)
	}
}

func (b *board) backspace() {
	if b.target != nil {
		b.target.Backspace()
	}
}

func (b *board) clearTarget() {
	if b.target != nil {
		b.target.Clear()
	}
}

// Key returns the key named name (a character such as "7" or "a", or one of
// the Key* names), or nil. Screens and tests tap keys through it.
func (b *board) Key(name string) *widgets.Button { return b.keys[name] }

// SetTarget points the keyboard at another field.
func (b *board) SetTarget(t Target) { b.target = t }

// setLabels renames the function keys, e.g. after the language switched.
func (b *board) setLabels(l Labels) {
	b.cfg.Labels = l
	for name, text := range map[string]string{KeyBackspace: l.Backspace, KeyClear: l.Clear,
		KeySpace: l.Space, KeyShift: l.Shift, KeyPrevPage: l.PrevPage, KeyNextPage: l.NextPage} {
		if k := b.keys[name]; k != nil {
			k.SetText(text)
		}
	}
}

// row lays keys out side by side at their own size, centred, one target
// gap apart.
func row(keys ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewCenter(container.NewHBox(keys...))
}

// boardRenderer draws a keyboard's keys on the theme's keyboard panel
// colour, one target gap in from its edges.
type boardRenderer struct {
	owner   fyne.Widget
	bg      *canvas.Rectangle
	content fyne.CanvasObject
}

func newBoardRenderer(owner fyne.Widget, content fyne.CanvasObject) *boardRenderer {
	r := &boardRenderer{owner: owner, bg: canvas.NewRectangle(color.Transparent), content: content}
	r.Refresh()
	return r
}

func (r *boardRenderer) gap() float32 { return theme.SizeFor(theme.SizeNameTargetGap, r.owner) }

func (r *boardRenderer) Destroy() {}

func (r *boardRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.content}
}

func (r *boardRenderer) MinSize() fyne.Size {
	g := r.gap()
	return r.content.MinSize().Add(fyne.NewSize(2*g, 2*g))
}

func (r *boardRenderer) Layout(size fyne.Size) {
	g := r.gap()
	r.bg.Resize(size)
	r.content.Move(fyne.NewPos(g, g))
	r.content.Resize(size.Subtract(fyne.NewSize(2*g, 2*g)))
}

func (r *boardRenderer) Refresh() {
	r.bg.FillColor = theme.ColorFor(theme.ColorNameKeyboard, r.owner)
	r.bg.Refresh()
	r.content.Refresh()
}
