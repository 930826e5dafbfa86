package theme

import (
	"image/color"

	"fyne.io/fyne/v2"
)

// Colours of UX.md §3 as 0xRRGGBB. Every text pair is checked for a WCAG
// contrast ratio of at least 4.5:1 by TestTextContrast.
const (
	White         = 0xFFFFFF
	Black         = 0x000000
	BodyText      = 0x1A1A1A // body text on white: 17.4
	SecondaryText = 0x4A4A4A // secondary text on white: 8.9
	PrimaryBlue   = 0x0B57A4 // primary button, white text: 7.2
	PanelGrey     = 0xF2F5F9 // panels, body text on it: 15.9
	ButtonFill    = 0xDCE4EE // secondary buttons and keys, body text on it
	ErrorRed      = 0xB3261E // error text on white: 6.5
	SuccessGreen  = 0x1B6E2F // success text on white: 6.3
	WarningBrown  = 0x6B4500 // warning text on WarningCream: 7.7
	WarningCream  = 0xFFF4D6
	DisabledText  = 0x6B6B6B // greyed text, still 5.3 on white
	DisabledFill  = 0xF2F2F2
	Placeholder   = 0x5E5E5E
	SelectionBlue = 0xBBD3EE
	SeparatorGrey = 0xC4CCD6
	BaselineGrey  = 0x6B6B6B // the signature pad's baseline

	HCYellow      = 0xFFD400 // high contrast: headings, primary buttons, focus (14.7 on black)
	HCDarkFill    = 0x1A1A1A // high contrast: panels and secondary buttons
	HCDisabled    = 0xBDBDBD
	HCDisabledBox = 0x262626
	HCError       = 0xFF8A80
	HCSuccess     = 0x69F0AE
	HCSelection   = 0x00429E
)

// Colour names the kiosk adds to Fyne's.
const (
	ColorNameSecondaryText     fyne.ThemeColorName = "tongban.secondaryText"
	ColorNameHeading           fyne.ThemeColorName = "tongban.heading"
	ColorNamePanel             fyne.ThemeColorName = "tongban.panel"
	ColorNameWarningBackground fyne.ThemeColorName = "tongban.warningBackground"
	ColorNameWarningText       fyne.ThemeColorName = "tongban.warningText"
	ColorNameButtonBorder      fyne.ThemeColorName = "tongban.buttonBorder"
	ColorNameKeyboard          fyne.ThemeColorName = "tongban.keyboard"
	ColorNameSignPad           fyne.ThemeColorName = "tongban.signPad"
	ColorNameInk               fyne.ThemeColorName = "tongban.ink"
	ColorNameBaseline          fyne.ThemeColorName = "tongban.baseline"
	ColorNameSignHint          fyne.ThemeColorName = "tongban.signHint" // words on the white pad
)

// RGB turns 0xRRGGBB into an opaque colour.
func RGB(hex uint32) color.NRGBA {
	return color.NRGBA{R: uint8(hex >> 16), G: uint8(hex >> 8), B: uint8(hex), A: 0xFF}
}

func rgba(hex uint32, a uint8) color.NRGBA {
	c := RGB(hex)
	c.A = a
	return c
}

// palette returns the colour table of a mode. Elderly mode keeps the
// normal colours (they already exceed 4.5:1); high contrast replaces them.
func palette(m Mode) map[fyne.ThemeColorName]color.NRGBA {
	if m.Has(HighContrast) {
		return map[fyne.ThemeColorName]color.NRGBA{
			"background":               RGB(Black),
			"foreground":               RGB(White),
			"primary":                  RGB(HCYellow),
			"foregroundOnPrimary":      RGB(Black),
			"button":                   RGB(HCDarkFill),
			"disabled":                 RGB(HCDisabled),
			"disabledButton":           RGB(HCDisabledBox),
			"error":                    RGB(HCError),
			"foregroundOnError":        RGB(Black),
			"success":                  RGB(HCSuccess),
			"foregroundOnSuccess":      RGB(Black),
			"warning":                  RGB(HCYellow),
			"foregroundOnWarning":      RGB(Black),
			"inputBackground":          RGB(Black),
			"inputBorder":              RGB(White),
			"placeholder":              RGB(HCDisabled),
			"focus":                    RGB(HCYellow),
			"selection":                RGB(HCSelection),
			"separator":                RGB(White),
			"pressed":                  rgba(HCYellow, 0x66),
			"hover":                    rgba(HCYellow, 0x33),
			"shadow":                   rgba(Black, 0),
			"scrollBar":                RGB(HCYellow),
			"scrollBarBackground":      RGB(HCDarkFill),
			"headerBackground":         RGB(HCDarkFill),
			"menuBackground":           RGB(Black),
			"overlayBackground":        RGB(Black),
			"hyperlink":                RGB(HCYellow),
			ColorNameSecondaryText:     RGB(White),
			ColorNameHeading:           RGB(HCYellow),
			ColorNamePanel:             RGB(HCDarkFill),
			ColorNameWarningBackground: RGB(Black),
			ColorNameWarningText:       RGB(HCYellow),
			ColorNameButtonBorder:      RGB(HCYellow),
			ColorNameKeyboard:          RGB(Black),
			ColorNameSignPad:           RGB(White),
			ColorNameInk:               RGB(Black),
			ColorNameBaseline:          RGB(BaselineGrey),
			ColorNameSignHint:          RGB(SecondaryText),
		}
	}
	return map[fyne.ThemeColorName]color.NRGBA{
		"background":               RGB(White),
		"foreground":               RGB(BodyText),
		"primary":                  RGB(PrimaryBlue),
		"foregroundOnPrimary":      RGB(White),
		"button":                   RGB(ButtonFill),
		"disabled":                 RGB(DisabledText),
		"disabledButton":           RGB(DisabledFill),
		"error":                    RGB(ErrorRed),
		"foregroundOnError":        RGB(White),
		"success":                  RGB(SuccessGreen),
		"foregroundOnSuccess":      RGB(White),
		"warning":                  RGB(WarningBrown),
		"foregroundOnWarning":      RGB(White),
		"inputBackground":          RGB(White),
		"inputBorder":              RGB(SecondaryText),
		"placeholder":              RGB(Placeholder),
		"focus":                    RGB(PrimaryBlue),
		"selection":                RGB(SelectionBlue),
		"separator":                RGB(SeparatorGrey),
		"pressed":                  rgba(PrimaryBlue, 0x40),
		"hover":                    rgba(PrimaryBlue, 0x1A),
		"shadow":                   rgba(Black, 0x33),
		"scrollBar":                RGB(SecondaryText),
		"scrollBarBackground":      RGB(PanelGrey),
		"headerBackground":         RGB(PanelGrey),
		"menuBackground":           RGB(White),
		"overlayBackground":        RGB(White),
		"hyperlink":                RGB(PrimaryBlue),
		ColorNameSecondaryText:     RGB(SecondaryText),
		ColorNameHeading:           RGB(BodyText),
		ColorNamePanel:             RGB(PanelGrey),
		ColorNameWarningBackground: RGB(WarningCream),
		ColorNameWarningText:       RGB(WarningBrown),
		ColorNameButtonBorder:      RGB(PrimaryBlue),
		ColorNameKeyboard:          RGB(PanelGrey),
		ColorNameSignPad:           RGB(White),
		ColorNameInk:               RGB(Black),
		ColorNameBaseline:          RGB(BaselineGrey),
		ColorNameSignHint:          RGB(SecondaryText),
	}
}
