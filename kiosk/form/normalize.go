package form

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// fold turns full-width ASCII (as some input methods type it: "１３８",
// "Ｘ") into half-width, the ideographic space into a space, and trims the
// ends. Everything else is left as typed.
func fold(s string) string {
	if isPlainASCII(s) {
		return strings.TrimSpace(s)
	}
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s))
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// stripSeparators removes the spaces and dashes people put in long numbers
// ("138 0013 8000", "6222-0200-...").
func stripSeparators(s string) string {
	if !strings.ContainsAny(s, " -\t") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, s)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// printable reports whether s is valid UTF-8 without control or format
// characters, i.e. something the screen and the printer can show.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return false
		}
	}
	return true
}
