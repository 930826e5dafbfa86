package theme

import (
	"math"

	"fyne.io/fyne/v2"
)

// Sizes the kiosk adds to Fyne's own size names. Widgets read them with
// fyne/theme.SizeForWidget(name, w), which also sees theme overrides.
const (
	// SizeNameButtonText is the label size of buttons and keyboard keys.
	SizeNameButtonText fyne.ThemeSizeName = "tongban.buttonText"
	// SizeNameTarget is the smallest width and height of anything touchable.
	SizeNameTarget fyne.ThemeSizeName = "tongban.target"
	// SizeNameTargetGap is the smallest space between two touch targets.
	SizeNameTargetGap fyne.ThemeSizeName = "tongban.targetGap"
	// SizeNameItemsPerPage is a count, not a length: how many tiles (or
	// pinyin candidates) a page shows. It is never scaled.
	SizeNameItemsPerPage fyne.ThemeSizeName = "tongban.itemsPerPage"
)

// notoLineHeight is the natural line height of Noto Sans CJK in em
// (hhea ascender 1160 + descender 288 over 1000 units per em). Fyne lays out
// lines at the font's line height plus the theme's line spacing.
const notoLineHeight = 1.448

// Sizes are the dimensions of one mode, in pixels at scale 1 on a 1080p panel
// (UX.md §2).
type Sizes struct {
	Body       float32 // body text
	Heading    float32 // headings, bold
	SubHeading float32 // section titles
	Caption    float32 // secondary lines (still ≥ MIIT's 18 pt minimum)
	Button     float32 // button and key labels
	LineRatio  float32 // line pitch as a multiple of the body size
	Target     float32 // touch target, minimum width and height
	Gap        float32 // space between targets, minimum
	// ItemsPerPage is how many tiles a browse page shows.
	ItemsPerPage int
}

// SizesOf returns the sizes of mode m at scale 1. High contrast does not
// change sizes.
func SizesOf(m Mode) Sizes {
	if m.Has(Elderly) {
		return Sizes{Body: 48, Heading: 64, SubHeading: 56, Caption: 40, Button: 48,
			LineRatio: 1.5, Target: 120, Gap: 24, ItemsPerPage: 6}
	}
	return Sizes{Body: 32, Heading: 48, SubHeading: 40, Caption: 26, Button: 36,
		LineRatio: 1.4, Target: 96, Gap: 16, ItemsPerPage: 12}
}

// LineSpacing is the space Fyne must add between lines so that the line
// pitch is at least LineRatio × Body (never less than 4).
func (s Sizes) LineSpacing() float32 {
	extra := s.Body * (s.LineRatio - notoLineHeight)
	return float32(math.Max(4, math.Ceil(float64(extra))))
}

// size answers Theme.Size for mode sizes s at scale k; ok is false for
// names the kiosk leaves to Fyne's defaults.
func (s Sizes) size(n fyne.ThemeSizeName, k float32) (v float32, ok bool) {
	switch n {
	case SizeNameItemsPerPage:
		return float32(s.ItemsPerPage), true
	case SizeNameButtonText:
		v = s.Button
	case SizeNameTarget:
		v = s.Target
	case SizeNameTargetGap:
		v = s.Gap
	case "text":
		v = s.Body
	case "headingText":
		v = s.Heading
	case "subHeadingText":
		v = s.SubHeading
	case "helperText":
		v = s.Caption
	case "lineSpacing":
		v = s.LineSpacing()
	case "padding":
		v = s.Gap // Fyne's layouts put one padding between objects
	case "innerPadding":
		v = s.Gap
	case "iconInline":
		v = s.Body
	case "inputBorder", "separator":
		v = 2
	case "inputRadius", "selectionRadius":
		v = 8
	case "scrollBar":
		v = s.Gap * 2 // no scroll bar thinner than a finger
	case "scrollBarSmall":
		v = s.Gap
	case "scrollBarRadius":
		v = s.Gap
	default:
		return 0, false
	}
	return v * k, true
}
