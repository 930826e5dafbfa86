package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/tongban/tongban/kiosk/ui/theme"
)

// Importance says how a button looks: one primary action per screen (UX.md §1).
type Importance int

// Button importances.
const (
	Secondary Importance = iota // outlined: 返回, 重写, keys
	Primary                     // filled in the primary colour: 开始办理, 下一步
	Danger                      // filled in the error colour: 结束办理 in a dialog
)

// Button is a touch button at least the theme's touch target in both
// directions, its label in the theme's button size.
type Button struct {
	widget.BaseWidget

	Text       string
	Importance Importance
	OnTapped   func()
	// Touched, when set, is called on every tap before OnTapped (even when
	// disabled), to keep the session's idle timer alive.
	Touched func()
	// MinWidth widens the button beyond its label (0: label and target decide).
	MinWidth float32
	// Fixed keeps the button as wide as MinWidth or the touch target,
	// whatever its label: a longer label is set smaller to fit rather than
	// widening the button (a keyboard's candidate slots keep every key
	// where it is whatever word they show).
	Fixed bool

	disabled bool
	pressed  bool
}

var (
	_ fyne.Tappable     = (*Button)(nil)
	_ desktop.Mouseable = (*Button)(nil)
	_ fyne.Disableable  = (*Button)(nil)
)

// NewButton returns a secondary button.
func NewButton(text string, tapped func()) *Button {
	return NewButtonWith(text, Secondary, tapped)
}

// NewButtonWith returns a button of the given importance.
func NewButtonWith(text string, imp Importance, tapped func()) *Button {
	b := &Button{Text: text, Importance: imp, OnTapped: tapped}
	b.ExtendBaseWidget(b)
	return b
}

// SetText changes the label (e.g. when the language switches).
func (b *Button) SetText(text string) {
	b.Text = text
	b.Refresh()
}

// Tapped implements fyne.Tappable.
func (b *Button) Tapped(*fyne.PointEvent) {
	if b.Touched != nil {
		b.Touched()
	}
	b.pressed = false
	if b.disabled || b.OnTapped == nil {
		b.Refresh()
		return
	}
	b.Refresh()
	b.OnTapped()
}

// MouseDown shows the pressed state while a finger is down.
func (b *Button) MouseDown(*desktop.MouseEvent) {
	if !b.disabled {
		b.pressed = true
		b.Refresh()
	}
}

// MouseUp clears the pressed state.
func (b *Button) MouseUp(*desktop.MouseEvent) {
	b.pressed = false
	b.Refresh()
}

// Disable greys the button; taps then do nothing but keep the session alive.
func (b *Button) Disable() { b.disabled = true; b.Refresh() }

// Enable undoes Disable.
func (b *Button) Enable() { b.disabled = false; b.Refresh() }

// Disabled reports whether the button is disabled.
func (b *Button) Disabled() bool { return b.disabled }

// CreateRenderer implements fyne.Widget.
func (b *Button) CreateRenderer() fyne.WidgetRenderer {
	r := &buttonRenderer{b: b, bg: canvas.NewRectangle(color.Transparent),
		press: canvas.NewRectangle(color.Transparent), label: canvas.NewText("", color.Black)}
	r.label.Alignment = fyne.TextAlignCenter
	r.Refresh()
	return r
}

type buttonRenderer struct {
	b     *Button
	bg    *canvas.Rectangle
	press *canvas.Rectangle
	label *canvas.Text
}

func (r *buttonRenderer) Destroy() {}

func (r *buttonRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.press, r.label}
}

func (r *buttonRenderer) MinSize() fyne.Size {
	target := theme.SizeFor(theme.SizeNameTarget, r.b)
	gap := theme.SizeFor(theme.SizeNameTargetGap, r.b)
	text := r.label.MinSize()
	w := max(target, text.Width+2*gap, r.b.MinWidth)
	if r.b.Fixed {
		w = r.fixedWidth()
	}
	h := max(target, text.Height+gap)
	return fyne.NewSize(w, h)
}

// fixedWidth is the width of a Fixed button.
func (r *buttonRenderer) fixedWidth() float32 {
	return max(theme.SizeFor(theme.SizeNameTarget, r.b), r.b.MinWidth)
}

func (r *buttonRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	r.press.Resize(size)
	ls := r.label.MinSize()
	r.label.Move(fyne.NewPos(0, (size.Height-ls.Height)/2))
	r.label.Resize(fyne.NewSize(size.Width, ls.Height))
}

func (r *buttonRenderer) Refresh() {
	b := r.b
	c := func(n fyne.ThemeColorName) color.Color { return theme.ColorFor(n, b) }
	fill, text, border := c("button"), c("foreground"), c(theme.ColorNameButtonBorder)
	switch {
	case b.disabled:
		fill, text, border = c("disabledButton"), c("disabled"), c("disabled")
	case b.Importance == Primary:
		fill, text, border = c("primary"), c("foregroundOnPrimary"), c("primary")
	case b.Importance == Danger:
		fill, text, border = c("error"), c("foregroundOnError"), c("error")
	}
	r.bg.FillColor = fill
	r.bg.StrokeColor = border
	r.bg.StrokeWidth = 3
	r.bg.CornerRadius = 12
	r.press.CornerRadius = 12
	r.press.FillColor = color.Transparent
	if b.pressed {
		r.press.FillColor = c("pressed")
	}
	r.label.Text = b.Text
	r.label.Color = text
	r.label.TextSize = theme.SizeFor(theme.SizeNameButtonText, b)
	r.label.TextStyle = fyne.TextStyle{Bold: b.Importance != Secondary}
	if b.Fixed {
		room := r.fixedWidth() - theme.SizeFor(theme.SizeNameTargetGap, b)
		for min := r.label.TextSize / 2; r.label.TextSize > min && r.label.MinSize().Width > room; {
			r.label.TextSize *= 0.9
		}
	}
	r.label.Refresh()
	r.bg.Refresh()
	r.press.Refresh()
	r.Layout(b.Size())
}
