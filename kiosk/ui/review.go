package ui

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/form"
)

// reviewScreen shows every answer with 修改, and the consent row.
func (u *Screens) reviewScreen() fyne.CanvasObject {
	v := u.view
	sz := u.sz()
	var list []fyne.CanvasObject
	if v.Item != nil && v.Item.Bundle() {
		// 一件事: one form, several applications, each worked on its own.
		room := u.textWidth() - 3*sz.target
		list = append(list, u.panel(container.NewVBox(
			u.wrapped(u.t("review.bundle_parts"), sz.body*0.8, u.c.secondary, false, room),
			u.wrapped(u.partLines(v.Item.Parts), sz.button, u.c.text, false, room))))
	}
	for _, f := range v.AllFields {
		if f.Type == kiosk.FieldConsent || f.Type == kiosk.FieldSignature {
			continue
		}
		val := u.displayValue(f, v.Answers[f.ID])
		if f.Type == kiosk.FieldIDNumber {
			val = kiosk.MaskNumber(val) // an ID number is never shown whole on the review
		}
		if val == "" {
			val = u.t("review.blank")
		}
		// The value wraps beside the 修改 button rather than pushing it off
		// a portrait panel.
		room := u.textWidth() - 3*sz.target
		line := container.NewVBox(u.wrapped(u.fieldLabel(f), sz.body*0.8, u.c.secondary, false, room), u.wrapped(val, sz.button, u.c.text, false, room))
		var edit fyne.CanvasObject = layout.NewSpacer()
		if !v.Prefilled[f.ID] {
			id := f.ID
			edit = u.secondary(u.t("review.change"), func() { u.s.Edit(id) })
		}
		row := container.NewBorder(nil, nil, nil, edit, line)
		if e, ok := v.FieldErrors[f.ID]; ok {
			row = container.NewVBox(row, u.text(u.tr(e), sz.body, u.c.errorText, false))
		}
		list = append(list, u.panel(row))
	}
	mark := "☐  "
	if v.Consent {
		mark = "✓  "
	}
	consent := u.secondary(u.rowLabel(mark+u.t("review.consent"), u.screenSize().Width-4*sz.gap), func() { u.s.SetConsent(!v.Consent) })
	// The consent closes the list: read everything, then agree.
	list = append(list, consent)
	body := u.paged(list...)
	next := u.t("review.next")
	if v.BookingForm {
		next = u.t("review.next_booking") // a booking is not signed: its times come next
	}
	return u.frame(u.t("review.title"), body, true, u.primary(next, u.s.Confirm))
}

// displayValue shows an answer in plain words (choice labels, 是/否).
func (u *Screens) displayValue(f kiosk.Field, val string) string {
	switch f.Type {
	case kiosk.FieldYesNo:
		switch val {
		case "yes":
			return u.t("form.yes")
		case "no":
			return u.t("form.no")
		}
	case kiosk.FieldAddress:
		var a form.Address
		if json.Unmarshal([]byte(val), &a) == nil {
			if n := u.opt.Places.CentreName(a); f.Centre && n != "" {
				return n
			}
			return a.String() // a card's address names its district once
		}
	case kiosk.FieldDate:
		// Eight digits typed on the keypad read as a date: 2027年3月15日.
		if t, err := time.Parse("20060102", val); err == nil {
			return u.t("form.date", map[string]any{"Year": t.Year(), "Month": u.t(fmt.Sprintf("month.%d", int(t.Month()))), "Day": t.Day()})
		}
	case kiosk.FieldFamily:
		var ms []form.Member
		if json.Unmarshal([]byte(val), &ms) == nil {
			var lines []string
			for i, m := range ms {
				lines = append(lines, u.memberLine(f, i+1, m))
			}
			if len(ms) == 0 {
				lines = append(lines, u.t("form.value_alone"))
			}
			return strings.Join(lines, "\n")
		}
	case kiosk.FieldChoice:
		for _, o := range f.Options {
			if o.Value == val {
				return u.tr(o.Label)
			}
		}
	}
	return val
}
