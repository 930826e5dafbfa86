package widgets

import "fyne.io/fyne/v2"

// fitLine shortens text with "…" until it fits width at size and style.
func fitLine(text string, size float32, style fyne.TextStyle, width float32) string {
	if width <= 0 || fyne.MeasureText(text, size, style).Width <= width {
		return text
	}
	rs := []rune(text)
	for n := len(rs) - 1; n > 0; n-- {
		s := string(rs[:n]) + "…"
		if fyne.MeasureText(s, size, style).Width <= width {
			return s
		}
	}
	return "…"
}
