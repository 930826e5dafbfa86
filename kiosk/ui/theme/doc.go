// Package theme is the kiosk's fyne.Theme (UX.md §2–3): sizes, colours and
// the embedded CJK font, in three looks that combine — normal, 长者模式
// (Elderly: larger text and touch targets) and high contrast (yellow and white
// on black). A Mode value selects the look; New builds the theme, and
// switching at run time is App.Settings().SetTheme(t.WithMode(m)).
//
// All sizes are pixels at scale 1 on a 1080p panel (UX.md §2), held in Fyne's
// device-independent units, so one scale setting (Options.Scale, or the
// FYNE_SCALE environment variable) adapts every screen to the panel.
package theme
