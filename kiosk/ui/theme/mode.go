package theme

import "strings"

// Mode selects the look of the screens. Its flags combine: a resident may
// want 长者模式 and high contrast at once. The zero Mode is the normal look.
type Mode uint8

// Mode flags.
const (
	Normal       Mode = 0
	Elderly      Mode = 1 << 0 // 长者模式: larger text and targets, fewer items per page
	HighContrast Mode = 1 << 1 // yellow and white on black
)

// Has reports whether m includes every flag of f.
func (m Mode) Has(f Mode) bool { return m&f == f }

// With returns m with f switched on or off.
func (m Mode) With(f Mode, on bool) Mode {
	if on {
		return m | f
	}
	return m &^ f
}

// String names the mode for logs and test names, e.g. "elderly+high-contrast".
func (m Mode) String() string {
	if m == Normal {
		return "normal"
	}
	var parts []string
	if m.Has(Elderly) {
		parts = append(parts, "elderly")
	}
	if m.Has(HighContrast) {
		parts = append(parts, "high-contrast")
	}
	return strings.Join(parts, "+")
}
