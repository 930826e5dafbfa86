package keyboard

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Latin is a keyboard of Latin letters (and, in the QWERTY layout, digits)
// with 大小写 (shift), 空格, '-', '.', 退格 and 清空.
type Latin struct {
	widget.BaseWidget
	board
	upper   bool
	content fyne.CanvasObject
}

// NewLatin returns a Latin keyboard typing into t, in lower case.
func NewLatin(t Target, cfg Config) *Latin {
	k := &Latin{board: newBoard(t, cfg)}
	l := k.cfg.Labels
	var rows []fyne.CanvasObject
	if k.cfg.Layout == QWERTY {
		rows = append(rows, k.runeRow("1234567890"))
	}
	letterRows := k.cfg.Layout.rows()
	for i, letters := range letterRows {
		r := k.letterRow(letters)
		if k.cfg.Layout != QWERTY && i == len(letterRows)-1 {
			// The portrait layout's short last row takes the punctuation,
			// so the bottom row fits a 1080 px panel in 长者模式.
			r = row(append(k.letterKeys(letters), k.runeKey('-'), k.runeKey('.'))...)
		}
		rows = append(rows, r)
	}
	space := k.key(KeySpace, l.Space, func() { k.append(' ') })
	space.MinWidth = 4 * 96
	bottom := []fyne.CanvasObject{k.key(KeyShift, l.Shift, k.toggleShift), space}
	if k.cfg.Layout != QWERTY {
		space.MinWidth = 2 * 96
	} else {
		bottom = append(bottom, k.runeKey('-'), k.runeKey('.'))
	}
	bottom = append(bottom, k.key(KeyBackspace, l.Backspace, k.backspace), k.key(KeyClear, l.Clear, k.clearTarget))
	rows = append(rows, row(bottom...))
	k.content = container.NewVBox(rows...)
	k.ExtendBaseWidget(k)
	return k
}

func (k *Latin) runeRow(s string) fyne.CanvasObject {
	var keys []fyne.CanvasObject
	for _, r := range s {
		keys = append(keys, k.runeKey(r))
	}
	return row(keys...)
}

// letterRow makes keys named by their lower-case letter that type the
// letter in the current case.
func (k *Latin) letterRow(s string) fyne.CanvasObject { return row(k.letterKeys(s)...) }

func (k *Latin) letterKeys(s string) []fyne.CanvasObject {
	var keys []fyne.CanvasObject
	for _, r := range s {
		keys = append(keys, k.key(string(r), string(r), func() {
			if k.upper {
				k.append(unicode.ToUpper(r))
			} else {
				k.append(r)
			}
		}))
	}
	return keys
}

func (k *Latin) toggleShift() {
	k.upper = !k.upper
	for name, key := range k.keys {
		if len(name) == 1 && name[0] >= 'a' && name[0] <= 'z' {
			if k.upper {
				key.SetText(strings.ToUpper(name))
			} else {
				key.SetText(name)
			}
		}
	}
}

// Upper reports whether letters type in upper case.
func (k *Latin) Upper() bool { return k.upper }

// SetLabels renames the function keys.
func (k *Latin) SetLabels(l Labels) { k.setLabels(l) }

// CreateRenderer implements fyne.Widget.
func (k *Latin) CreateRenderer() fyne.WidgetRenderer {
	return newBoardRenderer(k, k.content)
}
