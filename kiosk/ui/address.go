package ui

import (
	"encoding/json"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/form"
)

// addressRows lets the resident pick the district, then the street or town,
// by tapping, and type only the rest of the address. The answer is the
// JSON of form.Address, as the form engine reads it.
func (u *Screens) addressRows(f kiosk.Field, val string) []fyne.CanvasObject {
	var a form.Address
	_ = json.Unmarshal([]byte(val), &a) // an empty or foreign value starts afresh
	set := func(a form.Address) {
		b, _ := json.Marshal(a)
		u.s.SetAnswer(f.ID, string(b))
		u.redraw()
	}
	sz := u.sz()
	var rows []fyne.CanvasObject
	if u.opt.Places == nil {
		return rows
	}
	switch {
	case a.District == "":
		districts := u.opt.Places.Districts()
		var names []string
		for _, d := range districts {
			names = append(names, u.tr(d.Name))
		}
		rows = append(rows, u.text(u.t("form.address_district"), sz.body*0.8, u.c.secondary, false))
		rows = append(rows, u.choiceGrid(names, -1, func(i int) { set(form.Address{District: districts[i].Name.ZH}) })...)
	case a.Street == "" && len(u.opt.Places.Streets(a.District)) > 0:
		streets := u.opt.Places.Streets(a.District)
		rows = append(rows, container.NewHBox(u.text(a.District, sz.button, u.c.text, true),
			u.secondary(u.t("form.address_change_district"), func() { set(form.Address{}) })))
		rows = append(rows, u.text(u.t("form.address_street"), sz.body*0.8, u.c.secondary, false))
		rows = append(rows, u.choiceGrid(streets, -1, func(i int) { set(form.Address{District: a.District, Street: streets[i]}) })...)
	case f.Centre:
		// A pick-up centre: the district and street name it; nothing to type.
		rows = append(rows, u.wrapped("✓  "+u.opt.Places.CentreName(a), sz.button, u.c.text, true, u.formWidth()),
			container.NewHBox(u.secondary(u.t("form.centre_change"), func() { set(form.Address{}) })))
	default:
		rows = append(rows, container.NewHBox(u.text(a.District+a.Street, sz.button, u.c.text, true),
			u.secondary(u.t("form.address_change"), func() { set(form.Address{}) })))
		rows = append(rows, u.text(u.t("form.address_detail"), sz.body*0.8, u.c.secondary, false))
		rows = append(rows, u.valueBox(f.ID, a.Detail))
	}
	return rows
}

// addressTarget types into the detail line of an address answer.
type addressTarget struct {
	u     *Screens
	field string
}

func (t *addressTarget) get() form.Address {
	var a form.Address
	_ = json.Unmarshal([]byte(t.u.s.View().Answers[t.field]), &a)
	return a
}

func (t *addressTarget) put(a form.Address) {
	b, _ := json.Marshal(a)
	t.u.s.SetAnswer(t.field, string(b))
	t.u.redrawLater()
}

func (t *addressTarget) Append(r rune) {
	if a := t.get(); len([]rune(a.Detail)) < 60 {
		a.Detail += string(r)
		t.put(a)
	}
}

func (t *addressTarget) Backspace() {
	a := t.get()
	if r := []rune(a.Detail); len(r) > 0 {
		a.Detail = string(r[:len(r)-1])
		t.put(a)
	}
}

func (t *addressTarget) Clear() { a := t.get(); a.Detail = ""; t.put(a) }
