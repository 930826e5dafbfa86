package keyboard_test

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/kiosk/ui/keyboard"
	"github.com/tongban/tongban/kiosk/ui/theme"
)

// BenchmarkPinyinTap measures a letter tap that changes the candidate bar
// (spell "zhang", page, choose, start again) with the keyboard on a canvas.
// Compared with the 50 ms budget for a screen's response to a tap.
//
// Painting is not included: the test driver's Capture spends most of its
// wall time idle (about 400 ms a call, of which about 80 ms is CPU in the
// software painter), so it says nothing about the GL frame.
func BenchmarkPinyinTap(b *testing.B) {
	a := test.NewApp()
	defer a.Quit()
	a.Settings().SetTheme(theme.New(theme.Normal, theme.EmbeddedFonts()))
	var buf keyboard.Buffer
	k := keyboard.NewPinyin(&buf, fakeTable, keyboard.Config{})
	w := test.NewWindow(k)
	defer w.Close()
	w.Resize(k.MinSize())
	taps := []string{"z", "h", "a", "n", "g", keyboard.KeyNextPage, keyboard.KeySpace}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		test.Tap(k.Key(taps[i%len(taps)]))
	}
	ms := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / 1e6
	b.ReportMetric(ms, "ms/tap")
	b.ReportMetric(ms/50, "ratio-of-50ms-budget")
}
