package keyboard

import (
	"sync"

	"fyne.io/fyne/v2/widget"
)

// Target is what a keyboard types into.
type Target interface {
	Append(r rune)
	Backspace()
	Clear()
}

// ForEntry adapts a widget.Entry as a Target: keys append at the end and the
// cursor follows. max > 0 limits the number of characters (extra keys are
// ignored), e.g. 11 for a phone number or 18 for an ID number.
func ForEntry(e *widget.Entry, max int) Target { return &entryTarget{e: e, max: max} }

type entryTarget struct {
	e   *widget.Entry
	max int
}

func (t *entryTarget) Append(r rune) {
	rs := []rune(t.e.Text)
	if t.max > 0 && len(rs) >= t.max {
		return
	}
	t.set(append(rs, r))
}

func (t *entryTarget) Backspace() {
	if rs := []rune(t.e.Text); len(rs) > 0 {
		t.set(rs[:len(rs)-1])
	}
}

func (t *entryTarget) Clear() { t.set(nil) }

func (t *entryTarget) set(rs []rune) {
	t.e.SetText(string(rs))
	t.e.CursorRow, t.e.CursorColumn = 0, len(rs)
	t.e.Refresh()
}

// Buffer is a Target holding text in memory, for screens that show typed
// text in their own way, and for tests. The zero Buffer is ready to use.
type Buffer struct {
	mu    sync.Mutex
	runes []rune
	// Max > 0 limits the number of characters.
	Max int
	// OnChanged, when set, is called with the new text after every change.
	OnChanged func(text string)
}

// Append implements Target.
func (b *Buffer) Append(r rune) {
	b.change(func() {
		if b.Max <= 0 || len(b.runes) < b.Max {
			b.runes = append(b.runes, r)
		}
	})
}

// Backspace implements Target.
func (b *Buffer) Backspace() {
	b.change(func() {
		if len(b.runes) > 0 {
			b.runes = b.runes[:len(b.runes)-1]
		}
	})
}

// Clear implements Target; it also overwrites the old characters in memory.
func (b *Buffer) Clear() {
	b.change(func() {
		clear(b.runes)
		b.runes = b.runes[:0]
	})
}

// String returns the text.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.runes)
}

func (b *Buffer) change(f func()) {
	b.mu.Lock()
	f()
	s, cb := string(b.runes), b.OnChanged
	b.mu.Unlock()
	if cb != nil {
		cb(s)
	}
}
