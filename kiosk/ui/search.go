package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// searchPanel finds items by pinyin initials, full pinyin or English words,
// typed on the on-screen letter keyboard.
// It returns the search's own column and the keyboard: in landscape to
// stand beside the whole browse screen (tabs included) on the right, in
// portrait under it, the panel's whole width (长者模式's keys need it).
func (u *Screens) searchPanel() (column, beside, below fyne.CanvasObject) {
	sz := u.sz()
	// The letters spelled on the pinyin keyboard search too, before a
	// character is chosen: ljt finds 垃圾投放.
	q := u.browse.query + u.browse.spelling
	shown := q
	if shown == "" {
		shown = u.t("browse.search_hint")
	}
	box := canvas.NewRectangle(u.c.background)
	box.StrokeColor, box.StrokeWidth, box.CornerRadius = u.c.primary, 3, 10
	col := u.c.text
	if q == "" {
		col = u.c.secondary
	}
	kb := u.keyboardOf(kbSearch, &searchTarget{u: u})
	room := u.textWidth() - 4*sz.gap
	if u.landscape() {
		room -= kb.MinSize().Width // the field stands beside the keyboard
	}
	text := u.text(shown, sz.button, col, q != "")
	for text.TextSize > 18 && text.MinSize().Width > room {
		text.TextSize *= 0.92
	}
	field := container.NewStack(box, container.NewPadded(text))
	var results fyne.CanvasObject = container.NewVBox()
	if q != "" && u.opt.Browser != nil {
		results = u.itemGrid(u.opt.Browser.Search(q, 24))
	}
	if u.landscape() {
		// Results in a column on the left, the keyboard on the right: a
		// landscape panel is too short for both stacked.
		return container.NewBorder(field, nil, nil, nil, results), container.NewCenter(kb), nil
	}
	return container.NewBorder(field, nil, nil, nil, results), nil, container.NewCenter(kb)
}

// searchTarget types into the search query.
type searchTarget struct{ u *Screens }

func (t *searchTarget) Append(r rune) {
	if len([]rune(t.u.browse.query)) < 30 {
		t.u.browse.query += string(r)
		t.u.browse.page = 0
		t.u.redrawLater()
	}
}

func (t *searchTarget) Backspace() {
	if r := []rune(t.u.browse.query); len(r) > 0 {
		t.u.browse.query = string(r[:len(r)-1])
		t.u.redrawLater()
	}
}

func (t *searchTarget) Clear() { t.u.browse.query = ""; t.u.redrawLater() }
