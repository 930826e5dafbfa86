package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/ui/widgets"
)

// walkPlaced calls f with every visible object drawn under o and its
// position on the canvas.
func walkPlaced(o fyne.CanvasObject, at fyne.Position, f func(fyne.CanvasObject, fyne.Position)) {
	if o == nil || !o.Visible() {
		return
	}
	p := at.Add(o.Position())
	f(o, p)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walkPlaced(c, p, f)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walkPlaced(c, p, f)
		}
	}
}

// labelOf is what a resident reads on a tappable object: a button's label
// (its lines joined by spaces) or the words inside a tappable area.
func labelOf(o fyne.CanvasObject) (string, bool) {
	switch x := o.(type) {
	case *touchButton:
		if x.disabled {
			return "", false
		}
		return strings.ReplaceAll(x.label, "\n", " "), true
	case *widgets.Button:
		if x.Disabled() {
			return "", false
		}
		return x.Text, true
	case *tile:
		return x.name, true
	case *tappableStack:
		if x.name != "" {
			return "field:" + x.name, true
		}
		return strings.Join(canvasTexts(x.content), " "), true
	}
	return "", false
}

// tapOn taps the visible, enabled widget whose label is label (or, with a
// trailing "*", starts with it), as a finger would. It fails the test when
// the screen has no such widget, listing what it has.
func tapOn(t *testing.T, u *Screens, w fyne.Window, label string) {
	t.Helper()
	var found fyne.Tappable
	var seen []string
	u.mu.Lock()
	walkPlaced(w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, _ fyne.Position) {
		l, ok := labelOf(o)
		if !ok {
			return
		}
		seen = append(seen, l)
		match := l == label
		if p, ok := strings.CutSuffix(label, "*"); ok {
			match = strings.HasPrefix(l, p)
		}
		if match && found == nil {
			found = o.(fyne.Tappable)
		}
	})
	u.mu.Unlock()
	if found == nil {
		t.Fatalf("no %q to tap on the %v screen; tappable: %q", label, u.s.View().State, seen)
	}
	test.Tap(found)
}

// tapKeys types s on the keyboard on screen, key by key (keys by name:
// letters, digits, or keyboard.Key* names in braces, as "{digits}").
func tapKeys(t *testing.T, u *Screens, w fyne.Window, s string) {
	t.Helper()
	for len(s) > 0 {
		name := string([]rune(s)[0])
		s = s[len(name):]
		if name == "{" {
			end := strings.IndexByte(s, '}')
			name, s = s[:end], s[end+1:]
		}
		tapKey(t, u, w, name)
	}
}

// keyed is any of the kit's keyboards.
type keyed interface {
	Key(name string) *widgets.Button
}

// tapKey taps the key named name on the keyboard on screen.
func tapKey(t *testing.T, u *Screens, w fyne.Window, name string) {
	t.Helper()
	var key *widgets.Button
	u.mu.Lock()
	walkPlaced(w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, _ fyne.Position) {
		if kb, ok := o.(keyed); ok && key == nil {
			if k := kb.Key(name); k != nil && k.Visible() {
				key = k
			}
		}
	})
	u.mu.Unlock()
	if key == nil {
		t.Fatalf("no key %q on the keyboard on screen", name)
	}
	test.Tap(key)
	settle(u)
}

// keyboardOnScreen returns the keyboard shown, or nil.
func keyboardOnScreen(u *Screens, w fyne.Window) fyne.CanvasObject {
	var kb fyne.CanvasObject
	u.mu.Lock()
	walkPlaced(w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, _ fyne.Position) {
		if _, ok := o.(keyed); ok && kb == nil {
			kb = o
		}
	})
	u.mu.Unlock()
	return kb
}

// onScreen reports whether text s is drawn (lines of wrapped text joined).
func onScreen(u *Screens, w fyne.Window, s string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	all := canvasTexts(w.Content())
	return strings.Contains(strings.Join(all, "|"), s) || strings.Contains(strings.Join(all, ""), s) ||
		strings.Contains(strings.Join(all, " "), s) // English wrapped between words
}

// settle lets the redraws that taps queued run.
func settle(u *Screens) {
	deadline := time.Now().Add(5 * time.Second)
	for u.pending.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
}

// waitScreen waits until the screen of state st is drawn.
func waitScreen(t *testing.T, u *Screens, st flow.State) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		u.mu.Lock()
		cur := u.view.State
		u.mu.Unlock()
		if cur == st && u.s.View().State == st {
			settle(u)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("screen %v never drawn; on %v", st, cur)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// offPanel lists what is wrong with the screen on the panel: the window
// grown past the panel, any object drawn outside it, text running past it,
// a scroll container (UX.md: page, never scroll), and a touch button
// smaller than the mode's touch target (UX.md §2).
func offPanel(u *Screens, w fyne.Window, panel fyne.Size) []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	var bad []string
	if cs := w.Canvas().Size(); cs.Width > panel.Width+0.5 || cs.Height > panel.Height+0.5 {
		bad = append(bad, fmt.Sprintf("the window grew to %.0fx%.0f", cs.Width, cs.Height))
	}
	if m := u.body.MinSize(); m.Width > panel.Width+1 || m.Height > panel.Height+1 {
		bad = append(bad, fmt.Sprintf("the screen needs %.0fx%.0f", m.Width, m.Height))
	}
	target := u.sz().target
	walkPlaced(w.Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, p fyne.Position) {
		s := o.Size()
		if s.Width <= 0 || s.Height <= 0 {
			return
		}
		left, right := p.X, p.X+s.Width
		what := fmt.Sprintf("%T", o)
		switch x := o.(type) {
		case *container.Scroll:
			bad = append(bad, "a scroll container")
		case *canvas.Text:
			what = fmt.Sprintf("text %q", x.Text)
			if over := x.MinSize().Width - s.Width; over > 1 {
				switch x.Alignment {
				case fyne.TextAlignCenter:
					left, right = left-over/2, right+over/2
				case fyne.TextAlignTrailing:
					left -= over
				default:
					right += over
				}
			}
		case *touchButton:
			what = fmt.Sprintf("button %q", x.label)
			if s.Width < target-0.5 || s.Height < target-0.5 {
				bad = append(bad, fmt.Sprintf("%s is %.0fx%.0f, under the %.0f px target", what, s.Width, s.Height, target))
			}
		}
		if left < -1 || p.Y < -1 || right > panel.Width+1 || p.Y+s.Height > panel.Height+1 {
			bad = append(bad, fmt.Sprintf("%s at %.0f,%.0f %.0fx%.0f is outside the %.0fx%.0f panel", what, left, p.Y, right-left, s.Height, panel.Width, panel.Height))
		}
	})
	return bad
}
