// Package widgets holds the kiosk's touch widgets shared by every screen: a
// big button no smaller than the theme's touch target, a tile for a service
// item (with a greyed state that says why), a step indicator and the content
// of the idle-countdown overlay. They take their sizes and colours from
// package theme, so 长者模式 and high contrast apply without code changes.
package widgets
