package pinyin

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// keyboardTable maps a toneless syllable to its characters, commonest first.
// It is computed once on first use and never changed afterwards.
var keyboardTable = sync.OnceValue(buildKeyboardTable)

// Candidates returns the characters read as syllable (toneless; ü may be
// typed as v or u:), GB2312 level 1 before level 2, for the on-screen pinyin
// keyboard. The caller may keep and change the returned slice.
func Candidates(syllable string) []rune {
	s := strings.ToLower(strings.TrimSpace(syllable))
	s = strings.ReplaceAll(s, "u:", "v")
	s = strings.ReplaceAll(s, "ü", "v")
	rs := keyboardTable()[s]
	out := make([]rune, len(rs))
	copy(out, rs)
	return out
}

// buildKeyboardTable walks the GB2312 chart: rows 0xB0–0xD7 are level 1
// (sorted by reading in the standard), rows 0xD8–0xF7 level 2.
func buildKeyboardTable() map[string][]rune {
	var raw []byte
	for hi := 0xB0; hi <= 0xF7; hi++ {
		for lo := 0xA1; lo <= 0xFE; lo++ {
			raw = append(raw, byte(hi), byte(lo))
		}
	}
	decoded, err := simplifiedchinese.GBK.NewDecoder().Bytes(raw)
	table := make(map[string][]rune, 420)
	if err != nil {
		return table
	}
	for _, r := range string(decoded) {
		if !unicode.Is(unicode.Han, r) {
			continue
		}
		for _, syl := range Readings(r) {
			table[syl] = append(table[syl], r)
		}
	}
	return table
}
