package theme

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// silentTheme answers nil for every colour, as Fyne's test theme can for
// a name it does not know.
type silentTheme struct{ fyne.Theme }

func (silentTheme) Color(fyne.ThemeColorName, fyne.ThemeVariant) color.Color { return nil }

// TestColorForNeverNil: a kiosk button drawn from a goroutine under a
// theme that answers nil panicked in cmd/kiosk's tests (a nil colour's
// RGBA); ColorFor now falls back to the normal palette.
func TestColorForNeverNil(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(silentTheme{a.Settings().Theme()})
	w := widget.NewLabel("x")
	for _, n := range []fyne.ThemeColorName{"tongban.buttonBorder", "background"} {
		c := ColorFor(n, w)
		if c == nil {
			t.Fatalf("%s: nil colour", n)
		}
		c.RGBA() // must not panic
	}
	if got, want := ColorFor("tongban.buttonBorder", w), palette(Normal)["tongban.buttonBorder"]; got != want {
		t.Errorf("tongban.buttonBorder = %v, want the normal palette's %v", got, want)
	}
}
