package widgets

import (
	"image/color"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// Page keeps what a screen's current page drew: its buttons by name and
// the lines of text it shows, so that tests can tap and read the page as
// a person would. The zero Page is ready; Reset starts the next page.
type Page struct {
	mu      sync.Mutex
	buttons map[string]*Button
	texts   []string
}

// Reset forgets the last page's buttons and texts.
func (p *Page) Reset() {
	p.mu.Lock()
	p.buttons, p.texts = nil, nil
	p.mu.Unlock()
}

// Button makes a button of the page, found again by name.
func (p *Page) Button(name, label string, imp Importance, tapped func()) *Button {
	b := NewButtonWith(label, imp, tapped)
	p.mu.Lock()
	if p.buttons == nil {
		p.buttons = map[string]*Button{}
	}
	p.buttons[name] = b
	p.mu.Unlock()
	return b
}

// Text makes a line of text of the page.
func (p *Page) Text(s string, size float32, bold bool, col color.Color) *canvas.Text {
	p.Shows(s)
	c := canvas.NewText(s, col)
	c.TextSize = size
	c.TextStyle = fyne.TextStyle{Bold: bold}
	return c
}

// Shows records a line the page shows through a widget of its own.
func (p *Page) Shows(s string) {
	p.mu.Lock()
	p.texts = append(p.texts, s)
	p.mu.Unlock()
}

// Find returns the page's button by name; nil if it has none.
func (p *Page) Find(name string) *Button {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buttons[name]
}

// Texts returns the lines the page shows.
func (p *Page) Texts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.texts...)
}
