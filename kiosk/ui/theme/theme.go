package theme

import (
	"image/color"

	"fyne.io/fyne/v2"
	fynetheme "fyne.io/fyne/v2/theme"

	"github.com/tongban/tongban/assets"
)

// Fonts are the faces the theme draws all text with.
type Fonts struct {
	Regular fyne.Resource
	Bold    fyne.Resource
}

// EmbeddedFonts returns the embedded Noto Sans SC GB2312 subset, so screens
// and golden images look the same on every machine. Characters outside the
// subset (rare name characters) fall back to the system's CJK fonts.
func EmbeddedFonts() Fonts {
	return Fonts{Regular: assets.RegularResource(), Bold: assets.BoldResource()}
}

// Theme is the kiosk's fyne.Theme for one Mode. It is immutable: switch looks
// with WithMode and App.Settings().SetTheme, which refreshes every window.
type Theme struct {
	mode   Mode
	fonts  Fonts
	scale  float32
	sizes  Sizes
	colors map[fyne.ThemeColorName]color.NRGBA
}

var _ fyne.Theme = (*Theme)(nil)

// New returns the theme of mode m drawn with fonts, at scale 1. A nil face
// in fonts falls back to the other face, then to Fyne's default font.
func New(m Mode, fonts Fonts) *Theme {
	if fonts.Regular == nil {
		fonts.Regular = fonts.Bold
	}
	if fonts.Bold == nil {
		fonts.Bold = fonts.Regular
	}
	return &Theme{mode: m, fonts: fonts, scale: 1, sizes: SizesOf(m), colors: palette(m)}
}

// WithMode returns the same theme in mode m.
func (t *Theme) WithMode(m Mode) *Theme {
	n := New(m, t.fonts)
	n.scale = t.scale
	return n
}

// WithScale returns the theme with every length multiplied by k, for a
// panel whose pixel density differs from a 1080p one (e.g. 2 on a 4K panel
// when FYNE_SCALE cannot be set). Values ≤ 0 mean 1.
func (t *Theme) WithScale(k float32) *Theme {
	if k <= 0 {
		k = 1
	}
	n := New(t.mode, t.fonts)
	n.scale = k
	return n
}

// Mode returns the theme's mode.
func (t *Theme) Mode() Mode { return t.mode }

// Sizes returns the theme's sizes at scale 1.
func (t *Theme) Sizes() Sizes { return t.sizes }

// Color implements fyne.Theme. The variant is ignored: the kiosk's looks
// are chosen by Mode, never by the desktop's light or dark preference.
func (t *Theme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if c, ok := t.colors[n]; ok {
		return c
	}
	return fynetheme.DefaultTheme().Color(n, v)
}

// Font implements fyne.Theme: bold text uses the bold face, everything else
// (monospace included, which must show CJK too) the regular face.
func (t *Theme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Symbol {
		return fynetheme.DefaultSymbolFont()
	}
	f := t.fonts.Regular
	if s.Bold {
		f = t.fonts.Bold
	}
	if f == nil {
		return fynetheme.DefaultTheme().Font(s)
	}
	return f
}

// Icon implements fyne.Theme with Fyne's icons, coloured by this theme.
func (t *Theme) Icon(n fyne.ThemeIconName) fyne.Resource {
	return fynetheme.DefaultTheme().Icon(n)
}

// Size implements fyne.Theme.
func (t *Theme) Size(n fyne.ThemeSizeName) float32 {
	if v, ok := t.sizes.size(n, t.scale); ok {
		return v
	}
	return fynetheme.DefaultTheme().Size(n) * t.scale
}
