package ui

import (
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
		return container.NewVBox(u.text(title, sz.button, u.c.primary, true), u.para(body, u.c.text))
	}
	var mats []string
	for _, m := range it.Materials {
		name := map[string]any{"Name": u.tr(m.Name)}
		line := u.tr(m.Name)
		if m.FromLicenceLibrary {
			line = u.t("item.material_free_line", name)
		} else if !m.Required {
			line = u.t("item.material_if_any_line", name)
		}
		mats = append(mats, "· "+line)
	}
	if len(mats) == 0 {
		mats = []string{u.t("item.no_materials")}
	}
	body := container.NewVBox(
		u.para(u.tr(it.Summary), u.c.secondary),
		section(u.t("item.who_can_apply"), u.tr(it.WhoCanApply)),
		section(u.t("item.materials"), strings.Join(mats, "\n")),
		section(u.t("item.time_limit"), u.promise(it.Promise)),
		section(u.t("item.after_done"), u.tr(it.AfterDone)),
	)
	var actions []fyne.CanvasObject
	if it.Can(kiosk.ActionQuery) {
		actions = append(actions, u.secondary(u.t("query.title"), u.s.OpenQuery))
	}
	if u.s.CanBook() {
		book := u.secondary(u.t("item.book"), u.s.OpenAppointment)
		if !u.s.CanApply() {
			book = u.primary(u.t("item.book"), u.s.OpenAppointment)
		}
		actions = append(actions, book)
	}
	if u.s.CanApply() {
		actions = append(actions, u.primary(u.t("item.apply"), u.s.Apply))
	} else if !it.Can(kiosk.ActionApply) && !u.s.CanBook() {
		actions = append(actions, u.primary(u.t("item.ticket"), func() { u.s.TakeTicket(it.Name) }))
	}
	return u.frame(u.tr(it.Name), container.NewVScroll(body), true, actions...)
}

// promise says a time limit in plain words: 当场办好, 30个工作日.
func (u *Screens) promise(p kiosk.TimeLimit) string {
	if p.Days == 0 {
		return u.t("item.on_the_spot")
	}
	id := "item.working_days"
	switch p.Unit {
	case "calendar-days":
		id = "item.calendar_days"
	case "months":
		id = "item.months"
	}
	return u.t(id, map[string]any{"Count": p.Days})
}
