package voice

import "testing"

func TestNormalizeZH(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2026年12月3日", "二零二六年十二月三日"},
		{"承诺30个工作日内办好", "承诺三十个工作日内办好"},
		{"承诺2个工作日内办好", "承诺两个工作日内办好"},
		{"第 2 步 / 共 4 步", "第二步，共四步"},
		{"补贴¥150", "补贴一百五十元"},
		{"¥1205.50", "一千二百零五元五角"},
		{"每月75元", "每月七十五元"},
		{"也可以拨打12345咨询", "也可以拨打一二三四五咨询"},
		{"银行卡号应为16到19位数字", "银行卡号应为十六到十九位数字"},
		{"还剩10秒", "还剩十秒"},
		{"还剩110秒", "还剩一百一十秒"},
		{"12月3日 星期四 09:30", "十二月三日星期四九点三十分"},
		{"14:05", "十四点零五分"},
		{"09:00", "九点"},
		{"办公时间：09:00-17:30", "办公时间：九点到十七点三十分"},
		{"输入拼音首字母，如 ljt（老年津贴）", "输入拼音首字母，如 L J T （老年津贴）"},
		{"前面还有3人", "前面还有三人"},
		{"30000", "三零零零零"},
		{"共105项", "共一百零五项"},
	}
	for _, tt := range tests {
		if got := NormalizeZH(tt.in); got != tt.want {
			t.Errorf("NormalizeZH(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCardinalZH(t *testing.T) {
	tests := map[int]string{0: "零", 7: "七", 10: "十", 15: "十五", 20: "二十", 101: "一百零一", 110: "一百一十",
		1000: "一千", 1001: "一千零一", 2026: "二千零二十六", 10000: "一万", 10010: "一万零一十", 123456: "十二万三千四百五十六"}
	for n, want := range tests {
		if got := cardinalZH(n); got != want {
			t.Errorf("cardinalZH(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestNormalizeEN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"You can also call 12345", "You can also call one two three four five"},
		{"A subsidy of ¥150", "A subsidy of 150 yuan"},
		{"Within 30 working days", "Within 30 working days"},
		{"Booked for 3 December, 09:30", "Booked for 3 December, 9:30"},
	}
	for _, tt := range tests {
		if got := NormalizeEN(tt.in); got != tt.want {
			t.Errorf("NormalizeEN(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSpell(t *testing.T) {
	tests := []struct{ code, lang, want string }{
		{"XH0123-20261128-0042", "zh", "X H 零一二三，二零二六一一二八，零零四二"},
		{"XH0123-20261128-0042", "en", "X H zero one two three, two zero two six one one two eight, zero zero four two"},
		{"A017", "zh", "A 零一七"},
		{"A017", "en", "A zero one seven"},
	}
	for _, tt := range tests {
		if got := Spell(tt.code, tt.lang); got != tt.want {
			t.Errorf("Spell(%q, %s) = %q, want %q", tt.code, tt.lang, got, tt.want)
		}
	}
}
