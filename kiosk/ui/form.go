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
	cur := func() string { return u.s.View().Answers[f.ID] }
	set := func(s string) { u.s.SetAnswer(f.ID, s); u.redraw() }
	onKey := func(k string) {
		r := []rune(cur())
		switch k {
		case "⌫":
			if len(r) > 0 {
				set(string(r[:len(r)-1]))
			}
		case "清空", "Clear":
			set("")
		case "空格", "Space":
			set(cur() + " ")
		default:
			set(cur() + k)
		}
	}
	switch keyboardFor(f.Type) {
	case kbDigits, kbDigitsX:
		return u.digitKeys(keyboardFor(f.Type) == kbDigitsX, onKey)
	case kbLetters:
		return u.letterKeys(onKey)
	}
	return layout.NewSpacer()
}

// digitKeys is the numeric pad: 1-9, 0, backspace, clear, and X for ID numbers.
func (u *Screens) digitKeys(withX bool, onKey func(string)) fyne.CanvasObject {
	sz := u.sz()
	key := sizes{button: sz.heading, target: sz.target * 0.8, gap: sz.gap}
	last := u.w("清空", "Clear")
	if withX {
		last = "X"
	}
	keys := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", last, "0", "⌫"}
	grid := container.NewGridWithColumns(6)
	for _, k := range keys {
		k := k
		grid.Add(newTouchButton(k, key, false, u.touched(func() { onKey(k) })))
	}
	return container.NewCenter(grid)
}

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
