package ui

import (
	"image/color"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// wrapLines breaks s into lines no wider than width at the given size:
// Chinese anywhere between characters, Latin words whole where they fit
// (a hyphenated compound may break after its hyphen),
// closing punctuation never at the start of a line. Explicit newlines are
// kept.
func wrapLines(s string, size, width float32, style fyne.TextStyle) []string {
	var out []string
	// Each glyph is measured once; a line's width is then the sum of its
	// glyphs' (checked once by measuring the line as a whole).
	glyph := map[rune]float32{}
	for _, para := range strings.Split(s, "\n") {
		runes := []rune(para)
		start := 0
		for start < len(runes) {
			end := start + 1
			lastBreak := -1
			sum := float32(0)
			for end <= len(runes) {
				r := runes[end-1]
				w, ok := glyph[r]
				if !ok {
					w = fyne.MeasureText(string(r), size, style).Width
					glyph[r] = w
				}
				if sum+w > width {
					break
				}
				sum += w
				if end < len(runes) && breakAfter(runes[end-1], runes[end]) {
					lastBreak = end
				}
				end++
			}
			end-- // the longest prefix that fits
			for end > start+1 && fyne.MeasureText(string(runes[start:end]), size, style).Width > width {
				end-- // kerning made the sum too small
			}
			switch {
			case end >= len(runes):
				end = len(runes)
			case end <= start:
				end = start + 1 // a single glyph wider than the line
			case lastBreak > start && lastBreak <= end && !breakAfter(runes[end-1], runes[end]):
				end = lastBreak
			}
			out = append(out, strings.TrimRightFunc(string(runes[start:end]), unicode.IsSpace))
			start = end
			for start < len(runes) && runes[start] == ' ' {
				start++
			}
		}
		if len(runes) == 0 {
			out = append(out, "")
		}
	}
	return out
}

// breakAfter reports whether a line may break between a and b.
func breakAfter(a, b rune) bool {
	if strings.ContainsRune("，。、；：？！）》」』”’,.;:?!)", b) {
		return false // closing punctuation stays with what it closes
	}
	if strings.ContainsRune("（《「『“‘(", a) {
		return false
	}
	if a == ' ' {
		return true
	}
	if a == '-' && unicode.IsLetter(b) {
		return true // a long English compound: Medical- / insurance
	}
	return a > unicode.MaxLatin1 || b > unicode.MaxLatin1 // around CJK
}

// wrapped is text broken into lines for width, as a column of texts: its
// size is known before layout, so screens never overflow their panel.
func (u *Screens) wrapped(s string, size float32, c color.Color, bold bool, width float32) fyne.CanvasObject {
	style := fyne.TextStyle{Bold: bold}
	box := container.NewVBox()
	for _, line := range wrapLines(s, size, width, style) {
		t := canvas.NewText(line, c)
		t.TextSize, t.TextStyle = size, style
		box.Add(t)
	}
	return box
}

// textWidth is the width body text may use on the resident's screen.
func (u *Screens) textWidth() float32 {
	return u.screenSize().Width - 6*u.sz().gap
}
