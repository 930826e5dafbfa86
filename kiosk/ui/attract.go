package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"github.com/tongban/tongban/kiosk"
)

var weekdays = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// attract is the idle screen: center, date and time, 开始办理.
func (u *Screens) attract() fyne.CanvasObject {
	now := u.now()
	sz := u.sz()
	center := u.text(u.opt.CenterName, sz.heading, colText, true)
	center.Alignment = fyne.TextAlignCenter
	date := u.w(fmt.Sprintf("%d年%d月%d日 %s", now.Year(), now.Month(), now.Day(), weekdays[now.Weekday()]), now.Format("Monday 2 January 2006"))
	clock := u.text(now.Format("15:04"), 96, colPrimary, true) // the same in both modes: it must leave room
	clock.Alignment = fyne.TextAlignCenter
	dateT := u.text(date, sz.body, colSecondary, false)
	dateT.Alignment = fyne.TextAlignCenter
	notice := u.text(u.w("24小时自助服务", "24-hour self-service"), sz.body, colSuccess, true)
	notice.Alignment = fyne.TextAlignCenter

	start := newTouchButton(u.w("开始办理", "Start"), sizes{button: 60, target: 168, gap: sz.gap}, true, u.touched(u.s.Start))
	elderly := u.secondary(u.w("长者模式", "Senior mode"), func() { u.s.SetElderly(!u.view.Elderly) })
	if u.view.Elderly {
		elderly = u.primary(u.w("长者模式 ✓", "Senior mode ✓"), func() { u.s.SetElderly(false) })
	}
	lang := u.secondary("English", func() { u.s.SetLanguage(kiosk.LangEN) })
	if u.view.Lang == kiosk.LangEN {
		lang = u.secondary("简体中文", func() { u.s.SetLanguage(kiosk.LangZH) })
	}
	query := u.secondary(u.w("查询办理进度", "Check progress"), u.s.OpenQuery)
	ticket := u.secondary(u.w("人工窗口取号", "Counter ticket"), func() {
		u.s.TakeTicket(kiosk.Text{ZH: "综合窗口", EN: "General counter"})
	})
	tips := u.text(u.w("带上身份证 · 可扫随申码 · 办完记得取回执和身份证",
		"Bring your ID card · Suishen code works too · Take your receipt and card when done"), sz.body*0.8, colSecondary, false)
	tips.Alignment = fyne.TextAlignCenter

	gap := func() fyne.CanvasObject {
		r := canvas.NewRectangle(colBackground)
		r.SetMinSize(fyne.NewSize(1, sz.gap))
		return r
	}
	col := container.NewVBox(
		layout.NewSpacer(), center, dateT, clock, notice, gap(),
		container.NewCenter(start), gap(),
		container.NewCenter(container.NewHBox(elderly, lang, query, ticket)),
		layout.NewSpacer(), u.notice(), tips,
	)
	return container.NewPadded(col)
}
