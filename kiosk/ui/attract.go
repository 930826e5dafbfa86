package ui

import (
	"fmt"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"

	"github.com/tongban/tongban/kiosk"
)

// attract is the idle screen: center, date and time, 开始办理.
func (u *Screens) attract() fyne.CanvasObject {
	now := u.now()
	sz := u.sz()
	center := u.text(u.opt.CenterName, sz.heading, u.c.text, true)
	center.Alignment = fyne.TextAlignCenter
	for room := u.screenSize().Width - 4*sz.gap; center.MinSize().Width > room && center.TextSize > sz.body; {
		center.TextSize *= 0.9 // a long center name on a portrait panel
	}
	date := u.t("common.date", map[string]any{
		"Year": now.Year(), "Month": u.t(fmt.Sprintf("month.%d", int(now.Month()))), "Day": now.Day(),
		"Weekday": u.t(fmt.Sprintf("weekday.%d", int(now.Weekday()))),
	})
	clockSize := float32(96)
	if u.view.Elderly {
		clockSize = 72 // 长者模式's larger buttons need the room; still larger than any text
	}
	clock := u.text(now.Format("15:04"), clockSize, u.c.primary, true)
	clock.Alignment = fyne.TextAlignCenter
	dateT := u.text(date, sz.body, u.c.secondary, false)
	dateT.Alignment = fyne.TextAlignCenter
	notice := u.text(u.t("attract.self_service_24h"), sz.body, u.c.success, true)
	notice.Alignment = fyne.TextAlignCenter

	start := newTouchButton(u.t("attract.start"), sizes{button: 60, target: 168, gap: sz.gap, pal: u.c}, true, u.touched(u.s.Start))
	elderly := u.secondary(u.t("common.senior_mode"), func() { u.s.SetElderly(!u.view.Elderly) })
	contrast := u.secondary(u.t("common.high_contrast"), func() { u.s.SetHighContrast(true) })
	if u.view.HighContrast {
		contrast = u.primary(u.t("common.high_contrast")+" ✓", func() { u.s.SetHighContrast(false) })
	}
	if u.view.Elderly {
		elderly = u.primary(u.t("common.senior_mode")+" ✓", func() { u.s.SetElderly(false) })
	}
	other := kiosk.LangEN
	if u.view.Lang == kiosk.LangEN {
		other = kiosk.LangZH
	}
	lang := u.secondary(u.t("common.language_other"), func() { u.s.SetLanguage(other) })
	query := u.secondary(u.t("query.title"), u.s.OpenQuery)
	ticket := u.secondary(u.t("item.ticket"), u.s.OpenTickets)
	tips := u.tips([]string{u.t("attract.tip_bring_card"), u.t("attract.tip_scan_code"), u.t("attract.tip_take_receipt")})

	gap := func() fyne.CanvasObject {
		r := canvas.NewRectangle(u.c.background)
		r.SetMinSize(fyne.NewSize(1, sz.gap))
		return r
	}
	// Staff open their menu by tapping the clock five times in a row: no
	// resident does that by accident, and nothing on screen invites it.
	clockArea := newTapArea(clock, u.staffTap)
	// Technicians have their own gesture and code, apart from staff's:
	// five taps on the center's name.
	centerArea := fyne.CanvasObject(center)
	if u.opt.Technician != nil {
		centerArea = newTapArea(center, u.technicianTap)
	}
	if !u.view.Terminal.Available && !u.view.TerminalWords.IsZero() {
		notice = u.text(u.t("device.paused_because", map[string]any{"Why": u.tr(u.view.TerminalWords)}), sz.body, u.c.errorText, true)
		notice.Alignment = fyne.TextAlignCenter
	}
	// Lines closer together than the theme's padding (24 px in 长者模式):
	// with a notice and 长者模式's buttons the screen must still fit.
	col := container.New(layout.NewCustomPaddedVBoxLayout(sz.gap/2),
		layout.NewSpacer(), centerArea, dateT, clockArea, notice, gap(),
		container.NewCenter(u.startRow(start)), gap(),
		container.NewCenter(u.buttonRow(elderly, contrast, lang, query, ticket)),
		layout.NewSpacer(), u.notice(), tipsUnlessNotice(u.view.Notice, tips),
	)
	return container.NewPadded(col)
}

// startRow puts the voice switch and, while voice is on, 重听 on either
// side of 开始办理: beside the tallest button they take no height, and the
// row below keeps room for its five (in 长者模式 on a 1080-high panel, two
// more buttons there pushed the tips off the screen).
func (u *Screens) startRow(start fyne.CanvasObject) fyne.CanvasObject {
	sw, again := u.voiceSwitch(), u.repeatButton()
	if sw == nil {
		return start
	}
	side := sw.MinSize()
	if again != nil {
		side = side.Max(again.MinSize())
	}
	// Both sides as wide as the wider, so 开始办理 stays in the middle.
	slot := func(o fyne.CanvasObject) fyne.CanvasObject {
		r := canvas.NewRectangle(color.Transparent)
		r.SetMinSize(side)
		if o == nil {
			return r
		}
		return container.NewStack(r, container.NewCenter(o))
	}
	return container.NewHBox(slot(sw), start, slot(again))
}

// tips shows the attract screen's tips on one line joined by " · ", or one
// under the other when that line is wider than the screen (English, a
// portrait panel, 长者模式).
func (u *Screens) tips(tips []string) fyne.CanvasObject {
	size := u.sz().body * 0.8
	line := strings.Join(tips, " · ")
	if fyne.MeasureText(line, size, fyne.TextStyle{}).Width <= u.screenSize().Width-4*u.sz().gap {
		tips = []string{line}
	}
	col := container.NewVBox()
	for _, tip := range tips {
		t := u.text(tip, size, u.c.secondary, false)
		t.Alignment = fyne.TextAlignCenter
		col.Add(t)
	}
	return col
}

// buttonRow puts buttons side by side, or two to a row when one row is
// wider than the screen (a portrait panel, 长者模式, English).
func (u *Screens) buttonRow(buttons ...fyne.CanvasObject) fyne.CanvasObject {
	room := u.screenSize().Width - 4*u.sz().gap
	width, widest := float32(0), float32(0)
	for _, b := range buttons {
		width += b.MinSize().Width + theme.Padding()
		widest = max(widest, b.MinSize().Width)
	}
	switch {
	case width <= room:
		return container.NewHBox(buttons...)
	case 3*(widest+theme.Padding()) <= room && len(buttons) > 4:
		return container.NewGridWithColumns(3, buttons...) // two rows, not three
	case 2*(widest+theme.Padding()) <= room:
		return container.NewGridWithColumns(2, buttons...)
	}
	return container.NewVBox(buttons...)
}

// staffTap counts taps on the attract screen's clock; five within three
// seconds open the staff code entry.
func (u *Screens) staffTap() {
	now := time.Now()
	if len(u.staffTaps) > 0 && now.Sub(u.staffTaps[0]) > 3*time.Second {
		u.staffTaps = nil
	}
	u.staffTaps = append(u.staffTaps, now)
	if len(u.staffTaps) >= 5 {
		u.staffTaps = nil
		u.s.OpenStaff()
	}
}

// technicianTap counts taps on the attract screen's center name; five
// within three seconds open technician mode.
func (u *Screens) technicianTap() {
	now := time.Now()
	if len(u.techTaps) > 0 && now.Sub(u.techTaps[0]) > 3*time.Second {
		u.techTaps = nil
	}
	u.techTaps = append(u.techTaps, now)
	if len(u.techTaps) >= 5 {
		u.techTaps = nil
		u.opt.Technician()
	}
}

// tipsUnlessNotice leaves the tips out while a notice (请取走您的身份证)
// needs the room: what the resident must do comes before what is nice to know.
func tipsUnlessNotice(n kiosk.Text, tips fyne.CanvasObject) fyne.CanvasObject {
	if !n.IsZero() {
		return layout.NewSpacer()
	}
	return tips
}
