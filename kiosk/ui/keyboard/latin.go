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
	for _, letters := range k.cfg.Layout.rows() {
		rows = append(rows, k.letterRow(letters))
	}
	space := k.key(KeySpace, l.Space, func() { k.append(' ') })
	space.MinWidth = 4 * 96
	rows = append(rows, row(k.key(KeyShift, l.Shift, k.toggleShift), space,
		k.runeKey('-'), k.runeKey('.'),
		k.key(KeyBackspace, l.Backspace, k.backspace), k.key(KeyClear, l.Clear, k.clearTarget)))
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
func (k *Latin) letterRow(s string) fyne.CanvasObject {
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
	return row(keys...)
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
