// Package widgets holds the kiosk's touch button, no smaller than the
// theme's touch target, that the on-screen keyboards are made of. It takes
// its sizes and colours from package theme, so 长者模式 and high contrast
// apply without code changes. (The screens' tiles, step indicator and
// countdown live in kiosk/ui.)
package widgets
