// Package i18n holds every word the program itself says to a resident,
// and translates them, per session, between 简体中文 and English (Fyne's own
// translation follows the process locale and cannot switch at run time).
// Messages live in locales/zh.json and locales/en.json, embedded; the
// package is the only importer of github.com/nicksnyder/go-i18n. One
// Catalog is loaded at start; each session gets a Localizer whose language
// switches with a tap and resets when the session ends.
//
// Code below the screens never holds the words: an error or a notice
// carries a message by reference, kiosk.Msg("id", "Field", value...), and
// the screens (Localizer.Text), the receipt layout (Catalog.Text) and the
// voice translate it. Text that is bilingual by nature (the services
// catalog, the back office's answers) stays data. The tests in
// source_test.go keep it so: no Han character in a Go string literal
// outside a commented allowlist, and every kiosk.Msg names a message of
// both languages with exactly the fields its words use.
package i18n
