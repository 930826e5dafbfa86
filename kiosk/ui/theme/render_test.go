package theme_test

import (
	"flag"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/tongban/tongban/kiosk/ui/internal/golden"
	"github.com/tongban/tongban/kiosk/ui/theme"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

// TestSpecimen renders a heading, body text, an entry and buttons in every
// mode with the embedded font and compares them with testdata/specimen-*.png.
func TestSpecimen(t *testing.T) {
	for _, m := range []theme.Mode{theme.Normal, theme.Elderly, theme.HighContrast} {
		t.Run(m.String(), func(t *testing.T) {
			a := test.NewTempApp(t)
			th := theme.New(m, theme.EmbeddedFonts())
			a.Settings().SetTheme(th)
			heading := canvas.NewText("老年综合津贴申请", th.Color(theme.ColorNameHeading, 0))
			heading.TextSize = th.Size("headingText")
			heading.TextStyle = fyne.TextStyle{Bold: true}
			entry := widget.NewEntry()
			entry.SetText("13800000000")
			apply := widget.NewButton("开始申请", nil)
			apply.Importance = widget.HighImportance
			back := widget.NewButton("返回", nil)
			off := widget.NewButton("暂不能办理", nil)
			off.Disable()
			w := test.NewTempWindow(t, container.NewVBox(
				heading,
				widget.NewLabel("请将身份证放在感应区。Place your ID card on the reader."),
				entry,
				container.NewHBox(back, off, apply),
			))
			w.Resize(fyne.NewSize(1000, 520))
			golden.Assert(t, "specimen-"+m.String(), w.Canvas().Capture(), *update)
		})
	}
}
