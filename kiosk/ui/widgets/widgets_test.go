package widgets_test

import (
	"flag"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/kiosk/ui/internal/golden"
	"github.com/tongban/tongban/kiosk/ui/theme"
	"github.com/tongban/tongban/kiosk/ui/widgets"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

func newApp(t *testing.T, m theme.Mode) {
	t.Helper()
	test.NewTempApp(t).Settings().SetTheme(theme.New(m, theme.EmbeddedFonts()))
}

func TestButtonTaps(t *testing.T) {
	newApp(t, theme.Normal)
	taps, touches := 0, 0
	b := widgets.NewButtonWith("开始办理", widgets.Primary, func() { taps++ })
	b.Touched = func() { touches++ }
	test.Tap(b)
	b.Disable()
	test.Tap(b)
	if taps != 1 || touches != 2 || !b.Disabled() {
		t.Fatalf("taps %d touches %d: a disabled button must not act but must keep the session alive", taps, touches)
	}
	b.Enable()
	test.Tap(b)
	if taps != 2 {
		t.Fatal("enabled again but did not act")
	}
	test.Tap(widgets.NewButton("返回", nil)) // no handler: no panic
}

func TestTargetsPerMode(t *testing.T) {
	for _, tt := range []struct {
		mode   theme.Mode
		target float32
	}{{theme.Normal, 96}, {theme.Elderly, 120}} {
		newApp(t, tt.mode)
		for name, o := range map[string]fyne.CanvasObject{
			"short button": widgets.NewButton("是", nil),
			"danger":       widgets.NewButtonWith("结束", widgets.Danger, nil),
		} {
			if s := o.MinSize(); s.Width < tt.target || s.Height < tt.target {
				t.Errorf("%v %s: %v smaller than %v", tt.mode, name, s, tt.target)
			}
		}
	}
}

func TestWidgetsGolden(t *testing.T) {
	for _, m := range []theme.Mode{theme.Normal, theme.Elderly, theme.HighContrast} {
		t.Run(m.String(), func(t *testing.T) {
			newApp(t, m)
			dis := widgets.NewButton("下一步", nil)
			dis.Disable()
			sheet := container.NewHBox(widgets.NewButton("返回", nil), dis,
				widgets.NewButtonWith("开始办理", widgets.Primary, nil),
				widgets.NewButtonWith("结束办理", widgets.Danger, nil))
			w := test.NewTempWindow(t, sheet)
			w.Resize(fyne.NewSize(1300, sheet.MinSize().Height+40))
			golden.Assert(t, "sheet-"+m.String(), w.Canvas().Capture(), *update)
		})
	}
}

// TestModeSwitchAtRunTime: a button already on screen grows when the app
// switches to 长者模式.
func TestModeSwitchAtRunTime(t *testing.T) {
	a := test.NewTempApp(t)
	th := theme.New(theme.Normal, theme.EmbeddedFonts())
	a.Settings().SetTheme(th)
	b := widgets.NewButton("是", nil)
	w := test.NewTempWindow(t, container.NewCenter(b))
	w.Resize(fyne.NewSize(400, 400))
	if h := b.MinSize().Height; h != 96 {
		t.Fatalf("normal: %v", h)
	}
	a.Settings().SetTheme(th.WithMode(theme.Elderly))
	if h := b.MinSize().Height; h != 120 {
		t.Fatalf("after switching to elderly: %v", h)
	}
}

// A Fixed button keeps its width whatever it shows, short or long, one
// label after another, in both modes; a plain one grows with its label.
func TestFixedButtonKeepsItsWidth(t *testing.T) {
	for _, m := range []theme.Mode{theme.Normal, theme.Elderly} {
		newApp(t, m)
		b := widgets.NewButton("", nil)
		b.Fixed = true
		test.WidgetRenderer(b)
		want := b.MinSize()
		for _, label := range []string{"一", "一百", "人民币", "中华人民共和国", ""} {
			b.SetText(label)
			if got := b.MinSize(); got != want {
				t.Errorf("mode %v: %q makes the fixed button %v, want %v", m, label, got, want)
			}
		}
		plain := widgets.NewButton("中华人民共和国", nil)
		test.WidgetRenderer(plain)
		if plain.MinSize().Width <= want.Width {
			t.Errorf("mode %v: a plain button does not grow with its label", m)
		}
	}
}
