package pinyin

import (
	"bufio"
	"slices"
	"strings"
	"testing"
)

// pageSize is the pinyin keyboard's candidate bar in normal mode.
const pageSize = 6

// mostFrequent returns the n most frequent characters of the frequency
// table (jieba's counts), commonest first.
func mostFrequent(t *testing.T, n int) []rune {
	t.Helper()
	var out []rune
	sc := bufio.NewScanner(strings.NewReader(freqData))
	for sc.Scan() && len(out) < n {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "c" {
			out = append(out, []rune(f[1])[0])
		}
	}
	if len(out) != n {
		t.Fatalf("the table has %d characters, want %d", len(out), n)
	}
	return out
}

// TestTop500OnTheFirstPage: each of the 500 most frequent characters is on
// the first page of its syllable (its main reading). A syllable shared by
// more than a page of them (shi, ji, zhi, li) cannot hold them all on one
// page: there they come first, in frequency order, before every rarer
// character, and a word (shiyong: 使用) reaches the rest at once.
func TestTop500OnTheFirstPage(t *testing.T) {
	top := mostFrequent(t, 500)
	common := map[string][]rune{} // syllable → its top-500 characters, commonest first
	for _, r := range top {
		rs := Readings(r)
		if len(rs) == 0 {
			t.Errorf("%c has no reading", r)
			continue
		}
		common[rs[0]] = append(common[rs[0]], r)
	}
	onFirst := 0
	for syl, want := range common {
		got := Candidates(syl)
		for i, r := range want {
			at := slices.Index(got, r)
			switch {
			case at < 0:
				t.Errorf("%c is not among the candidates of %s", r, syl)
			case i < pageSize && at >= pageSize:
				t.Errorf("%c is candidate %d of %s, not on the first page (%s)", r, at+1, syl, string(got[:pageSize]))
			case at > len(want)+pageSize:
				t.Errorf("%c is candidate %d of %s, after rarer characters (%s)", r, at+1, syl, string(got[:min(len(got), at+1)]))
			case at < pageSize:
				onFirst++
			}
		}
	}
	t.Logf("%d of the 500 most frequent characters on the first page of %d candidates", onFirst, pageSize)
	if onFirst < 470 {
		t.Errorf("only %d of the 500 most frequent characters on the first page", onFirst)
	}
}

func TestCommonCharactersFirst(t *testing.T) {
	for _, tc := range []struct {
		syllable string
		want     rune
		within   int
	}{
		{"yi", '一', 1}, {"wang", '王', 1}, {"de", '的', 1}, {"shi", '是', 1},
		{"ce", '测', 2}, {"hao", '号', 2}, {"lao", '老', 1},
	} {
		got := Candidates(tc.syllable)
		if at := slices.Index(got, tc.want); at < 0 || at >= tc.within {
			t.Errorf("%c is candidate %d of %s, want within the first %d: %s", tc.want, at+1, tc.syllable, tc.within, string(got[:min(8, len(got))]))
		}
	}
}

// TestWords: a spelling of several syllables offers words first, then the
// characters of its first syllable; choosing a character leaves the rest.
func TestWords(t *testing.T) {
	for _, tc := range []struct {
		spelling, first string
	}{
		{"yibai", "一百"}, {"shiyan", "实验"}, {"yinhang", "银行"}, {"shequ", "社区"}, {"shenfenzheng", "身份证"},
		{"shi", "是"}, {"xian", "现"},
	} {
		got := Suggestions(tc.spelling)
		if len(got) == 0 || got[0] != tc.first {
			t.Errorf("Suggestions(%q) = %q…, want %q first", tc.spelling, got[:min(5, len(got))], tc.first)
		}
	}
	if got := Suggestions("yibai"); !slices.Contains(got, "一") {
		t.Errorf("yibai does not offer 一 to type the word character by character: %q", got[:min(8, len(got))])
	}
	if got := Suggestions("xian"); !slices.Contains(got, "西安") {
		t.Error("xian does not offer 西安")
	}
	for _, tc := range []struct{ spelling, chosen, rest string }{
		{"yibai", "一", "bai"}, {"yibai", "一百", ""}, {"shenfenzheng", "身份", "zheng"}, {"shi", "是", ""},
	} {
		if got := Rest(tc.spelling, tc.chosen); got != tc.rest {
			t.Errorf("Rest(%q, %q) = %q, want %q", tc.spelling, tc.chosen, got, tc.rest)
		}
	}
	if Suggestions("qqq") != nil {
		t.Error("a spelling that is no pinyin offers candidates")
	}
}
