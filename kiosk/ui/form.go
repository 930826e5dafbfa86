package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/tongban/tongban/kiosk"
)

// formScreen is one page of an item's form: at most four fields, labels
// above, errors under the field in red, the keyboard docked at the bottom.
func (u *Screens) formScreen() fyne.CanvasObject {
	v := u.view
	sz := u.sz()
	step := u.text(u.w(fmt.Sprintf("第 %d 步 / 共 %d 步", v.Page+1, v.Pages), fmt.Sprintf("Step %d of %d", v.Page+1, v.Pages)), sz.body, colSecondary, false)
	if u.field == "" {
		for _, f := range v.Fields {
			if !v.Prefilled[f.ID] && keyboardFor(f.Type) != kbNone {
				u.field = f.ID
				break
			}
		}
	}
	fields := container.NewVBox(step)
	var focused *kiosk.Field
	for i := range v.Fields {
		f := v.Fields[i]
		if f.ID == u.field {
			focused = &v.Fields[i]
		}
		fields.Add(u.fieldRow(f))
	}
	var kb fyne.CanvasObject = layout.NewSpacer()
	if focused != nil {
		kb = u.keyboard(*focused)
	}
	title := ""
	if v.Item != nil {
		title = u.tr(v.Item.Name)
	}
	return u.frame(title, container.NewBorder(nil, kb, nil, nil, fields), true, u.primary(u.w("下一步", "Next"), u.s.Next))
}

type keyboardKind int

const (
	kbNone keyboardKind = iota
	kbDigits
	kbDigitsX
	kbLetters
)

func keyboardFor(t kiosk.FieldType) keyboardKind {
	switch t {
	case kiosk.FieldPhone, kiosk.FieldNumber, kiosk.FieldBank, kiosk.FieldDate:
		return kbDigits
	case kiosk.FieldIDNumber:
		return kbDigitsX
	case kiosk.FieldText, kiosk.FieldAddress:
		return kbLetters
	}
	return kbNone
}

// fieldRow is one field: its label, its value or choices, and its error.
func (u *Screens) fieldRow(f kiosk.Field) fyne.CanvasObject {
	v := u.view
	sz := u.sz()
	label := u.tr(f.Label)
	if !f.Required {
		label += u.w("（选填）", " (optional)")
	}
	rows := container.NewVBox(u.text(label, sz.body, colText, true))
	val := v.Answers[f.ID]
	switch {
	case v.Prefilled[f.ID]:
		rows.Add(container.NewHBox(u.text(val, sz.button, colText, false),
			u.text(u.w("已从身份证读取", "From your ID card"), sz.body*0.8, colSuccess, false)))
	case f.Type == kiosk.FieldChoice || f.Type == kiosk.FieldYesNo:
		opts := f.Options
		if f.Type == kiosk.FieldYesNo {
			opts = []kiosk.Option{{Value: "yes", Label: kiosk.Text{ZH: "是", EN: "Yes"}}, {Value: "no", Label: kiosk.Text{ZH: "否", EN: "No"}}}
		}
		row := container.NewHBox()
		for _, o := range opts {
			o := o
			pick := func() { u.s.SetAnswer(f.ID, o.Value); u.redraw() }
			if val == o.Value {
				row.Add(u.primary("✓ "+u.tr(o.Label), pick))
			} else {
				row.Add(u.secondary(u.tr(o.Label), pick))
			}
		}
		rows.Add(row)
	case f.Type == kiosk.FieldConsent:
		mark := "☐ "
		if val == "yes" {
			mark = "✓ "
		}
		rows.Add(u.secondary(mark+u.tr(f.Help), func() {
			if val == "yes" {
				u.s.SetAnswer(f.ID, "")
			} else {
				u.s.SetAnswer(f.ID, "yes")
			}
			u.redraw()
		}))
	default:
		box := canvas.NewRectangle(colBackground)
		box.StrokeWidth, box.CornerRadius = 3, 10
		box.StrokeColor = colBorder
		if f.ID == u.field {
			box.StrokeColor = colPrimary
		}
		shown := val
		if shown == "" {
			shown = " "
		}
		rows.Add(newTapArea(container.NewStack(box, container.NewPadded(u.text(shown, sz.button, colText, false))), u.touched(func() {
			u.field = f.ID
			u.redraw()
		})))
	}
	if e, ok := v.FieldErrors[f.ID]; ok {
		rows.Add(u.text(u.tr(e), sz.body, colError, false))
	}
	return rows
}

// keyboard is the on-screen keyboard for the focused field.
func (u *Screens) keyboard(f kiosk.Field) fyne.CanvasObject {
	kind := keyboardFor(f.Type)
	if kind == kbNone {
		return layout.NewSpacer()
	}
	return u.keyboardOf(kind, &answerTarget{u: u, field: f.ID, max: maxLength(f)})
}

// maxLength bounds what a keypad can type into a field.
func maxLength(f kiosk.Field) int {
	switch f.Type {
	case kiosk.FieldPhone:
		return 13
	case kiosk.FieldIDNumber:
		return 18
	case kiosk.FieldBank:
		return 19
	case kiosk.FieldDate:
		return 8
	}
	if f.Max != nil && f.Type == kiosk.FieldText {
		return *f.Max
	}
	return 60
}

// answerTarget types into a form answer held by the session.
type answerTarget struct {
	u     *Screens
	field string
	max   int
}

func (t *answerTarget) get() []rune { return []rune(t.u.s.View().Answers[t.field]) }

func (t *answerTarget) set(r []rune) {
	t.u.s.SetAnswer(t.field, string(r))
	t.u.redrawLater()
}

func (t *answerTarget) Append(r rune) {
	if cur := t.get(); len(cur) < t.max {
		t.set(append(cur, r))
	}
}

func (t *answerTarget) Backspace() {
	if cur := t.get(); len(cur) > 0 {
		t.set(cur[:len(cur)-1])
	}
}

func (t *answerTarget) Clear() { t.set(nil) }

// tappableStack makes any content tappable.
type tappableStack struct {
	widget.BaseWidget
	content fyne.CanvasObject
	onTap   func()
}

func newTapArea(c fyne.CanvasObject, tap func()) fyne.CanvasObject {
	t := &tappableStack{content: c, onTap: tap}
	t.ExtendBaseWidget(t)
	return t
}

// Tapped runs the action.
func (t *tappableStack) Tapped(*fyne.PointEvent) { t.onTap() }

func (t *tappableStack) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(t.content)
}
