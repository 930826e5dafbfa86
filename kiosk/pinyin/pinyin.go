package pinyin

import (
	"strings"
	"unicode"

	gopinyin "github.com/mozillazg/go-pinyin"
)

// Readings returns the toneless readings of a Han character, the most
// common first, or nil when r is not a Han character the dictionary knows.
func Readings(r rune) []string {
	raw, ok := gopinyin.PinyinDict[int(r)]
	if !ok {
		return nil
	}
	parts := strings.Split(raw, ",")
	out := parts[:0]
	for _, p := range parts {
		s := toneless(p)
		if s == "" || contains(out, s) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// Syllables returns one toneless syllable per Han character of s (its most
// common reading). Runs of other letters and digits are kept, lower-cased,
// as one element each; spaces and punctuation are dropped.
func Syllables(s string) []string {
	var out []string
	var run strings.Builder
	flush := func() {
		if run.Len() > 0 {
			out = append(out, run.String())
			run.Reset()
		}
	}
	for _, r := range s {
		if rs := Readings(r); rs != nil {
			flush()
			out = append(out, rs[0])
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			run.WriteRune(unicode.ToLower(r))
			continue
		}
		flush()
	}
	flush()
	return out
}

// Full returns the toneless pinyin of s, syllables run together:
// Full("老年综合津贴") == "laonianzonghejintie".
func Full(s string) string { return strings.Join(Syllables(s), "") }

// Initials returns the first letter of each syllable of s:
// Initials("老年综合津贴") == "lnzhjt". Runs of Latin letters or digits
// contribute their first character.
func Initials(s string) string {
	var b strings.Builder
	for _, syl := range Syllables(s) {
		b.WriteByte(syl[0])
	}
	return b.String()
}

// toneless strips the tone marks of one dictionary reading and writes ü as v.
func toneless(p string) string {
	var b strings.Builder
	for _, r := range p {
		b.WriteRune(plainLetter(r))
	}
	return b.String()
}

// plainLetter maps a toned pinyin letter to its plain ASCII form.
func plainLetter(r rune) rune {
	switch r {
	case 'ā', 'á', 'ǎ', 'à':
		return 'a'
	case 'ē', 'é', 'ě', 'è', 'ê', 'ế', 'ề':
		return 'e'
	case 'ō', 'ó', 'ǒ', 'ò':
		return 'o'
	case 'ī', 'í', 'ǐ', 'ì':
		return 'i'
	case 'ū', 'ú', 'ǔ', 'ù':
		return 'u'
	case 'ü', 'ǖ', 'ǘ', 'ǚ', 'ǜ':
		return 'v'
	case 'ń', 'ň', 'ǹ':
		return 'n'
	case 'ḿ':
		return 'm'
	}
	return unicode.ToLower(r)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TonedReadings returns the readings of a Han character with tone numbers,
// as speech synthesis wants them: zhong4, chong2, lv4 (ü as v), a neutral
// tone as 5. The most common reading comes first; nil when r is not a Han
// character the dictionary knows.
func TonedReadings(r rune) []string {
	raw, ok := gopinyin.PinyinDict[int(r)]
	if !ok {
		return nil
	}
	var out []string
	for _, p := range strings.Split(raw, ",") {
		if s := toneNumbered(p); s != "" && !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// toneNumbered writes one tone-marked reading with its tone as a digit.
func toneNumbered(p string) string {
	tone := '5'
	for _, r := range p {
		if t := toneOf(r); t != 0 {
			tone = t
		}
	}
	s := toneless(p)
	if s == "" {
		return ""
	}
	return s + string(tone)
}

// toneOf is the tone (as a digit) a marked letter carries, or 0.
func toneOf(r rune) rune {
	switch r {
	case 'ā', 'ē', 'ō', 'ī', 'ū', 'ǖ':
		return '1'
	case 'á', 'é', 'ó', 'í', 'ú', 'ǘ', 'ế', 'ń', 'ḿ':
		return '2'
	case 'ǎ', 'ě', 'ǒ', 'ǐ', 'ǔ', 'ǚ', 'ň':
		return '3'
	case 'à', 'è', 'ò', 'ì', 'ù', 'ǜ', 'ề', 'ǹ':
		return '4'
	}
	return 0
}
