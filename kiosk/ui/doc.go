// Package ui renders the resident session in Fyne: every screen, the theme, the on-screen keyboards. It is the only package tree besides assets and cmd/kiosk that imports Fyne.
//
// Every word a screen shows comes from the message catalog of kiosk/i18n
// (Options.Words), in the session's language: u.t("attract.start"),
// u.t("common.step", map[string]any{"Step": 2, "Total": 4}). Catalog data
// (item names, field labels) and the session's notices are kiosk.Text,
// shown with u.tr. No screen source holds a Chinese string literal
// (TestNoInlineWords), and every ID a screen uses is in both languages
// (TestEveryWordIDExists).
package ui
