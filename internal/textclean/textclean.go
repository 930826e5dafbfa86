package textclean

import "strings"

// Strip returns s without control and bidirectional formatting
// characters. Tab, line feed and carriage return become a space, so words
// they separated stay apart; the others are removed. Text without any is
// returned as is, without copying.
func Strip(s string) string {
	if !Has(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case bad(r):
			return -1
		}
		return r
	}, s)
}

// Has reports whether s holds a character Strip removes or replaces.
func Has(s string) bool {
	for _, r := range s {
		if bad(r) {
			return true
		}
	}
	return false
}

func bad(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7F && r <= 0x9F: // C0, DEL, C1
		return true
	case r >= 0x202A && r <= 0x202E: // LRE, RLE, PDF, LRO, RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI, RLI, FSI, PDI
		return true
	case r == 0x200E, r == 0x200F, r == 0x061C: // LRM, RLM, ALM
		return true
	}
	return false
}
