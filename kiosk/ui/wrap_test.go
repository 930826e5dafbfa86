package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestWrapLines(t *testing.T) {
	test.NewTempApp(t)
	tests := []struct {
		name, text string
		width      float32
	}{
		{"chinese", "当场受理，报市里审批。30个工作日后凭身份证到申请的中心领卡；津贴按月发到您选择的银行。", 400},
		{"english", "Once approved, the allowance is paid monthly to your social security card.", 300},
		{"mixed", "办好后：凭身份证到任一中心领卡 (any center) 或拨打12345咨询。", 250},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := wrapLines(tt.text, 32, tt.width, fyne.TextStyle{})
			if len(lines) < 2 {
				t.Fatalf("not wrapped: %q", lines)
			}
			joined := strings.Join(lines, "")
			if strings.ReplaceAll(joined, " ", "") != strings.ReplaceAll(tt.text, " ", "") {
				t.Errorf("text changed by wrapping:\n%q\n%q", joined, tt.text)
			}
			for _, l := range lines {
				if w := fyne.MeasureText(l, 32, fyne.TextStyle{}).Width; w > tt.width {
					t.Errorf("line %q is %.0f wide, over %.0f", l, w, tt.width)
				}
				if l != "" && strings.ContainsRune("，。；：）", []rune(l)[0]) {
					t.Errorf("line starts with closing punctuation: %q", l)
				}
			}
			if tt.name == "english" {
				for _, l := range lines[:len(lines)-1] {
					words := strings.Fields(l)
					if last := words[len(words)-1]; !strings.Contains(tt.text, last+" ") && !strings.HasSuffix(tt.text, last) {
						t.Errorf("a word was cut: %q", l)
					}
				}
			}
		})
	}
}

func TestWrapLabel(t *testing.T) {
	test.NewTempApp(t)
	const size = 36
	width := func(s string) float32 { return fyne.MeasureText(s, size, fyne.TextStyle{}).Width }
	tests := []struct {
		name, in string
		width    float32
		lines    int // at least
	}{
		{"fits", "I confirm the above is true.", width("I confirm the above is true.") + 1, 1},
		{"kept break", "I confirm.\nI agree.", 10000, 2},
		{"english", "I agree that it is used only for this application.", width("I agree that it is used"), 2},
		{"chinese", "我同意这些信息只用于办理本事项。", width("我同意这些信息"), 3},
		{"mixed", "✓  我确认以上内容真实。", width("✓  我确认"), 2},
	}
	for _, tt := range tests {
		got := wrapLabel(tt.in, size, tt.width)
		lines := strings.Split(got, "\n")
		if len(lines) < tt.lines {
			t.Errorf("%s: %q in %d lines, want at least %d", tt.name, got, len(lines), tt.lines)
		}
		for _, l := range lines {
			if width(l) > tt.width && strings.Contains(l, " ") {
				t.Errorf("%s: line %q wider than %v", tt.name, l, tt.width)
			}
			if l != strings.TrimSpace(l) && !strings.HasPrefix(tt.in, l) {
				t.Errorf("%s: line %q keeps spaces at its ends", tt.name, l)
			}
		}
		if strings.ReplaceAll(strings.ReplaceAll(got, "\n", ""), " ", "") != strings.ReplaceAll(strings.ReplaceAll(tt.in, "\n", ""), " ", "") {
			t.Errorf("%s: words lost or changed: %q → %q", tt.name, tt.in, got)
		}
	}
}
