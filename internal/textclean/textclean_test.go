package textclean

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStrip(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "测试甲 Zhang", "测试甲 Zhang"},
		{"right-to-left override", "测试\u202E甲乙", "测试甲乙"},
		{"every embedding and override", "a\u202Ab\u202Bc\u202Cd\u202De\u202Ef", "abcdef"},
		{"isolates", "\u2066a\u2067b\u2068c\u2069", "abc"},
		{"marks", "a\u200Eb\u200Fc\u061Cd", "abcd"},
		{"C0 and DEL", "a\x00b\x01c\x1bd\x7fe", "abcde"},
		{"C1", "a\u0085b\u009bc", "abc"},
		{"line breaks become spaces", "上海市\n徐汇区\r\t路", "上海市 徐汇区  路"},
		{"empty", "", ""},
		{"only controls", "\u202E\x00", ""},
		{"keeps the ideographic space and full-width", "张　三１", "张　三１"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Strip(tt.in); got != tt.want {
				t.Errorf("Strip(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if Has(tt.in) != (tt.in != tt.want) {
				t.Errorf("Has(%q) = %v", tt.in, Has(tt.in))
			}
		})
	}
}

// FuzzStrip: whatever comes in, nothing Strip removes is left, a second
// pass changes nothing, and valid UTF-8 stays valid and no longer.
func FuzzStrip(f *testing.F) {
	for _, s := range []string{"", "测试甲", "a\u202Eb", "\u2066x\u2069", "\x00\x1f\x7f\u0085", "a\nb", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Strip(s)
		if Has(out) {
			t.Fatalf("Strip(%q) = %q still holds control characters", s, out)
		}
		if again := Strip(out); again != out {
			t.Fatalf("not idempotent: %q then %q", out, again)
		}
		if utf8.ValidString(s) && (!utf8.ValidString(out) || len(out) > len(s)) {
			t.Fatalf("Strip(%q) = %q", s, out)
		}
		if !Has(s) && out != s {
			t.Fatalf("changed clean text %q to %q", s, out)
		}
		if strings.ContainsRune(out, '\u202E') {
			t.Fatal("right-to-left override left")
		}
	})
}
