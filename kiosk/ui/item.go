package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/tongban/tongban/kiosk"
)

// itemScreen explains an item before the resident applies: who can apply,
// what to bring, how long it takes, what happens next.
func (u *Screens) itemScreen() fyne.CanvasObject {
	it := u.view.Item
	if it == nil {
		return u.frame("", nil, true)
	}
	sz := u.sz()
	section := func(title, body string) fyne.CanvasObject {
		return container.NewVBox(u.text(title, sz.button, colPrimary, true), u.para(body, colText))
	}
	var mats []string
	for _, m := range it.Materials {
		line := "· " + u.tr(m.Name)
		if m.FromLicenceLibrary {
			line += u.w("（免交，已由电子证照库调取）", " (not needed: from the e-licence library)")
		} else if !m.Required {
			line += u.w("（如有）", " (if any)")
		}
		mats = append(mats, line)
	}
	if len(mats) == 0 {
		mats = []string{u.w("无需额外材料", "Nothing else to bring")}
	}
	body := container.NewVBox(
		u.para(u.tr(it.Summary), colSecondary),
		section(u.w("谁可以办", "Who can apply"), u.tr(it.WhoCanApply)),
		section(u.w("需要准备", "What you need"), strings.Join(mats, "\n")),
		section(u.w("多久办好", "How long"), promiseText(it.Promise, u.view.Lang)),
		section(u.w("办好后", "What happens next"), u.tr(it.AfterDone)),
	)
	var actions []fyne.CanvasObject
	if u.s.CanApply() {
		actions = append(actions, u.primary(u.w("开始申请", "Apply"), u.s.Apply))
	} else if !it.Can(kiosk.ActionApply) {
		actions = append(actions, u.primary(u.w("人工窗口取号", "Counter ticket"), func() { u.s.TakeTicket(it.Name) }))
	}
	return u.frame(u.tr(it.Name), container.NewVScroll(body), true, actions...)
}

// promiseText says a time limit in plain words.
func promiseText(p kiosk.TimeLimit, lang kiosk.Lang) string {
	if p.Days == 0 {
		return kiosk.Text{ZH: "当场办结", EN: "Done on the spot"}.In(lang)
	}
	unit := kiosk.Text{ZH: "个工作日", EN: " working days"}
	switch p.Unit {
	case "calendar-days":
		unit = kiosk.Text{ZH: "天", EN: " days"}
	case "months":
		unit = kiosk.Text{ZH: "个月", EN: " months"}
	}
	return fmt.Sprintf("%d%s", p.Days, unit.In(lang))
}
