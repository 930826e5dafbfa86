// Package ui renders the resident session (kiosk/flow) in Fyne: every
// screen of DESIGN.md §3, the staff menu, and the developer-independent
// pieces in its subpackages (theme, keyboard, signpad, widgets). It is the
// only package tree besides assets and cmd/kiosk that imports Fyne.
//
// Screens are rebuilt from the session's latest View on every change, on
// the UI goroutine; keyboards and the signature pad are kept across
// redraws. Layout is computed for the panel: text is wrapped or set smaller
// to the screen's width before layout, keyboards stand beside the fields in
// landscape and below them in portrait, and TestEveryCatalogItemFits fails
// when any item's screen would need more room than the panel has.
//
// Every word a screen shows comes from the message catalog of kiosk/i18n
// (Options.Words), in the session's language: u.t("attract.start"),
// u.t("common.step", map[string]any{"Step": 2, "Total": 4}). Catalog data
// (item names, field labels) and the session's notices are kiosk.Text,
// shown with u.tr. No screen source holds a Chinese string literal
// (TestNoInlineWords), and every ID a screen uses is in both languages
// (TestEveryWordIDExists).
package ui
