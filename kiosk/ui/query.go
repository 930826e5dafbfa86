package ui

import (
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
	} else {
		t := u.text(u.t("query.scan"), sz.heading, u.c.text, true)
		t.Alignment = fyne.TextAlignCenter
		col.Add(t)
	}
	col.Add(layout.NewSpacer())
	return u.frame(u.t("query.title"), col, true)
}

// ticketScreen shows the counter queue number.
func (u *Screens) ticketScreen() fyne.CanvasObject {
	sz := u.sz()
	col := container.NewVBox(layout.NewSpacer())
	if t := u.view.Ticket; t != nil {
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
	} else if u.view.Notice.IsZero() {
		col.Add(u.text(u.t("ticket.getting"), sz.heading, u.c.text, true))
	}
	col.Add(layout.NewSpacer())
	return u.frame(u.t("ticket.title"), col, true, u.primary(u.t("common.done"), u.s.End))
}
