package voice

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

var (
	digitsZH    = [...]string{"ling2", "yi1", "er4", "san1", "si4", "wu3", "liu4", "qi1", "ba1", "jiu3"}
	digitHanZH  = [...]string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	digitWordEN = [...]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}

	dateYMD   = regexp.MustCompile(`(\d{4})\s*(?:年|-)\s*(\d{1,2})\s*(?:月|-)\s*(\d{1,2})\s*日?`)
	dateMD    = regexp.MustCompile(`(\d{1,2})\s*月\s*(\d{1,2})\s*日`)
	timeRange = regexp.MustCompile(`\b(\d{1,2}:\d{2})\s*[-–~～至]\s*(\d{1,2}:\d{2})\b`)
	clockTime = regexp.MustCompile(`\b(\d{1,2}):(\d{2})\b`)
	yuanZH    = regexp.MustCompile(`[¥￥]\s*(\d+)(?:\.(\d{1,2}))?|(\d+)(?:\.(\d{1,2}))?\s*元`)
	yuanEN    = regexp.MustCompile(`[¥￥]\s*(\d+(?:\.\d{1,2})?)`)
	digitRun  = regexp.MustCompile(`\d+`)
	latinRun  = regexp.MustCompile(`[A-Za-z]+`)
)

// measureWords after which 2 is read 两 (两个工作日, 两天), not 二.
const measureWords = "个天位人次项份张元月年周"

// NormalizeZH turns the digits of Chinese screen text into words as they
// are said: dates (2026年12月3日 → 二零二六年十二月三日), times (09:30 →
// 九点三十分), amounts (¥150 → 一百五十元), counts (30个工作日 →
// 三十个工作日, 2个 → 两个), and long numbers such as the 12345 hotline
// digit by digit. Latin letters (ljt) are spelled; spaces between Chinese
// characters go.
func NormalizeZH(s string) string {
	s = dateYMD.ReplaceAllStringFunc(s, func(m string) string {
		p := dateYMD.FindStringSubmatch(m)
		return digitByDigitZH(p[1]) + "年" + cardinalZH(atoi(p[2])) + "月" + cardinalZH(atoi(p[3])) + "日"
	})
	s = dateMD.ReplaceAllStringFunc(s, func(m string) string {
		p := dateMD.FindStringSubmatch(m)
		return cardinalZH(atoi(p[1])) + "月" + cardinalZH(atoi(p[2])) + "日"
	})
	s = timeRange.ReplaceAllString(s, "${1}到${2}")
	s = clockTime.ReplaceAllStringFunc(s, func(m string) string {
		p := clockTime.FindStringSubmatch(m)
		h, min := atoi(p[1]), atoi(p[2])
		out := cardinalZH(h) + "点"
		switch {
		case min == 0:
		case min < 10:
			out += "零" + cardinalZH(min) + "分"
		default:
			out += cardinalZH(min) + "分"
		}
		return out
	})
	s = yuanZH.ReplaceAllStringFunc(s, func(m string) string {
		p := yuanZH.FindStringSubmatch(m)
		whole, frac := p[1], p[2]
		if whole == "" {
			whole, frac = p[3], p[4]
		}
		out := cardinalZH(atoi(whole)) + "元"
		if len(frac) == 1 {
			frac += "0"
		}
		if frac != "" && frac != "00" {
			if frac[0] != '0' {
				out += digitHanZH[frac[0]-'0'] + "角"
			}
			if frac[1] != '0' {
				out += digitHanZH[frac[1]-'0'] + "分"
			}
		}
		return out
	})
	s = strings.ReplaceAll(s, "/", "，")
	s = dropSpaces(s)
	s = replaceDigitRuns(s)
	s = latinRun.ReplaceAllStringFunc(s, func(w string) string {
		return " " + spellLetters(strings.ToUpper(w)) + " "
	})
	return strings.Join(strings.Fields(s), " ")
}

// dropSpaces removes the spaces of Chinese text, keeping those between two
// Latin letters or digits.
func dropSpaces(s string) string {
	rs := []rune(s)
	var b strings.Builder
	latin := func(r rune) bool { return r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) }
	for i, r := range rs {
		if unicode.IsSpace(r) {
			j := i + 1
			for j < len(rs) && unicode.IsSpace(rs[j]) {
				j++
			}
			if i > 0 && j < len(rs) && latin(rs[i-1]) && latin(rs[j]) && !unicode.IsSpace(rs[i-1]) {
				b.WriteByte(' ')
			}
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// replaceDigitRuns reads each remaining run of digits: digit by digit
// when it is long (a hotline, a code) or starts with 0, else as a number,
// with 两 before a measure word.
func replaceDigitRuns(s string) string {
	idx := digitRun.FindAllStringIndex(s, -1)
	if idx == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range idx {
		run := s[m[0]:m[1]]
		b.WriteString(s[last:m[0]])
		last = m[1]
		switch {
		case len(run) >= 5 || (len(run) > 1 && run[0] == '0'):
			b.WriteString(digitByDigitZH(run))
		case run == "2" && followedByMeasure(s[m[1]:]) && !precededBy(s[:m[0]], "第"):
			b.WriteString("两")
		default:
			b.WriteString(cardinalZH(atoi(run)))
		}
	}
	b.WriteString(s[last:])
	return b.String()
}

func followedByMeasure(rest string) bool {
	rest = strings.TrimLeft(rest, " ")
	for _, r := range rest {
		return strings.ContainsRune(measureWords, r)
	}
	return false
}

func precededBy(before, word string) bool {
	return strings.HasSuffix(strings.TrimRight(before, " "), word)
}

// NormalizeEN turns what espeak-ng's English voice would misread into
// words: amounts in yuan (¥150 → 150 yuan) and long numbers such as the
// 12345 hotline, digit by digit.
func NormalizeEN(s string) string {
	s = yuanEN.ReplaceAllString(s, "$1 yuan")
	s = clockTime.ReplaceAllStringFunc(s, func(m string) string { // 09:30 → 9:30, read as a time
		return strings.TrimPrefix(m, "0")
	})
	s = digitRun.ReplaceAllStringFunc(s, func(run string) string {
		if len(run) >= 5 || (len(run) > 1 && run[0] == '0') {
			return spellDigitsEN(run)
		}
		return run
	})
	return strings.Join(strings.Fields(s), " ")
}

// Spell reads a code such as a receipt or ticket number (XH0123-20261128-0042)
// one character at a time: digits as digits, letters by name, a dash or a
// space as a short pause.
func Spell(code string, lang string) string {
	var parts []string
	for _, group := range strings.FieldsFunc(code, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		var g []string
		for _, r := range group {
			switch {
			case r >= '0' && r <= '9' && lang == "en":
				g = append(g, digitWordEN[r-'0'])
			case r >= '0' && r <= '9':
				g = append(g, digitHanZH[r-'0'])
			case r < unicode.MaxASCII:
				g = append(g, string(unicode.ToUpper(r)))
			}
		}
		if len(g) > 0 {
			sep := " "
			if lang != "en" {
				sep = ""
			}
			parts = append(parts, joinSpelled(g, sep))
		}
	}
	if lang == "en" {
		return strings.Join(parts, ", ")
	}
	return strings.Join(parts, "，")
}

// joinSpelled joins spelled characters; letters always stand apart so a
// synthesizer never reads them as a word.
func joinSpelled(g []string, sep string) string {
	var b strings.Builder
	for i, x := range g {
		if i > 0 && (sep != "" || len(x) == 1 && x[0] < unicode.MaxASCII || len(g[i-1]) == 1 && g[i-1][0] < unicode.MaxASCII) {
			b.WriteByte(' ')
		}
		b.WriteString(x)
	}
	return b.String()
}

func spellLetters(w string) string {
	return strings.Join(strings.Split(w, ""), " ")
}

func spellDigitsEN(run string) string {
	w := make([]string, 0, len(run))
	for _, r := range run {
		w = append(w, digitWordEN[r-'0'])
	}
	return strings.Join(w, " ")
}

func digitByDigitZH(run string) string {
	var b strings.Builder
	for _, r := range run {
		b.WriteString(digitHanZH[r-'0'])
	}
	return b.String()
}

// cardinalZH writes 0 ≤ n < 10^8 in Chinese numerals: 10 十, 15 十五,
// 105 一百零五, 2026 两千零二十六 is written 二千零二十六 here, 30000 三万.
func cardinalZH(n int) string {
	if n == 0 {
		return "零"
	}
	if n >= 100000000 {
		return digitByDigitZH(strconv.Itoa(n))
	}
	var out string
	if n >= 10000 {
		out = under10000(n/10000, true) + "万"
		n %= 10000
		if n == 0 {
			return out
		}
		if n < 1000 {
			out += "零"
		}
		return out + under10000(n, false)
	}
	return under10000(n, true)
}

// under10000 writes 1 ≤ n < 10000; leading says whether it starts the
// number (then 10–19 is 十…, not 一十…).
func under10000(n int, leading bool) string {
	units := [...]string{"千", "百", "十", ""}
	div := [...]int{1000, 100, 10, 1}
	var b strings.Builder
	zero := false
	started := false
	for i, d := range div {
		q := n / d % 10
		if q == 0 {
			if started {
				zero = true
			}
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		if !(q == 1 && units[i] == "十" && !started && leading) {
			b.WriteString(digitHanZH[q])
		}
		b.WriteString(units[i])
		started = true
	}
	return b.String()
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
