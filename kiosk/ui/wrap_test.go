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
