package ui

import (
	"encoding/json"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/form"
)

// formScreen is one page of an item's form: at most four fields, labels
// above, errors under the field in red, the keyboard docked at the bottom.
func (u *Screens) formScreen() fyne.CanvasObject {
	v := u.view
	sz := u.sz()
	for _, f := range v.Fields {
		if f.Type == kiosk.FieldFamily {
			return u.familyScreen(f)
		}
	}
	if u.field == "" {
		for _, f := range v.Fields {
			if !v.Prefilled[f.ID] && keyboardFor(f) != kbNone {
				u.field = f.ID
				break
			}
		}
	}
	var focused *kiosk.Field
	for i := range v.Fields {
		if v.Fields[i].ID == u.field {
			focused = &v.Fields[i]
		}
	}
	// A landscape panel is too short for four fields over a keyboard: the
	// keyboard docks on the right there, and at the bottom in portrait.
	u.keypadBeside = focused != nil && u.landscape() && keyboardFor(*focused) != kbNone
	// A keyboard docked under the fields of a portrait panel takes half of
	// it: the item's name stays in the top row (set smaller) rather than
	// taking a row of its own over the fields.
	u.compactTitle = focused != nil && !u.landscape() && keyboardFor(*focused) != kbNone
	var kb fyne.CanvasObject = layout.NewSpacer()
	if focused != nil {
		kb = u.keyboard(*focused)
	}
	u.besideWidth = 0
	if u.keypadBeside {
		u.besideWidth = kb.MinSize().Width + 2*sz.gap // what the fields must leave free
	}
	head := container.NewVBox()
	// With a keyboard on screen the notice goes above the fields: the
	// bottom of the panel belongs to the keys.
	u.noticeAbove = focused != nil && keyboardFor(*focused) != kbNone
	if u.noticeAbove && !v.Notice.IsZero() {
		head.Add(u.notice())
	}
	head.Add(u.text(u.t("common.step", map[string]any{"Step": v.Page + 1, "Total": v.Pages}), sz.body, u.c.secondary, false))
	if v.Agent && v.Page == 0 {
		head.Add(u.wrapped(u.t("form.agent_note"), sz.body, u.c.primary, true, u.formWidth()))
	}
	var rows []fyne.CanvasObject
	focusRow := -1
	for _, f := range v.Fields {
		if _, bad := v.FieldErrors[f.ID]; bad && focusRow < 0 {
			focusRow = len(rows)
		}
		rows = append(rows, u.fieldRows(f)...)
	}
	fields := u.paged(rows...)
	fields.focus = focusRow
	title := ""
	if v.Item != nil {
		title = u.tr(v.Item.Name)
	}
	body := container.NewBorder(head, kb, nil, nil, fields)
	if u.keypadBeside {
		body = container.NewBorder(nil, nil, nil, container.NewCenter(kb), container.NewBorder(head, nil, nil, nil, fields))
	}
	next := func() {
		u.s.Next()
		if w := u.s.View(); w.State == flow.FormPage && len(w.FieldErrors) > 0 {
			u.subPage = -1 // show the page of the first field to fix
			u.redraw()
		}
	}
	return u.frame(title, body, true, u.primary(u.t("common.next"), next))
}

type keyboardKind int

// The keyboards, one for each kind of field: a field always gets the same
// one, whatever was typed before it in the session.
const (
	kbNone    keyboardKind = iota
	kbDigits               // numbers, phone, bank card, dates: a numeric pad
	kbDigitsX              // ID numbers: the pad with X
	kbText                 // names and other text: pinyin (Latin letters in English)
	kbCode                 // a birth-certificate number: Latin letters with a row of digits
	kbAddress              // an address's detail line: pinyin with digits (100弄5号301室)
	kbSearch               // the catalog search: pinyin, searching as letters are typed (Latin in English)
)

func keyboardFor(f kiosk.Field) keyboardKind {
	if f.Centre {
		return kbNone // a centre is picked, nothing typed
	}
	switch f.Type {
	case kiosk.FieldPhone, kiosk.FieldNumber, kiosk.FieldBank, kiosk.FieldDate:
		return kbDigits
	case kiosk.FieldIDNumber:
		return kbDigitsX
	case kiosk.FieldText:
		return kbText
	case kiosk.FieldAddress:
		return kbAddress
	}
	return kbNone
}

// fieldRows is one field: its label, its value or choices, and its error,
// as rows that a page may split between them (a long list of choices).
func (u *Screens) fieldRows(f kiosk.Field) []fyne.CanvasObject {
	v := u.view
	sz := u.sz()
	label := u.fieldLabel(f)
	if !f.Required {
		label = u.t("form.label_optional", map[string]any{"Label": label})
	}
	rows := []fyne.CanvasObject{u.wrapped(label, sz.body, u.c.text, true, u.formWidth())} // beside the keyboard too
	if help := u.tr(f.Help); help != "" && !v.Prefilled[f.ID] && f.Type != kiosk.FieldConsent {
		// The catalog's help for the field, under its label: what it is
		// for, or how to fill it in (办理进度会发短信到这个号码).
		rows = append(rows, u.wrapped(help, sz.body*0.8, u.c.secondary, false, u.formWidth()))
	}
	val := v.Answers[f.ID]
	switch {
	case v.Prefilled[f.ID]:
		val = u.displayValue(f, val) // 男, not the stored value male
		if f.Type == kiosk.FieldIDNumber {
			val = kiosk.MaskNumber(val) // never the whole number on screen
		}
		from := u.t("form.from_id_card")
		if u.view.Card != kiosk.CardResident && u.view.Card != "" {
			from = u.t("form.from_card") // 已从证件读取: not every card is a 身份证
		}
		rows = append(rows, container.NewHBox(u.text(val, sz.button, u.c.text, false),
			u.text(from, sz.body*0.8, u.c.success, false)))
	case f.Type == kiosk.FieldChoice || f.Type == kiosk.FieldYesNo:
		opts := f.Options
		if f.Type == kiosk.FieldYesNo {
			opts = []kiosk.Option{{Value: "yes", Label: u.both("form.yes")}, {Value: "no", Label: u.both("form.no")}}
		}
		opts = u.opt.Places.InDistrictOrder(opts) // the address picker's order, from the same list
		labels := make([]string, len(opts))
		chosen := -1
		for i, o := range opts {
			labels[i] = u.tr(o.Label)
			if o.Value == val {
				chosen = i
			}
		}
		rows = append(rows, u.choiceGrid(labels, chosen, func(i int) { u.s.SetAnswer(f.ID, opts[i].Value); u.redraw() })...)
	case f.Type == kiosk.FieldConsent:
		rows = nil // the row itself carries the words
		mark := "☐  "
		if val == "yes" {
			mark = "✓  "
		}
		rows = append(rows, u.secondary(u.rowLabel(mark+u.tr(f.Label), u.formWidth()), func() {
			if val == "yes" {
				u.s.SetAnswer(f.ID, "")
			} else {
				u.s.SetAnswer(f.ID, "yes")
			}
			u.redraw()
		}))
	case f.Type == kiosk.FieldAddress:
		rows = append(rows, u.addressRows(f, val)...)
	default:
		if f.Type == kiosk.FieldDate {
			rows = append(rows, u.text(u.t("form.date_hint"), sz.body*0.8, u.c.secondary, false))
		}
		rows = append(rows, u.valueBox(f.ID, u.displayValue(f, val)))
	}
	if e, ok := v.FieldErrors[f.ID]; ok {
		rows = append(rows, u.wrapped(u.tr(e), sz.body, u.c.errorText, false, u.formWidth()))
	}
	return rows
}

// fieldLabel is a field's label, but the resident's own document number,
// read from the card, is named by the document read: a permit holder's is
// no 身份证号码.
func (u *Screens) fieldLabel(f kiosk.Field) string {
	if f.Type == kiosk.FieldIDNumber && u.view.Prefilled[f.ID] {
		switch u.view.Card {
		case kiosk.CardPermitHKMOTW:
			return u.t("form.id_number_permit")
		case kiosk.CardForeignPR2017, kiosk.CardForeignPR2023:
			return u.t("form.id_number_foreign_pr")
		}
	}
	return u.tr(f.Label)
}

// valueBox shows a typed value; tapping it puts the keyboard on it.
func (u *Screens) valueBox(field, shown string) fyne.CanvasObject {
	box := canvas.NewRectangle(u.c.background)
	box.StrokeWidth, box.CornerRadius = 3, 10
	box.StrokeColor = u.c.border
	if field == u.field {
		box.StrokeColor = u.c.primary
	}
	if shown == "" {
		shown = " "
	}
	area := newTapArea(container.NewStack(box, container.NewPadded(u.text(shown, u.sz().button, u.c.text, false))), u.touched(func() {
		u.field = field
		u.redraw()
	}))
	area.(*tappableStack).name = field
	return area
}

// choiceGrid shows options as large buttons in rows, the chosen one (an
// index into labels, -1 for none) marked; each row of the grid is a row a
// page may break after.
func (u *Screens) choiceGrid(labels []string, chosen int, pick func(i int)) []fyne.CanvasObject {
	// As many columns as the widest label allows in the form's width.
	sz := u.sz()
	widest := float32(0)
	for _, l := range labels {
		widest = max(widest, fyne.MeasureText("✓ "+l, sz.button, fyne.TextStyle{}).Width)
	}
	cell := max(widest+2*sz.button, sz.target*1.5) + sz.gap
	cols := min(len(labels), 4, max(1, int(u.formWidth()/cell)))
	cols = max(cols, 1)
	var rows []fyne.CanvasObject
	var grid *fyne.Container
	for i, l := range labels {
		if i%cols == 0 {
			grid = container.NewGridWithColumns(cols)
			rows = append(rows, grid)
		}
		if i == chosen {
			grid.Add(u.primary("✓ "+l, func() { pick(i) }))
		} else {
			grid.Add(u.secondary(l, func() { pick(i) }))
		}
	}
	for len(rows) > 0 && len(grid.Objects) < cols {
		grid.Add(layout.NewSpacer()) // the last row's buttons as wide as the others
	}
	return rows
}

// keyboard is the on-screen keyboard for the focused field.
func (u *Screens) keyboard(f kiosk.Field) fyne.CanvasObject {
	kind := keyboardFor(f)
	if kind == kbNone {
		return layout.NewSpacer()
	}
	if f.Type == kiosk.FieldAddress {
		var a form.Address
		_ = json.Unmarshal([]byte(u.view.Answers[f.ID]), &a)
		if a.District == "" || (a.Street == "" && u.opt.Places != nil && len(u.opt.Places.Streets(a.District)) > 0) {
			return layout.NewSpacer() // still choosing by tapping
		}
		return u.keyboardOf(kind, &addressTarget{u: u, field: f.ID})
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
	name    string // the field it shows, if any (tests tap it by name)
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
