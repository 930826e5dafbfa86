package escpos

import (
	"strings"
	"unicode"
)

// RuneColumns is how many font-A columns r takes on a printer in Chinese
// mode: one for a single-byte (ASCII) character, two for anything GB18030
// encodes in two or four bytes. Control characters take none.
func RuneColumns(r rune) int {
	switch {
	case r < 0x20 || r == 0x7F:
		return 0
	case r < 0x80:
		return 1
	default:
		return 2
	}
}

// Columns is the printed width of s in font-A columns.
func Columns(s string) int {
	n := 0
	for _, r := range s {
		n += RuneColumns(r)
	}
	return n
}

// Pad returns s with spaces added so it takes exactly cols columns,
// aligned as a says. A string wider than cols is returned unchanged.
func Pad(s string, cols int, a Align) string {
	gap := cols - Columns(s)
	if gap <= 0 {
		return s
	}
	switch a {
	case AlignRight:
		return strings.Repeat(" ", gap) + s
	case AlignCenter:
		return strings.Repeat(" ", gap/2) + s + strings.Repeat(" ", gap-gap/2)
	default:
		return s + strings.Repeat(" ", gap)
	}
}

// noLineStart are closing punctuation marks that must not begin a line
// (行首禁则); Wrap carries the previous character down with them.
const noLineStart = "，。、；：？！）》」』】”’,.;:?!)]}%"

// Wrap breaks s into lines of at most cols columns. Chinese text may break
// between any two characters; Latin words break at spaces when they can,
// and a word longer than a line is cut. Closing punctuation never starts a
// line. Newlines in s start new lines. cols < 2 is treated as 2.
func Wrap(s string, cols int) []string {
	cols = max(cols, 2)
	var out []string
	for _, para := range strings.Split(s, "\n") {
		out = append(out, wrapParagraph([]rune(strings.TrimRight(para, " ")), cols)...)
	}
	return out
}

func wrapParagraph(rs []rune, cols int) []string {
	var lines []string
	for len(rs) > 0 {
		width, end := 0, 0
		for end < len(rs) && width+RuneColumns(rs[end]) <= cols {
			width += RuneColumns(rs[end])
			end++
		}
		if end == len(rs) {
			lines = append(lines, string(rs))
			break
		}
		cut := end
		// Latin word: go back to the last space, if the line keeps something.
		if isWordRune(rs[end]) && isWordRune(rs[end-1]) {
			for i := end - 1; i > 0; i-- {
				if rs[i] == ' ' {
					cut = i
					break
				}
				if !isWordRune(rs[i]) {
					cut = i + 1
					break
				}
			}
		}
		// Closing punctuation: take the previous character down with it.
		if cut == end && strings.ContainsRune(noLineStart, rs[cut]) && cut > 1 {
			cut--
		}
		lines = append(lines, strings.TrimRight(string(rs[:cut]), " "))
		rs = rs[cut:]
		for len(rs) > 0 && rs[0] == ' ' {
			rs = rs[1:]
		}
	}
	if len(lines) == 0 {
		lines = []string{""}
	}
	return lines
}

// isWordRune reports whether r belongs to a Latin word or number, which
// should not be split across lines.
func isWordRune(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '/' || r == '.' || r == '\'' || r == '@' || r == '_')
}

// LongestWord is the width in columns of the longest run of s that Wrap
// keeps whole (a Latin word or number).
func LongestWord(s string) int {
	longest, run := 0, 0
	for _, r := range s {
		if isWordRune(r) {
			run += RuneColumns(r)
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}
