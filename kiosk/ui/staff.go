package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"github.com/tongban/tongban/kiosk"
)

// staffCodeTarget takes the staff code's digits; they are never drawn.
type staffCodeTarget struct{ u *Screens }

func (t staffCodeTarget) Append(r rune) {
	if len(t.u.staffCode) < 12 {
		t.u.staffCode = append(t.u.staffCode, r)
		t.u.redrawLater()
	}
}

func (t staffCodeTarget) Backspace() {
	if n := len(t.u.staffCode); n > 0 {
		t.u.staffCode[n-1] = 0
		t.u.staffCode = t.u.staffCode[:n-1]
		t.u.redrawLater()
	}
}

func (t staffCodeTarget) Clear() {
	clear(t.u.staffCode)
	t.u.staffCode = t.u.staffCode[:0]
	t.u.redrawLater()
}

// staffLoginScreen asks for the staff code on a numeric pad.
func (u *Screens) staffLoginScreen() fyne.CanvasObject {
	sz := u.sz()
	dots := u.text(strings.Repeat("● ", len(u.staffCode))+" ", sz.heading, u.c.text, true)
	dots.Alignment = fyne.TextAlignCenter
	ask := "staff.enter_code"
	switch {
	case u.view.StaffBadgeRead:
		ask = "staff.enter_pin"
	case u.view.StaffBadges:
		ask = "staff.scan_badge"
	}
	prompt := u.text(u.t(ask), sz.body, u.c.secondary, false)
	prompt.Alignment = fyne.TextAlignCenter
	ok := u.primary(u.t("staff.ok"), func() {
		code := string(u.staffCode)
		clear(u.staffCode)
		u.staffCode = u.staffCode[:0]
		u.s.StaffCode(code)
	})
	body := container.NewVBox(layout.NewSpacer(), prompt, dots,
		container.NewCenter(u.keyboardOf(kbDigits, staffCodeTarget{u})), layout.NewSpacer())
	return u.frame(u.t("staff.code_title"), body, true, ok)
}

// staffMenuScreen shows the terminal's state and the staff actions. It
// shows no resident's data: counts and device states only.
func (u *Screens) staffMenuScreen() fyne.CanvasObject {
	sz := u.sz()
	r := u.view.StaffReport
	info := container.NewVBox()
	if r == nil {
		info.Add(u.text(u.t("staff.loading"), sz.body, u.c.secondary, false))
	} else {
		info.Add(u.text(u.t("staff.devices"), sz.button, u.c.primary, true))
		for _, d := range r.Devices {
			info.Add(u.text("· "+u.deviceLine(d), sz.body, u.deviceColour(d), false))
		}
		state := u.t("staff.online")
		if !r.BackOffice {
			state = u.t("staff.offline")
		}
		for _, line := range []string{
			u.t("staff.backoffice", map[string]any{"State": state}),
			u.t("staff.pending", map[string]any{"Count": r.Pending}),
			u.t("staff.quarantined", map[string]any{"Count": r.Quarantined}),
			u.t("staff.unprinted", map[string]any{"Count": r.Unprinted}),
			u.t("staff.catalog", map[string]any{"Version": r.Catalog}),
		} {
			info.Add(u.text(line, sz.body, u.c.text, false))
		}
	}
	if u.confirmExit {
		// 退出程序 stops the terminal for every resident after: ask first,
		// with 取消 where the other actions were.
		ask := u.wrapped(u.t("staff.exit_confirm"), sz.heading, u.c.errorText, true, u.textWidth())
		actions := container.NewGridWithColumns(2,
			u.secondary(u.t("common.cancel"), func() { u.confirmExit = false; u.redraw() }),
			u.primary(u.t("staff.exit_yes"), func() { u.confirmExit = false; u.s.StaffAction("exit") }))
		return u.frame(u.t("staff.title"), container.NewBorder(nil, actions, nil, nil, container.NewCenter(ask)), true)
	}
	// The result of an action shows above the figures, not over the
	// buttons: the buttons stay where the finger expects them.
	if n := u.view.Notice; !n.IsZero() {
		fg := u.c.errorText
		if u.view.NoticeOK {
			fg = u.c.success
		}
		info.Objects = append([]fyne.CanvasObject{u.wrapped(u.tr(n), sz.body, fg, true, u.textWidth())}, info.Objects...)
	}
	actions := container.NewGridWithColumns(2,
		u.secondary(u.t("staff.reprint"), func() { u.s.StaffAction("reprint") }),
		u.secondary(u.t("staff.selftest"), func() { u.s.StaffAction("selftest") }),
		u.secondary(u.t("staff.retry"), func() { u.s.StaffAction("retry") }),
		u.secondary(u.t("staff.exit"), func() { u.confirmExit = true; u.redraw() }),
	)
	body := container.NewBorder(nil, actions, nil, nil, u.paged(info.Objects...))
	return u.frame(u.t("staff.title"), body, true)
}

// deviceLine says a device's state in plain words.
func (u *Screens) deviceLine(d kiosk.DeviceStatus) string {
	data := map[string]any{"Kind": u.t("device.kind." + string(d.Kind)), "State": u.t("device.state." + string(d.State))}
	if d.Kind == kiosk.DevicePrinter && d.Paper != kiosk.PaperUnknown {
		data["Paper"] = u.t("device.paper." + string(d.Paper))
		return u.t("device.line_paper", data)
	}
	return u.t("device.line", data)
}

// deviceColour is red for a device that cannot serve.
func (u *Screens) deviceColour(d kiosk.DeviceStatus) color.Color {
	if d.Usable() {
		return u.c.text
	}
	return u.c.errorText
}
