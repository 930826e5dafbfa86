package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/tongban/tongban/assets"
)

// kioskTheme is the screens' theme: the embedded CJK font, UX.md colours and
// the sizes of the normal or elderly mode.
type kioskTheme struct {
	sz            sizes
	regular, bold fyne.Resource
}

func newKioskTheme(sz sizes) *kioskTheme {
	return &kioskTheme{sz: sz, regular: assets.RegularResource(), bold: assets.BoldResource()}
}

func (t *kioskTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameOverlayBackground, theme.ColorNameMenuBackground:
		return colBackground
	case theme.ColorNameForeground:
		return colText
	case theme.ColorNamePrimary, theme.ColorNameFocus:
		return colPrimary
	case theme.ColorNameButton:
		return colPanel
	case theme.ColorNameDisabled, theme.ColorNamePlaceHolder:
		return colDisabled
	case theme.ColorNameError, colorError:
		return colError
	case colorOK, theme.ColorNameSuccess:
		return colSuccess
	case colorSecond:
		return colSecondary
	case colorWarn:
		return colWarnText
	case theme.ColorNameInputBorder, theme.ColorNameSeparator:
		return colBorder
	}
	return theme.DefaultTheme().Color(n, theme.VariantLight)
}

func (t *kioskTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Bold {
		return t.bold
	}
	return t.regular
}

func (t *kioskTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (t *kioskTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case sizeBody, theme.SizeNameText:
		return t.sz.body
	case sizeHeading, theme.SizeNameHeadingText:
		return t.sz.heading
	case theme.SizeNameSubHeadingText:
		return t.sz.button
	case theme.SizeNamePadding:
		return t.sz.gap / 2
	case theme.SizeNameInnerPadding:
		return t.sz.gap
	case theme.SizeNameLineSpacing:
		return t.sz.body * 0.4
	case theme.SizeNameScrollBar:
		return 24
	case theme.SizeNameInputBorder:
		return 3
	}
	return theme.DefaultTheme().Size(n)
}
