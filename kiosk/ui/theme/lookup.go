package theme

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	fynetheme "fyne.io/fyne/v2/theme"
)

// SizeFor returns size n of the theme drawing w (theme overrides included).
// Under a theme that does not know the kiosk's size names (a test theme, say)
// it returns the normal mode's value, so a kiosk widget never collapses to 0.
func SizeFor(n fyne.ThemeSizeName, w fyne.Widget) float32 {
	if v := fynetheme.SizeForWidget(n, w); v > 0 {
		return v
	}
	v, _ := SizesOf(Normal).size(n, 1)
	return v
}

// ColorFor returns colour n of the theme drawing w, falling back to the
// normal palette for the kiosk's own names.
func ColorFor(n fyne.ThemeColorName, w fyne.Widget) color.Color {
	// A theme that does not know the name may answer nil (Fyne's test
	// theme, when a page is drawn from a goroutine after its app changed):
	// the normal palette then, never a nil colour to draw with.
	c := fynetheme.ColorForWidget(n, w)
	if c == nil {
		if p, ok := palette(Normal)[n]; ok {
			return p
		}
		return color.Transparent
	}
	if _, _, _, a := c.RGBA(); a > 0 || !strings.HasPrefix(string(n), "tongban.") {
		return c
	}
	return palette(Normal)[n]
}

// ItemsPerPage returns how many tiles or candidates a page shows for w.
func ItemsPerPage(w fyne.Widget) int {
	return int(SizeFor(SizeNameItemsPerPage, w))
}
