package pinyin

import (
	"slices"
	"testing"
)

func TestFullAndInitials(t *testing.T) {
	tests := []struct {
		in, full, initials string
	}{
		{"老年综合津贴", "laonianzonghejintie", "lnzhjt"},
		{"敬老卡", "jinglaoka", "jlk"},
		{"绿色通道", "lvsetongdao", "lstd"},
		{"社保卡 2024版", "shebaoka2024ban", "sbk2b"},
		{"", "", ""},
		{"abc", "abc", "a"},
	}
	for _, tc := range tests {
		if got := Full(tc.in); got != tc.full {
			t.Errorf("Full(%q) = %q, want %q", tc.in, got, tc.full)
		}
		if got := Initials(tc.in); got != tc.initials {
			t.Errorf("Initials(%q) = %q, want %q", tc.in, got, tc.initials)
		}
	}
}

func TestReadingsHeteronym(t *testing.T) {
	got := Readings('长')
	if !slices.Contains(got, "chang") || !slices.Contains(got, "zhang") {
		t.Fatalf("Readings(长) = %v, want both chang and zhang", got)
	}
	if Readings('a') != nil {
		t.Fatal("Readings of a Latin letter should be nil")
	}
}

func TestCandidates(t *testing.T) {
	tests := []struct {
		syllable string
		first    rune // a level-1 character that must come before any level-2 one
		has      rune
	}{
		{"lao", '劳', '老'},
		{"jin", '今', '津'},
		{"lv", '驴', '绿'},
		{"LÜ", '驴', '律'},
		{"xing", '星', '行'},
	}
	for _, tc := range tests {
		got := Candidates(tc.syllable)
		if len(got) == 0 {
			t.Errorf("Candidates(%q) is empty", tc.syllable)
			continue
		}
		if !slices.Contains(got, tc.has) || !slices.Contains(got, tc.first) {
			t.Errorf("Candidates(%q) = %q, want %q and %q", tc.syllable, string(got), tc.has, tc.first)
		}
	}
	// 佬 (level 2) must come after 老 (level 1).
	got := Candidates("lao")
	if slices.Index(got, '佬') >= 0 && slices.Index(got, '佬') < slices.Index(got, '老') {
		t.Errorf("level-2 佬 before level-1 老 in %q", string(got))
	}
	if len(Candidates("qqq")) != 0 {
		t.Error("a non-syllable should have no candidates")
	}
	// The caller may change the result without harming the table.
	a := Candidates("lao")
	a[0] = 'X'
	if Candidates("lao")[0] == 'X' {
		t.Error("Candidates returned the shared table")
	}
}

func BenchmarkFull(b *testing.B) {
	for b.Loop() {
		Full("城乡居民最低生活保障申请")
	}
}

func TestTonedReadings(t *testing.T) {
	tests := []struct {
		r    rune
		want []string
	}{
		{'重', []string{"zhong4", "chong2"}},
		{'绿', []string{"lv4", "lu4"}},
		{'好', []string{"hao3", "hao4"}},
		{'身', []string{"shen1", "juan1"}},
		{'a', nil},
	}
	for _, tt := range tests {
		got := TonedReadings(tt.r)
		if len(got) < len(tt.want) {
			t.Errorf("TonedReadings(%q) = %v, want at least %v", tt.r, got, tt.want)
			continue
		}
		for i, w := range tt.want {
			if got[i] != w {
				t.Errorf("TonedReadings(%q) = %v, want %v first", tt.r, got, tt.want)
				break
			}
		}
	}
}
