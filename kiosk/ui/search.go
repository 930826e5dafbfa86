package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// searchPanel finds items by pinyin initials, full pinyin or English words,
// typed on the on-screen letter keyboard.
func (u *Screens) searchPanel() fyne.CanvasObject {
	sz := u.sz()
	q := u.browse.query
	shown := q
	if shown == "" {
		shown = u.w("输入拼音首字母，如 ljt（老年津贴）", "Type a few letters, e.g. ljt or allowance")
	}
	box := canvas.NewRectangle(colBackground)
	box.StrokeColor, box.StrokeWidth, box.CornerRadius = colPrimary, 3, 10
	col := colText
	if q == "" {
		col = colSecondary
	}
	field := container.NewStack(box, container.NewPadded(u.text(shown, sz.button, col, q != "")))
	var results fyne.CanvasObject = container.NewVBox()
	if q != "" && u.opt.Browser != nil {
		results = u.itemGrid(u.opt.Browser.Search(q, 24))
	}
	kb := u.letterKeys(func(k string) {
		switch k {
		case "⌫":
			if r := []rune(u.browse.query); len(r) > 0 {
				u.browse.query = string(r[:len(r)-1])
			}
		case "清空", "Clear":
			u.browse.query = ""
		case "空格", "Space":
			u.browse.query += " "
		default:
			u.browse.query += k
		}
		u.browse.page = 0
		u.redraw()
	})
	return container.NewBorder(field, kb, nil, nil, results)
}

// letterKeys is a large Latin keyboard for search.
func (u *Screens) letterKeys(onKey func(string)) fyne.CanvasObject {
	sz := u.sz()
	key := sizes{button: sz.button, target: sz.target * 0.72, gap: sz.gap}
	rows := [][]string{
		{"q", "w", "e", "r", "t", "y", "u", "i", "o", "p"},
		{"a", "s", "d", "f", "g", "h", "j", "k", "l", "⌫"},
		{"z", "x", "c", "v", "b", "n", "m", u.w("空格", "Space"), u.w("清空", "Clear")},
	}
	col := container.NewVBox()
	for _, r := range rows {
		row := container.NewGridWithColumns(10)
		for _, k := range r {
			k := k
			row.Add(newTouchButton(k, key, false, u.touched(func() { onKey(k) })))
		}
		col.Add(row)
	}
	return col
}
