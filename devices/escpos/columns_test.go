package escpos_test

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/tongban/tongban/devices/escpos"
)

func TestColumns(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0}, {"abc", 3}, {"测试", 4}, {"回执编号：XH0123", 16}, {"张*明", 5}, {"·", 2}, {"\U00020000", 2}, {"a\x1bb", 2},
	}
	for _, tt := range tests {
		if got := escpos.Columns(tt.s); got != tt.want {
			t.Errorf("Columns(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

func TestPad(t *testing.T) {
	tests := []struct {
		s    string
		cols int
		a    escpos.Align
		want string
	}{
		{"测试", 8, escpos.AlignLeft, "测试    "},
		{"测试", 8, escpos.AlignRight, "    测试"},
		{"测试", 9, escpos.AlignCenter, "  测试   "},
		{"测试测试", 6, escpos.AlignCenter, "测试测试"},
	}
	for _, tt := range tests {
		if got := escpos.Pad(tt.s, tt.cols, tt.a); got != tt.want {
			t.Errorf("Pad(%q, %d, %d) = %q, want %q", tt.s, tt.cols, tt.a, got, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		name string
		s    string
		cols int
		want []string
	}{
		{"fits", "老年综合津贴申请", 32, []string{"老年综合津贴申请"}},
		{"chinese breaks anywhere", "津贴按月发放到您的银行卡", 10, []string{"津贴按月发", "放到您的银", "行卡"}},
		{"odd columns: no half character", "测试测试", 5, []string{"测试", "测试"}},
		{"punctuation not at line start", "津贴按月发，放到您的", 10, []string{"津贴按月", "发，放到您", "的"}},
		{"latin words kept whole", "Please keep this receipt.", 12, []string{"Please keep", "this", "receipt."}},
		{"long word cut", "XH0123-20261128-0042", 8, []string{"XH0123-2", "0261128-", "0042"}},
		{"mixed", "回执编号XH0123-20261128", 16, []string{"回执编号", "XH0123-20261128"}},
		{"newlines", "a\nb", 8, []string{"a", "b"}},
		{"empty", "", 8, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escpos.Wrap(tt.s, tt.cols); !slices.Equal(got, tt.want) {
				t.Errorf("Wrap(%q, %d) = %q, want %q", tt.s, tt.cols, got, tt.want)
			}
		})
	}
}

// FuzzWrap: whatever the text (names and items come from outside), every
// line fits and no printable character is lost or invented.
func FuzzWrap(f *testing.F) {
	for _, s := range []string{"津贴按月发放到您的银行卡，可凭身份证到任一中心查询。", "Please keep this receipt.", "欧阳·买买提 Ab-12", "，，，，", "a\nb\n\n", "\U00020000x"} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, cols int) {
		cols = 2 + abs(cols)%60
		lines := escpos.Wrap(s, cols)
		for _, l := range lines {
			if escpos.Columns(l) > cols {
				t.Fatalf("line %q takes %d columns, more than %d", l, escpos.Columns(l), cols)
			}
		}
		keep := func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}
		if in, out := strings.Map(keep, string([]rune(s))), strings.Map(keep, strings.Join(lines, "")); in != out {
			t.Fatalf("Wrap(%q, %d) = %q changes the text", s, cols, lines)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
