package pinyin

import (
	"bufio"
	_ "embed"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/encoding/simplifiedchinese"
)

//go:generate go run ./internal/freqgen -out freq.txt

// freqData is the character and word frequency table (see freq.txt's
// header: jieba's dictionary, MIT licence).
//
//go:embed freq.txt
var freqData string

// table is what the keyboard looks up; built once on first use and never
// changed afterwards.
type table struct {
	chars map[string][]rune   // syllable → characters, commonest first
	words map[string][]string // the pinyin of a word, run together → words, commonest first
	freq  map[rune]int64      // a character's frequency in the counted corpus
}

var keyboardTable = sync.OnceValue(buildKeyboardTable)

// normalize lower-cases a spelling and writes ü (or u:) as v.
func normalize(spelling string) string {
	s := strings.ToLower(strings.TrimSpace(spelling))
	s = strings.ReplaceAll(s, "u:", "v")
	return strings.ReplaceAll(s, "ü", "v")
}

// Candidates returns the characters read as syllable (toneless; ü may be
// typed as v or u:), the most frequent first. The caller may keep and
// change the returned slice.
func Candidates(syllable string) []rune {
	rs := keyboardTable().chars[normalize(syllable)]
	out := make([]rune, len(rs))
	copy(out, rs)
	return out
}

// Suggestions returns what a pinyin spelling may stand for, for the
// on-screen keyboard: the words spelled by all of it (yibai: 一百), the most
// frequent first, then the characters of its first syllable (yi: 一, 以 …).
// Choosing a character leaves the rest of the spelling to choose (Rest).
func Suggestions(spelling string) []string {
	t := keyboardTable()
	s := normalize(spelling)
	seg := t.segment(s)
	if len(seg) == 0 {
		return nil
	}
	var out []string
	if len(seg) > 1 {
		out = append(out, t.words[s]...)
	}
	for _, r := range t.chars[seg[0]] {
		out = append(out, string(r))
	}
	if len(seg) == 1 {
		out = append(out, t.words[s]...) // xian: 先, 现 … then 西安
	}
	return out
}

// Rest is what remains of spelling after chosen (one of its Suggestions) is
// typed: the syllables after as many as chosen has characters.
func Rest(spelling, chosen string) string {
	seg := keyboardTable().segment(normalize(spelling))
	n := len([]rune(chosen))
	if n >= len(seg) {
		return ""
	}
	return strings.Join(seg[n:], "")
}

// segment splits a spelling into syllables, as few as possible; a last
// part that is only the start of a syllable is kept as it is. Nil when the
// spelling cannot be read as pinyin.
func (t *table) segment(s string) []string {
	if s == "" {
		return nil
	}
	// best[i] is the fewest syllables spelling s[i:], -1 when none does.
	n := len(s)
	best := make([]int, n+1)
	next := make([]int, n+1)
	for i := n - 1; i >= 0; i-- {
		best[i] = -1
		for j := min(n, i+6); j > i; j-- {
			if _, ok := t.chars[s[i:j]]; !ok {
				continue
			}
			if best[j] >= 0 && (best[i] < 0 || best[j]+1 < best[i]) {
				best[i], next[i] = best[j]+1, j
			}
		}
	}
	if best[0] < 0 {
		// Keep the longest readable start; the rest waits for more letters.
		for end := n - 1; end > 0; end-- {
			if head := t.segment(s[:end]); head != nil {
				return head
			}
		}
		return nil
	}
	var out []string
	for i := 0; i < n; i = next[i] {
		out = append(out, s[i:next[i]])
	}
	return out
}

// buildKeyboardTable reads the GB2312 chart's characters (levels 1 and 2),
// orders each syllable's characters by frequency (a character the table
// has no count for keeps its chart order after the counted ones), and
// indexes the words by every reading their characters have.
func buildKeyboardTable() *table {
	t := &table{chars: make(map[string][]rune, 420), words: map[string][]string{}, freq: map[rune]int64{}}
	sc := bufio.NewScanner(strings.NewReader(freqData))
	type word struct {
		text string
		freq int64
	}
	var words []word
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 3 {
			continue
		}
		switch f[0] {
		case "c":
			if r := []rune(f[1]); len(r) == 1 {
				t.freq[r[0]], _ = strconv.ParseInt(f[2], 10, 64)
			}
		case "w":
			n, _ := strconv.ParseInt(f[2], 10, 64)
			words = append(words, word{f[1], n})
		}
	}
	var raw []byte
	for hi := 0xB0; hi <= 0xF7; hi++ {
		for lo := 0xA1; lo <= 0xFE; lo++ {
			raw = append(raw, byte(hi), byte(lo))
		}
	}
	decoded, err := simplifiedchinese.GBK.NewDecoder().Bytes(raw)
	if err != nil {
		return t
	}
	for _, r := range string(decoded) {
		if !unicode.Is(unicode.Han, r) {
			continue
		}
		for _, syl := range Readings(r) {
			t.chars[syl] = append(t.chars[syl], r)
		}
	}
	// A character counts fully under its main reading and a twentieth
	// under its others (方 is read wang only in old texts); ties, and
	// characters without a count, keep the chart's order.
	for syl, rs := range t.chars {
		score := func(r rune) int64 {
			if main := Readings(r); len(main) > 0 && main[0] != syl {
				return t.freq[r] / 20
			}
			return t.freq[r]
		}
		sort.SliceStable(rs, func(i, j int) bool { return score(rs[i]) > score(rs[j]) })
	}
	// Each word goes under every reading of its characters (银行: yinhang
	// as well as yinxing), a twentieth of its count for each character not
	// read its main way (失败 is never yibai first), at most 8 spellings.
	type scored struct {
		text  string
		score int64
	}
	byKey := map[string][]scored{}
	for _, w := range words {
		type partial struct {
			spell string
			score int64
		}
		spell := []partial{{"", w.freq}}
		for _, r := range w.text {
			rs := Readings(r)
			if len(rs) == 0 {
				spell = nil
				break
			}
			var next []partial
			for _, p := range spell {
				for k, syl := range rs {
					if len(next) < 8 {
						sc := p.score
						if k > 0 {
							sc /= 20
						}
						next = append(next, partial{p.spell + syl, sc})
					}
				}
			}
			spell = next
		}
		for _, p := range spell {
			byKey[p.spell] = append(byKey[p.spell], scored{w.text, p.score})
		}
	}
	for key, ws := range byKey {
		sort.SliceStable(ws, func(i, j int) bool { return ws[i].score > ws[j].score })
		out := make([]string, len(ws))
		for i, w := range ws {
			out[i] = w.text
		}
		t.words[key] = out
	}
	return t
}
