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
	b := widgets.NewPrimaryButton("开始办理", func() { taps++ })
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
			"tile":         widgets.NewTile("老年综合津贴", "为65岁以上老人发放津贴", nil),
			"continue":     widgets.NewCountdown(widgets.CountdownLabels{Continue: "继续办理"}, nil, nil).Continue,
		} {
			if s := o.MinSize(); s.Width < tt.target || s.Height < tt.target {
				t.Errorf("%v %s: %v smaller than %v", tt.mode, name, s, tt.target)
			}
		}
	}
}

func TestTileUnavailable(t *testing.T) {
	newApp(t, theme.Normal)
	taps, touches := 0, 0
	tile := widgets.NewTile("老年综合津贴", "为65岁以上老人发放津贴", func() { taps++ })
	tile.Touched = func() { touches++ }
	w := test.NewTempWindow(t, tile)
	w.Resize(fyne.NewSize(500, 300))
	avail := tile.MinSize()
	tile.SetUnavailable("打印机缺纸，暂不能办理此事项，请到人工窗口")
	test.Tap(tile)
	if taps != 0 || touches != 1 || tile.Available() {
		t.Fatalf("greyed tile: taps %d touches %d", taps, touches)
	}
	if tile.MinSize().Height <= avail.Height {
		t.Error("the reason line takes no room")
	}
	tile.SetUnavailable("")
	test.Tap(tile)
	if taps != 1 {
		t.Fatal("available again but did not act")
	}
}

func TestCountdownButtons(t *testing.T) {
	newApp(t, theme.Normal)
	var got []string
	c := widgets.NewCountdown(widgets.CountdownLabels{Question: "您还需要继续办理吗？", Continue: "继续办理", Finish: "结束办理"},
		func() { got = append(got, "continue") }, func() { got = append(got, "finish") })
	c.SetSeconds(20, "还剩20秒")
	test.Tap(c.Continue)
	test.Tap(c.Finish)
	if len(got) != 2 || got[0] != "continue" || got[1] != "finish" {
		t.Fatalf("taps %v", got)
	}
}

func TestWidgetsGolden(t *testing.T) {
	for _, m := range []theme.Mode{theme.Normal, theme.Elderly, theme.HighContrast} {
		t.Run(m.String(), func(t *testing.T) {
			newApp(t, m)
			off := widgets.NewTile("老年综合津贴申请", "为65岁以上的老人按月发放津贴，可在本机申请", nil)
			off.SetUnavailable("打印机缺纸，暂不能办理此事项，请到人工窗口")
			dis := widgets.NewButton("下一步", nil)
			dis.Disable()
			cd := widgets.NewCountdown(widgets.CountdownLabels{Question: "您还需要继续办理吗？",
				Continue: "继续办理", Finish: "结束办理"}, nil, nil)
			cd.SetSeconds(18, "还剩18秒")
			sheet := container.NewVBox(
				widgets.NewSteps(2, 4, "第 2 步 / 共 4 步"),
				container.NewHBox(widgets.NewButton("返回", nil), dis, widgets.NewPrimaryButton("开始办理", nil),
					widgets.NewButtonWith("结束办理", widgets.Danger, nil)),
				container.NewGridWithColumns(2,
					widgets.NewTile("居住证签注", "居住证每年签注一次，在本机即可办好", nil), off),
				container.NewCenter(cd),
			)
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
