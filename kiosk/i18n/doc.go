// Package i18n translates the resident's screens, per session, between
// 简体中文 and English (Fyne's own translation follows the process locale and
// cannot switch at run time). Messages live in locales/zh.json and
// locales/en.json, embedded; the package is the only importer of
// github.com/nicksnyder/go-i18n. One Catalog is loaded at start; each
// session gets a Localizer whose language switches with a tap and resets
// when the session ends.
package i18n
