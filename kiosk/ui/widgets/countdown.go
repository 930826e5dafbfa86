package widgets

import (
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/tongban/tongban/kiosk/ui/theme"
)

// CountdownLabels are the words of the idle overlay (i18n countdown.*).
type CountdownLabels struct {
	Question string // 您还需要继续办理吗？
	Continue string // 继续办理
	Finish   string // 结束办理
}

// Countdown is the content of the idle-countdown overlay: the question, the
// seconds left in large figures with a line of words, 结束办理 and, as the
// primary action, 继续办理. Put it in a widget.NewModalPopUp or a canvas
// overlay; the session engine calls SetSeconds every second.
type Countdown struct {
	widget.BaseWidget

	question *canvas.Text
	figure   *canvas.Text
	words    *canvas.Text
	// Continue and Finish are the two buttons, for tests and Touched hooks.
	Continue *Button
	Finish   *Button
	bg       *canvas.Rectangle
	content  fyne.CanvasObject
}

// NewCountdown returns the overlay content.
func NewCountdown(l CountdownLabels, onContinue, onFinish func()) *Countdown {
	c := &Countdown{
		question: canvas.NewText(l.Question, color.Black),
		figure:   canvas.NewText("", color.Black),
		words:    canvas.NewText("", color.Black),
		Continue: NewPrimaryButton(l.Continue, onContinue),
		Finish:   NewButton(l.Finish, onFinish),
		bg:       canvas.NewRectangle(color.Transparent),
	}
	c.question.TextStyle = fyne.TextStyle{Bold: true}
	c.question.Alignment = fyne.TextAlignCenter
	c.figure.TextStyle = fyne.TextStyle{Bold: true}
	c.figure.Alignment = fyne.TextAlignCenter
	c.words.Alignment = fyne.TextAlignCenter
	c.Continue.MinWidth = 3 * 96
	c.Finish.MinWidth = 3 * 96
	c.content = container.NewVBox(c.question, c.figure, c.words,
		container.NewHBox(c.Finish, layout.NewSpacer(), c.Continue))
	c.ExtendBaseWidget(c)
	return c
}

// SetSeconds shows n seconds left and words (i18n countdown.seconds with
// Count n, e.g. 还剩20秒).
func (c *Countdown) SetSeconds(n int, words string) {
	c.figure.Text = strconv.Itoa(n)
	c.words.Text = words
	c.Refresh()
}

// SetLabels changes the words after a language switch.
func (c *Countdown) SetLabels(l CountdownLabels) {
	c.question.Text = l.Question
	c.Continue.SetText(l.Continue)
	c.Finish.SetText(l.Finish)
	c.Refresh()
}

// CreateRenderer implements fyne.Widget.
func (c *Countdown) CreateRenderer() fyne.WidgetRenderer {
	return &countdownRenderer{c: c}
}

type countdownRenderer struct{ c *Countdown }

func (r *countdownRenderer) Destroy() {}

func (r *countdownRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.c.bg, r.c.content}
}

func (r *countdownRenderer) pad() float32 { return 2 * theme.SizeFor(theme.SizeNameTargetGap, r.c) }

func (r *countdownRenderer) MinSize() fyne.Size {
	p := r.pad()
	return r.c.content.MinSize().Add(fyne.NewSize(2*p, 2*p))
}

func (r *countdownRenderer) Layout(size fyne.Size) {
	p := r.pad()
	r.c.bg.Resize(size)
	r.c.content.Move(fyne.NewPos(p, p))
	r.c.content.Resize(size.Subtract(fyne.NewSize(2*p, 2*p)))
}

func (r *countdownRenderer) Refresh() {
	c := r.c
	col := func(n fyne.ThemeColorName) color.Color { return theme.ColorFor(n, c) }
	c.bg.FillColor, c.bg.StrokeColor, c.bg.StrokeWidth, c.bg.CornerRadius =
		col("overlayBackground"), col(theme.ColorNameButtonBorder), 3, 16
	c.question.TextSize, c.question.Color = theme.SizeFor("headingText", c), col(theme.ColorNameHeading)
	c.figure.TextSize, c.figure.Color = 2*theme.SizeFor("headingText", c), col(theme.ColorNameHeading)
	c.words.TextSize, c.words.Color = theme.SizeFor("text", c), col("foreground")
	for _, t := range []*canvas.Text{c.question, c.figure, c.words} {
		t.Refresh()
	}
	c.bg.Refresh()
	c.content.Refresh()
}
