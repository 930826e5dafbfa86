package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"github.com/tongban/tongban/kiosk"
)

// stateWords are the message IDs saying where a submission is, as this
// terminal knows it.
var stateWords = map[kiosk.SubmissionState]string{
	kiosk.StatePending:      "query.status_queued",
	kiosk.StateSending:      "query.status_sending",
	kiosk.StateAcknowledged: "query.status_received",
	kiosk.StateQuarantined:  "query.status_check",
}

// queryScreen asks for the receipt's QR code and shows the progress.
func (u *Screens) queryScreen() fyne.CanvasObject {
	sz := u.sz()
	col := container.NewVBox(layout.NewSpacer())
	if st := u.view.Status; st != nil {
		col.Add(u.text(u.t("done.receipt_number", map[string]any{"Number": st.LocalReceipt}), sz.heading, u.c.text, true))
		col.Add(u.para(u.tr(st.Item), u.c.text))
		words := u.t(stateWords[st.State])
		if !st.Progress.IsZero() {
			words = u.tr(st.Progress)
		}
		col.Add(u.text(words, sz.heading, u.c.success, true))
		if !st.Reason.IsZero() || st.Reason.EN != "" {
			col.Add(u.para(u.tr(st.Reason), u.c.text))
		}
		// 一件事: each part has its own number and progress.
		for i, p := range st.Parts {
			line := fmt.Sprintf("%d. %s  %s：%s", i+1, u.tr(p.Item), p.Number, u.tr(p.Progress))
			if u.view.Lang == kiosk.LangEN {
				line = fmt.Sprintf("%d. %s  %s: %s", i+1, u.tr(p.Item), p.Number, u.tr(p.Progress))
			}
			if !p.Reason.IsZero() || p.Reason.EN != "" {
				line += " — " + u.tr(p.Reason)
			}
			col.Add(u.para(line, u.c.text))
		}
	} else {
		t := u.text(u.t("query.scan"), sz.heading, u.c.text, true)
		t.Alignment = fyne.TextAlignCenter
		col.Add(t)
	}
	col.Add(layout.NewSpacer())
	return u.frame(u.t("query.title"), col, true)
}

// ticketScreen lets the resident choose the business, then shows the
// counter queue number; while the counters are closed it shows their hours
// and when they open next instead.
func (u *Screens) ticketScreen() fyne.CanvasObject {
	sz := u.sz()
	v := u.view
	col := container.NewVBox(layout.NewSpacer())
	switch {
	case v.TicketsClosed:
		col.Add(u.para(u.t("ticket.closed", map[string]any{"Hours": u.hoursWords(v.Hours)}), u.c.text))
		if !v.OpensNext.IsZero() {
			col.Add(u.para(u.t("ticket.opens_next", map[string]any{"When": u.when(v.OpensNext)}), u.c.text))
		}
		col.Add(u.para(u.t("ticket.closed_instead"), u.c.secondary))
		col.Add(layout.NewSpacer())
		return u.frame(u.t("ticket.title"), col, true, u.primary(u.t("common.done"), u.s.End))
	case len(v.Businesses) > 0:
		rows := []fyne.CanvasObject{u.text(u.t("ticket.choose"), sz.button, u.c.text, true)}
		for _, b := range v.Businesses {
			rows = append(rows, u.secondary(u.tr(b), func() { u.s.TakeTicket(b) }))
		}
		return u.frame(u.t("ticket.title"), u.paged(rows...), true)
	}
	if t := v.Ticket; t != nil {
		label := u.text(u.t("ticket.your_number"), sz.body, u.c.secondary, false)
		label.Alignment = fyne.TextAlignCenter
		n := u.text(t.Number, sz.heading*2, u.c.primary, true)
		n.Alignment = fyne.TextAlignCenter
		col.Add(label)
		col.Add(n)
		if t.Waiting > 0 {
			w := u.text(u.t("ticket.waiting", map[string]any{"Count": t.Waiting}), sz.heading, u.c.text, true)
			w.Alignment = fyne.TextAlignCenter
			col.Add(w)
		}
		take := u.text(u.t("ticket.take"), sz.body, u.c.text, false)
		take.Alignment = fyne.TextAlignCenter
		col.Add(take)
	} else if v.Notice.IsZero() {
		col.Add(u.text(u.t("ticket.getting"), sz.heading, u.c.text, true))
	}
	col.Add(layout.NewSpacer())
	return u.frame(u.t("ticket.title"), col, true, u.primary(u.t("common.done"), u.s.End))
}

// hoursWords says the counters' hours: 星期一至星期五 09:00-12:00 13:00-17:00.
func (u *Screens) hoursWords(h kiosk.Hours) string {
	var runs []string
	day := func(d int) string { return u.t(fmt.Sprintf("weekday.%d", d%7)) }
	for i := 1; i <= 7; { // Monday first
		if !h.Days[i%7] {
			i++
			continue
		}
		j := i
		for j+1 <= 7 && h.Days[(j+1)%7] {
			j++
		}
		switch {
		case j-i >= 2:
			runs = append(runs, u.t("hours.days", map[string]any{"From": day(i), "To": day(j)}))
		case j > i:
			runs = append(runs, day(i), day(j))
		default:
			runs = append(runs, day(i))
		}
		i = j + 1
	}
	var spans []string
	for _, s := range h.Spans {
		spans = append(spans, fmt.Sprintf("%02d:%02d-%02d:%02d", s.From/60, s.From%60, s.To/60, s.To%60))
	}
	return u.t("hours.line", map[string]any{"Days": strings.Join(runs, u.t("hours.list_separator")), "Spans": strings.Join(spans, " ")})
}
