package ui

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
)

// itemScreen explains an item before the resident applies: who can apply,
// what to bring, how long it takes, what happens next.
func (u *Screens) itemScreen() fyne.CanvasObject {
	it := u.view.Item
	if it == nil {
		return u.frame("", nil, true)
	}
	sz := u.sz()
	// Every line its own row, so that a long text pages between lines.
	var rows []fyne.CanvasObject
	lines := func(s string, size float32, c color.Color, bold bool) {
		rows = append(rows, u.wrapped(s, size, c, bold, u.textWidth()).(*fyne.Container).Objects...)
	}
	section := func(title, body string) {
		lines(title, sz.button, u.c.primary, true)
		lines(body, sz.body, u.c.text, false)
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
		// Only an item the terminal serves knows it needs nothing more;
		// for the others the counter says what to bring.
		mats = []string{u.t("item.no_materials")}
		if !it.Served() {
			mats = []string{u.t("item.materials_at_counter")}
		}
	}
	lines(u.tr(it.Summary), sz.body, u.c.secondary, false)
	if it.Bundle() {
		// 一件事: what the one form applies for, each handled on its own.
		section(u.t("item.bundle_parts"), u.partLines(it.Parts))
	}
	section(u.t("item.who_can_apply"), u.tr(it.WhoCanApply))
	section(u.t("item.materials"), strings.Join(mats, "\n"))
	if figs := u.figureLines(*it); len(figs) > 0 {
		section(u.t("item.figures"), strings.Join(figs, "\n"))
	}
	section(u.t("item.time_limit"), u.itemPromise(*it))
	section(u.t("item.after_done"), u.tr(it.AfterDone))
	if basis := u.legalBasisLines(*it); len(basis) > 0 {
		section(u.t("item.legal_basis"), strings.Join(basis, "\n"))
	}
	served := u.s.CanQuery() || u.s.CanIssue() // a department's query or document can be had here
	if !u.view.Notice.IsZero() && !u.s.CanApply() && !served {
		lines(u.t("item.go_elsewhere"), sz.body, u.c.text, true) // where to go instead, 12345 too
	}
	var actions []fyne.CanvasObject
	greyed := false // an action this terminal cannot do now: the counter is offered
	if it.Can(kiosk.ActionQuery) && flow.IsProgressQuery(*it) {
		actions = append(actions, u.secondary(u.t("query.title"), u.s.OpenQuery)) // scan the receipt's QR code
	}
	// A department's query and a document: greyed, with the reason in the
	// notice, when this center has not connected them or the back office
	// or the A4 printer cannot serve now.
	if it.Can(kiosk.ActionPrint) {
		doc := u.primary(u.t("item.print_document"), u.s.IssueDocument)
		doc.disabled = !u.s.CanIssue()
		greyed = greyed || doc.disabled
		actions = append(actions, doc)
	}
	if it.Can(kiosk.ActionQuery) && !flow.IsProgressQuery(*it) {
		q := u.primary(u.t("item.run_query"), u.s.RunQuery)
		q.disabled = !u.s.CanQuery()
		greyed = greyed || q.disabled
		actions = append(actions, q)
	}
	if u.s.CanBook() {
		book := u.secondary(u.t("item.book"), u.s.OpenAppointment)
		if !u.s.CanApply() {
			book = u.primary(u.t("item.book"), u.s.OpenAppointment)
		}
		actions = append(actions, book)
	}
	if u.view.AgentOK {
		// 代办: the resident's card is read; the applicant's details typed.
		actions = append(actions, u.secondary(u.t("item.apply_for_other"), u.s.ApplyForOther))
	}
	if u.s.CanApply() {
		actions = append(actions, u.primary(u.t("item.apply"), u.s.Apply))
	} else if it.Can(kiosk.ActionApply) && !u.s.CanBook() {
		// Greyed, its reason in the notice (a device, eligibility, or a
		// face match this terminal cannot do).
		apply := u.primary(u.t("item.apply"), u.s.Apply)
		apply.disabled = true
		greyed = true
		actions = append(actions, apply)
	}
	if !u.s.CanBook() && (greyed || !it.Can(kiosk.ActionApply)) {
		take := func() { u.s.TakeTicket(it.Name) }
		if served || u.s.CanApply() { // the counter is the other way, left of the live action
			actions = append([]fyne.CanvasObject{u.secondary(u.t("item.ticket"), take)}, actions...)
		} else {
			actions = append(actions, u.primary(u.t("item.ticket"), take))
		}
	}
	return u.frame(u.tr(it.Name), u.paged(rows...), true, u.actionRows(actions)...)
}

// actionRows lays out the item screen's buttons in one row when they fit
// the panel; otherwise the first (the way to the counter) above the
// others, or one a row, all to the right, the primary action last.
func (u *Screens) actionRows(actions []fyne.CanvasObject) []fyne.CanvasObject {
	room := u.screenSize().Width - 4*u.sz().gap
	width := func(bs []fyne.CanvasObject) float32 {
		w := float32(0)
		for _, b := range bs {
			w += b.MinSize().Width + theme.Padding()
		}
		return w
	}
	if len(actions) < 2 || width(actions) <= room {
		return actions
	}
	right := func(bs ...fyne.CanvasObject) fyne.CanvasObject {
		return container.NewHBox(append([]fyne.CanvasObject{layout.NewSpacer()}, bs...)...)
	}
	col := container.NewVBox(right(actions[0]))
	if rest := actions[1:]; width(rest) <= room {
		col.Add(right(rest...))
	} else {
		for _, b := range rest {
			col.Add(right(b))
		}
	}
	return []fyne.CanvasObject{col}
}

// itemPromise is the item's 多久办好: a zero time limit is 当场办结 only
// when the terminal itself serves the item; an item it only guides to the
// counter, a ticket or an appointment has its time told at the counter.
func (u *Screens) itemPromise(it kiosk.Item) string {
	if it.Promise.Days == 0 && !it.Served() {
		return u.t("item.time_at_counter")
	}
	return u.promise(it.Promise)
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

// partLines lists a 一件事 bundle's parts, numbered, one a line.
func (u *Screens) partLines(parts []kiosk.Part) string {
	lines := make([]string, len(parts))
	for i, p := range parts {
		lines[i] = fmt.Sprintf("%d. %s", i+1, u.tr(p.Name))
	}
	return strings.Join(lines, "\n")
}
