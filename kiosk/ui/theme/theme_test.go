package theme

import (
	"bytes"
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	fynetheme "fyne.io/fyne/v2/theme"
	"github.com/go-text/typesetting/font"
)

var allModes = []Mode{Normal, Elderly, HighContrast, Elderly | HighContrast}

func TestSizesPerMode(t *testing.T) {
	tests := []struct {
		mode                                  Mode
		body, heading, button, target, gap, k float32
		items                                 int
	}{
		{Normal, 32, 48, 36, 96, 16, 1, 12},
		{Elderly, 48, 64, 48, 120, 24, 1, 6},
		{HighContrast, 32, 48, 36, 96, 16, 1, 12},
		{Elderly | HighContrast, 48, 64, 48, 120, 24, 1, 6},
		{Elderly, 48, 64, 48, 120, 24, 2, 6},
	}
	for _, tt := range tests {
		th := New(tt.mode, EmbeddedFonts()).WithScale(tt.k)
		got := map[fyne.ThemeSizeName]float32{
			fynetheme.SizeNameText:        th.Size(fynetheme.SizeNameText),
			fynetheme.SizeNameHeadingText: th.Size(fynetheme.SizeNameHeadingText),
			SizeNameButtonText:            th.Size(SizeNameButtonText),
			SizeNameTarget:                th.Size(SizeNameTarget),
			SizeNameTargetGap:             th.Size(SizeNameTargetGap),
			fynetheme.SizeNamePadding:     th.Size(fynetheme.SizeNamePadding),
		}
		want := map[fyne.ThemeSizeName]float32{
			fynetheme.SizeNameText:        tt.body * tt.k,
			fynetheme.SizeNameHeadingText: tt.heading * tt.k,
			SizeNameButtonText:            tt.button * tt.k,
			SizeNameTarget:                tt.target * tt.k,
			SizeNameTargetGap:             tt.gap * tt.k,
			fynetheme.SizeNamePadding:     tt.gap * tt.k,
		}
		for n, w := range want {
			if got[n] != w {
				t.Errorf("%v ×%v: %s = %v, want %v", tt.mode, tt.k, n, got[n], w)
			}
		}
		if n := int(th.Size(SizeNameItemsPerPage)); n != tt.items {
			t.Errorf("%v ×%v: items per page = %d, want %d (never scaled)", tt.mode, tt.k, n, tt.items)
		}
	}
}

// TestElderlyMeetsMIIT checks the elderly mode against the MIIT 2021 rules
// scaled to a kiosk (issue 7): main text ≥ 1.5× normal, targets ≥ 90 px.
func TestElderlyMeetsMIIT(t *testing.T) {
	n, e := SizesOf(Normal), SizesOf(Elderly)
	if e.Body < 1.5*n.Body {
		t.Errorf("elderly body %v < 1.5 × normal %v", e.Body, n.Body)
	}
	if e.Target < 90 || n.Target < 90 {
		t.Errorf("targets %v / %v below 90 px", n.Target, e.Target)
	}
	for _, s := range []Sizes{n, e} {
		pitch := s.Body*notoLineHeight + s.LineSpacing()
		if pitch < s.Body*s.LineRatio || s.LineRatio < 1.3 {
			t.Errorf("line pitch %v below %v × %v", pitch, s.LineRatio, s.Body)
		}
	}
}

func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xFFFF
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is the WCAG 2 contrast ratio of two opaque colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func TestUXTableRatios(t *testing.T) {
	tests := []struct {
		fg, bg uint32
		want   float64
	}{
		{BodyText, White, 17.4}, {SecondaryText, White, 8.9}, {White, PrimaryBlue, 7.2},
		{BodyText, PanelGrey, 15.9}, {ErrorRed, White, 6.5}, {SuccessGreen, White, 6.3},
		{WarningBrown, WarningCream, 7.7}, {HCYellow, Black, 14.7}, {White, Black, 21},
		{DisabledText, White, 5.3},
	}
	for _, tt := range tests {
		if got := contrast(RGB(tt.fg), RGB(tt.bg)); math.Abs(got-tt.want) > 0.15 {
			t.Errorf("#%06X on #%06X: ratio %.2f, UX.md says %.1f", tt.fg, tt.bg, got, tt.want)
		}
	}
}

// TestTextContrast checks every pair of colours the kiosk draws text with,
// in every mode, for WCAG 4.5:1.
func TestTextContrast(t *testing.T) {
	pairs := [][2]fyne.ThemeColorName{
		{"foreground", "background"}, {"foreground", "inputBackground"}, {"foreground", "button"},
		{"foreground", "headerBackground"}, {"foreground", "menuBackground"},
		{"foreground", "overlayBackground"}, {"foreground", ColorNamePanel},
		{"foreground", ColorNameKeyboard}, {"foreground", "selection"},
		{"placeholder", "inputBackground"}, {"disabled", "background"}, {"disabled", "disabledButton"},
		{"foregroundOnPrimary", "primary"}, {"primary", "background"}, {"hyperlink", "background"},
		{"error", "background"}, {"foregroundOnError", "error"},
		{"success", "background"}, {"foregroundOnSuccess", "success"},
		{"warning", "background"}, {"foregroundOnWarning", "warning"},
		{ColorNameWarningText, ColorNameWarningBackground},
		{ColorNameSecondaryText, "background"}, {ColorNameSecondaryText, ColorNamePanel},
		{ColorNameHeading, "background"}, {ColorNameInk, ColorNameSignPad},
		{ColorNameSignHint, ColorNameSignPad}, {ColorNameBaseline, ColorNameSignPad},
	}
	for _, m := range allModes {
		th := New(m, EmbeddedFonts())
		for _, p := range pairs {
			fg, bg := th.Color(p[0], 0), th.Color(p[1], 0)
			if r := contrast(fg, bg); r < 4.5 {
				t.Errorf("%v: %s on %s: contrast %.2f < 4.5", m, p[0], p[1], r)
			}
		}
	}
}

func TestModeFlags(t *testing.T) {
	m := Normal.With(Elderly, true).With(HighContrast, true)
	if !m.Has(Elderly) || !m.Has(HighContrast) || m.String() != "elderly+high-contrast" {
		t.Fatalf("mode %v", m)
	}
	if m = m.With(Elderly, false); m != HighContrast || Normal.String() != "normal" {
		t.Fatalf("mode after clearing elderly: %v", m)
	}
	th := New(Elderly, EmbeddedFonts()).WithScale(2).WithMode(Normal)
	if th.Mode() != Normal || th.Size(SizeNameTarget) != 192 {
		t.Fatalf("WithMode lost the scale: target %v", th.Size(SizeNameTarget))
	}
}

// TestEmbeddedFontHasUIGlyphs proves the embedded CFF faces parse with the
// same parser Fyne uses (go-text) and carry the glyphs of the UI, so text is
// drawn from them and not from whatever the machine has installed.
func TestEmbeddedFontHasUIGlyphs(t *testing.T) {
	fonts := EmbeddedFonts()
	for _, r := range []fyne.Resource{fonts.Regular, fonts.Bold} {
		f, err := font.ParseTTF(bytes.NewReader(r.Content()))
		if err != nil {
			t.Fatalf("%s: %v", r.Name(), err)
		}
		for _, c := range "老年综合津贴开始办理长者模式已受理请取走回执和身份证第步共ABCxyz0123456789，。？！" {
			if _, ok := f.NominalGlyph(c); !ok {
				t.Errorf("%s has no glyph for %q", r.Name(), c)
			}
		}
	}
}
