package keyboard

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// NumPad is a telephone-style numeric pad: 1–9, 0, 退格 and 清空, and an X
// key for ID numbers (the check digit of a resident ID may be X).
type NumPad struct {
	widget.BaseWidget
	board
	content fyne.CanvasObject
}

// NewNumPad returns a numeric pad typing into t; withX adds the X key.
func NewNumPad(t Target, withX bool, cfg Config) *NumPad {
	p := &NumPad{board: newBoard(t, cfg)}
	l := p.cfg.Labels
	var cells []fyne.CanvasObject
	for _, r := range "123456789" {
		cells = append(cells, p.runeKey(r))
	}
	if withX {
		cells = append(cells, p.runeKey('X'))
	} else {
		cells = append(cells, layout.NewSpacer())
	}
	cells = append(cells, p.runeKey('0'), p.key(KeyBackspace, l.Backspace, p.backspace))
	grid := container.NewGridWithColumns(3, cells...)
	p.content = container.NewCenter(container.NewVBox(grid, p.key(KeyClear, l.Clear, p.clearTarget)))
	p.ExtendBaseWidget(p)
	return p
}

// SetLabels renames the function keys.
func (p *NumPad) SetLabels(l Labels) { p.setLabels(l) }

// CreateRenderer implements fyne.Widget.
func (p *NumPad) CreateRenderer() fyne.WidgetRenderer {
	return newBoardRenderer(p, p.content)
}
