package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"github.com/tongban/tongban/kiosk/ui/theme"
)

// Steps shows where the resident is in a form: a dot per step (filled up to
// the current one) and the words, e.g. 第 2 步 / 共 4 步 (from the localizer:
// common.step).
type Steps struct {
	widget.BaseWidget
	Step, Total int
	Label       string
}

// NewSteps returns an indicator at step of total, labelled label.
func NewSteps(step, total int, label string) *Steps {
	s := &Steps{Step: step, Total: total, Label: label}
	s.ExtendBaseWidget(s)
	return s
}

// Set moves the indicator.
func (s *Steps) Set(step, total int, label string) {
	s.Step, s.Total, s.Label = step, total, label
	s.Refresh()
}

// CreateRenderer implements fyne.Widget.
func (s *Steps) CreateRenderer() fyne.WidgetRenderer {
	r := &stepsRenderer{s: s, label: canvas.NewText("", color.Black)}
	r.label.TextStyle = fyne.TextStyle{Bold: true}
	r.Refresh()
	return r
}

type stepsRenderer struct {
	s     *Steps
	dots  []*canvas.Circle
	label *canvas.Text
}

func (r *stepsRenderer) Destroy() {}

func (r *stepsRenderer) Objects() []fyne.CanvasObject {
	out := []fyne.CanvasObject{r.label}
	for _, d := range r.dots {
		out = append(out, d)
	}
	return out
}

func (r *stepsRenderer) dot() float32 { return theme.SizeFor("text", r.s) * 0.75 }

func (r *stepsRenderer) MinSize() fyne.Size {
	gap := theme.SizeFor(theme.SizeNameTargetGap, r.s)
	n := float32(len(r.dots))
	ls := r.label.MinSize()
	return fyne.NewSize(n*(r.dot()+gap)+ls.Width, max(ls.Height, r.dot()))
}

func (r *stepsRenderer) Layout(size fyne.Size) {
	gap := theme.SizeFor(theme.SizeNameTargetGap, r.s)
	d := r.dot()
	x := float32(0)
	for _, c := range r.dots {
		c.Move(fyne.NewPos(x, (size.Height-d)/2))
		c.Resize(fyne.NewSize(d, d))
		x += d + gap
	}
	ls := r.label.MinSize()
	r.label.Move(fyne.NewPos(x, (size.Height-ls.Height)/2))
	r.label.Resize(ls)
}

func (r *stepsRenderer) Refresh() {
	s := r.s
	for len(r.dots) < s.Total {
		r.dots = append(r.dots, canvas.NewCircle(color.Transparent))
	}
	r.dots = r.dots[:max(0, s.Total)]
	primary := theme.ColorFor("primary", s)
	for i, c := range r.dots {
		c.StrokeColor, c.StrokeWidth = primary, 3
		c.FillColor = color.Transparent
		if i < s.Step {
			c.FillColor = primary
		}
		c.Refresh()
	}
	r.label.Text = s.Label
	r.label.TextSize = theme.SizeFor("text", s)
	r.label.Color = theme.ColorFor("foreground", s)
	r.label.Refresh()
	r.Layout(s.Size())
}
