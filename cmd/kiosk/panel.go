//go:build sim

package main

import (
	"time"

	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tongban/tongban/assets"
	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk/scancode"
	"github.com/tongban/tongban/kiosk/simulation"
	"github.com/tongban/tongban/kiosk/terminal"
)

// newPanel is the developer panel beside the kiosk in simulation: it does
// to the simulated devices what a resident or a technician does to real ones.
func newPanel(s *simulation.Surroundings, t *terminal.Terminal) fyne.CanvasObject {
	status := widget.NewLabel("")
	status.Wrapping = fyne.TextWrapWord
	say := func(msg string) { status.SetText(msg) }
	place := func(label string, card sim.SyntheticCard) *widget.Button {
		return widget.NewButton(label, func() { s.Reader.Place(card); say("已放卡：" + label) })
	}
	var receiptCode string
	box := container.NewVBox(
		widget.NewLabelWithStyle("模拟设备 Simulated devices", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		widget.NewLabel("身份证 ID card"),
		place("居民身份证", sim.SampleResident()),
		place("长期有效身份证", sim.SampleResidentLongTerm()),
		place("过期身份证", sim.SampleResidentExpired()),
		place("港澳居住证", sim.SamplePermitHK()),
		place("外国人永居证 2023", sim.SampleForeign2023()),
		widget.NewButton("取走身份证", func() { s.Reader.Remove(); say("身份证已取走") }),
		widget.NewButton("读卡时移动", func() {
			s.Reader.SetFaults(sim.IDCardFaults{RemoveMidRead: true})
			say("下一次读卡会中途移开")
		}),
		widget.NewButton("读卡器恢复正常", func() { s.Reader.SetFaults(sim.IDCardFaults{}); say("读卡器正常") }),
		widget.NewSeparator(),
		widget.NewLabel("扫码 Scanner"),
		widget.NewButton("扫最近回执的二维码", func() {
			var clientID string
			if receiptCode, clientID = lastReceipt(t); receiptCode == "" {
				say("还没有回执")
				return
			}
			s.Scanner.Present(scancode.ProgressLink(receiptCode, clientID))
			say("已扫 " + receiptCode)
		}),
		widget.NewButton("扫随申码", func() {
			code, err := sim.SignedSuishenma(time.Now())
			if err != nil {
				say("随申码签名失败")
				return
			}
			s.Scanner.Present(code)
			say("已扫随申码")
		}),
		widget.NewButton("扫乱码", func() { s.Scanner.Fault(sim.FaultGarbage); say("已扫乱码") }),
		widget.NewButton("扫网址", func() { s.Scanner.Present("https://www.example.com/"); say("已扫网址") }),
		widget.NewSeparator(),
		widget.NewLabel("打印机 Printer"),
		widget.NewButton("取走回执（存为图片）", func() {
			path, err := s.TakeReceipt()
			if err != nil {
				say("保存失败：" + err.Error())
				return
			}
			say("回执图片：" + path)
		}),
		widget.NewButton("抽走打印纸", func() { s.Printer.LoadPaper(0); say("打印纸已用完") }),
		widget.NewButton("装上打印纸", func() { s.Printer.LoadPaper(40 * 1000 * 8); say("已装纸") }),
		widget.NewButton("打开纸仓盖", func() { s.Printer.OpenCover(); say("纸仓盖已打开") }),
		widget.NewButton("合上纸仓盖", func() { s.Printer.CloseCover(); say("纸仓盖已合上") }),
		widget.NewButton("拔掉打印机", func() { _ = s.SetPlugged(simulation.NamePrinter, false); say("打印机已拔掉") }),
		widget.NewButton("插回打印机", func() { _ = s.SetPlugged(simulation.NamePrinter, true); say("打印机已插回") }),
		widget.NewSeparator(),
		status,
	)
	scroll := container.NewVScroll(box)
	scroll.SetMinSize(fyne.NewSize(panelWidth, 0))
	return container.NewThemeOverride(scroll, panelTheme{})
}

// panelWidth is the developer panel's width beside the kiosk's screen.
const panelWidth = 360

// panelTheme is Fyne's light theme with the kiosk's CJK font, so the
// developer panel looks like a tool, not like the resident's screens.
type panelTheme struct{}

func (panelTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return theme.DefaultTheme().Color(n, theme.VariantLight)
}
func (panelTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Bold {
		return assets.BoldResource()
	}
	return assets.RegularResource()
}
func (panelTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }
func (panelTheme) Size(n fyne.ThemeSizeName) float32       { return theme.DefaultTheme().Size(n) }

// lastReceipt is the local receipt number of the newest submission.
func lastReceipt(t *terminal.Terminal) (receipt, clientID string) {
	entries, err := t.Queue().List()
	if err != nil || len(entries) == 0 {
		return "", ""
	}
	newest := entries[0]
	for _, e := range entries {
		if e.Seq > newest.Seq {
			newest = e
		}
	}
	return newest.LocalReceipt, newest.ID
}
