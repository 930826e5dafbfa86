package voice

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tongban/tongban/kiosk/pinyin"
)

//go:embed lexicon.txt
var embeddedLexicon string

// Lexicon says how the kiosk reads Chinese aloud: phrase rules for words
// whose characters change reading with the word (重新 chong2, 重度 zhong4),
// and the reviewed reading of single characters.
type Lexicon struct {
	phrases map[string][]string
	chars   map[rune]string
	longest int // runes in the longest phrase
}

var syllablePattern = regexp.MustCompile(`^[a-z]+[1-5]$`)

// LoadLexicon parses the project lexicon embedded in the binary
// (lexicon.txt beside this file).
func LoadLexicon() (*Lexicon, error) {
	return ParseLexicon(strings.NewReader(embeddedLexicon), "lexicon.txt")
}

// ParseLexicon reads lexicon lines (`word pinyin1 pinyin2 …`, # comments)
// from r, named name in errors.
func ParseLexicon(r io.Reader, name string) (*Lexicon, error) {
	l := &Lexicon{phrases: map[string][]string{}, chars: map[rune]string{}}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Fields(text)
		word, syl := f[0], f[1:]
		n := utf8.RuneCountInString(word)
		if len(syl) != n {
			return nil, fmt.Errorf("%s:%d: %q has %d characters but %d syllables", name, line, word, n, len(syl))
		}
		for i, s := range syl {
			if !syllablePattern.MatchString(s) {
				return nil, fmt.Errorf("%s:%d: %q is not pinyin with a tone number (such as zhong4)", name, line, s)
			}
			r := []rune(word)[i]
			if !unicode.Is(unicode.Han, r) {
				return nil, fmt.Errorf("%s:%d: %q is not a Chinese character", name, line, r)
			}
			if known := pinyin.TonedReadings(r); len(known) > 0 && !contains(known, s) {
				return nil, fmt.Errorf("%s:%d: %c is never read %s (its readings: %s)", name, line, r, s, strings.Join(known, " "))
			}
		}
		if n == 1 {
			r, _ := utf8.DecodeRuneInString(word)
			if _, dup := l.chars[r]; dup {
				return nil, fmt.Errorf("%s:%d: %c is listed twice", name, line, r)
			}
			l.chars[r] = syl[0]
			continue
		}
		if _, dup := l.phrases[word]; dup {
			return nil, fmt.Errorf("%s:%d: %s is listed twice", name, line, word)
		}
		l.phrases[word] = syl
		l.longest = max(l.longest, n)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return l, nil
}

// Syllables returns the reading of each Han character of s, in order: the
// longest phrase rule starting at a character wins, then the character's
// reviewed reading, then go-pinyin's most common one. 一 and 不 outside a
// phrase rule then change tone with the next syllable, as spoken Mandarin
// does (espeak-ng applies the third-tone rule itself, not these). Other
// characters come back as themselves, one element each.
func (l *Lexicon) Syllables(s string) []string {
	rs := []rune(s)
	out := make([]string, 0, len(rs))
	free := make([]bool, 0, len(rs)) // read alone, not by a phrase rule
	for i := 0; i < len(rs); {
		if n, syl := l.phraseAt(rs, i); n > 0 {
			out = append(out, syl...)
			for range n {
				free = append(free, false)
			}
			i += n
			continue
		}
		out = append(out, l.reading(rs[i]))
		free = append(free, true)
		i++
	}
	for i, r := range rs {
		if !free[i] || (r != '一' && r != '不') {
			continue
		}
		// 第一, 十一, 一二三: the number keeps its tone; but 一 leading a
		// hundred, thousand or ten thousand (一百, 一千, 一万) changes.
		leadsMagnitude := i+1 < len(rs) && strings.ContainsRune("百千万", rs[i+1]) && !(i > 0 && numeral(rs[i-1]))
		if r == '一' && !leadsMagnitude && (i > 0 && numeral(rs[i-1]) || i+1 < len(rs) && numeral(rs[i+1])) {
			continue
		}
		next := byte(0)
		if i+1 < len(rs) && unicode.Is(unicode.Han, rs[i+1]) {
			next = out[i+1][len(out[i+1])-1]
		}
		switch {
		case next == '4' && r == '一':
			out[i] = "yi2" // 一次, 一个
		case next == '4':
			out[i] = "bu2" // 不要, 不是
		case r == '一' && next >= '1' && next <= '3':
			out[i] = "yi4" // 一网通办
		}
	}
	return out
}

// numeral reports whether r is part of a number written in characters.
func numeral(r rune) bool {
	return strings.ContainsRune("零一二三四五六七八九十百千万两第几", r)
}

// phraseAt finds the longest phrase rule starting at rs[i].
func (l *Lexicon) phraseAt(rs []rune, i int) (int, []string) {
	for n := min(l.longest, len(rs)-i); n >= 2; n-- {
		if syl, ok := l.phrases[string(rs[i:i+n])]; ok {
			return n, syl
		}
	}
	return 0, nil
}

func (l *Lexicon) reading(r rune) string {
	if s, ok := l.chars[r]; ok {
		return s
	}
	if rs := pinyin.TonedReadings(r); len(rs) > 0 {
		return rs[0]
	}
	return string(r)
}

// Unreviewed returns the polyphones of s (characters with more than one
// reading) that neither a phrase rule covers nor the lexicon lists alone.
func (l *Lexicon) Unreviewed(s string) []rune {
	rs := []rune(s)
	var out []rune
	for i := 0; i < len(rs); {
		if n, _ := l.phraseAt(rs, i); n > 0 {
			i += n
			continue
		}
		r := rs[i]
		i++
		if _, ok := l.chars[r]; ok {
			continue
		}
		if len(pinyin.TonedReadings(r)) > 1 {
			out = append(out, r)
		}
	}
	return out
}

// Pinyin turns normalized Chinese text into what espeak-ng's
// cmn-latn-pinyin voice reads: syllables with tone numbers separated by
// spaces, punctuation as pauses, Latin letters spelled one by one.
func (l *Lexicon) Pinyin(s string) string {
	var b strings.Builder
	word := func(w string) {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), " ") {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	pause := func(p string) {
		out := strings.TrimRight(b.String(), " ")
		if out == "" || strings.HasSuffix(out, ",") || strings.HasSuffix(out, ".") {
			return
		}
		b.Reset()
		b.WriteString(out)
		b.WriteString(p)
		b.WriteByte(' ')
	}
	for _, syl := range l.Syllables(s) {
		r, _ := utf8.DecodeRuneInString(syl)
		switch {
		case len(syl) > 1 && r < utf8.RuneSelf:
			word(syl) // a reading
		case unicode.IsLetter(r) && r < utf8.RuneSelf:
			word(string(unicode.ToUpper(r)))
		case unicode.IsDigit(r):
			word(digitsZH[r-'0'])
		case strings.ContainsRune("。！？；.!?;", r):
			pause(".")
		case strings.ContainsRune("，、：,:（）()/—…·-", r):
			pause(",")
		}
	}
	return strings.TrimRight(strings.TrimRight(b.String(), " "), ",.")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
