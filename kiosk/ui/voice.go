package ui

import (
	"sort"

	"fyne.io/fyne/v2"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/voice"
)

// Voice speaks the screens (a *voice.Speaker). Show is called with every
// view the session publishes, off the UI goroutine; none of the methods
// may block.
type Voice interface {
	Show(voice.Screen)
	Repeat()
	Stop()
	SetOn(bool)
	On() bool
}

// speak tells the voice what the session's latest view says.
func (u *Screens) speak() {
	if u.opt.Voice == nil {
		return
	}
	v := u.s.View()
	s := voiceScreen(v)
	if v.State == flow.ItemDetail && v.Item != nil {
		s.Action = u.itemAction(*v.Item)
	}
	if v.State == flow.Appointment && v.Booked != nil {
		s.Booked = u.whenIn(v.Lang, v.Booked.Start) // as the screen says it; never a name
	}
	if v.State == flow.Appointment && !v.AtPlace.IsZero() {
		// A public place (a registry, a hospital), never the resident's.
		s.Place, s.PlaceAddress = u.tr(v.AtPlace.Name), u.tr(v.AtPlace.Address)
	}
	s.ChoosePlace = v.State == flow.Appointment && len(v.Places) > 0 && v.Booked == nil
	s.BookingForm = v.BookingForm
	u.opt.Voice.Show(s)
}

// itemAction names the item screen's primary button as itemScreen draws
// it, so the voice never asks for a tap on a button that is not there.
func (u *Screens) itemAction(it kiosk.Item) string {
	switch {
	case u.s.CanApply():
		return "apply"
	case u.s.CanBook():
		return "book"
	case u.s.CanQuery():
		return "query"
	case u.s.CanIssue():
		return "print"
	case !it.Can(kiosk.ActionApply):
		return "ticket"
	}
	return ""
}

// phaseWords name the phases of the result and document screens for the
// voice.
var phaseWords = map[flow.Phase]string{
	flow.PhaseAsking: "asking", flow.PhaseShown: "shown", flow.PhasePrinting: "printing",
	flow.PhasePrinted: "printed", flow.PhaseFailed: "failed",
}

// voiceOn reports whether voice is on now (the 重听 button shows then).
func (u *Screens) voiceOn() bool { return u.opt.Voice != nil && u.opt.Voice.On() }

// voiceScreen is what the speaker may know of a view: states, message
// words and numbers to write down, never the resident's name, ID number,
// phone or address.
func voiceScreen(v flow.View) voice.Screen {
	s := voice.Screen{State: v.State.String(), Lang: v.Lang, Elderly: v.Elderly, Reading: v.Reading, CardLeft: v.CardLeft,
		Notice: v.Notice, Countdown: v.Countdown}
	if v.State == flow.ItemDetail && v.Item != nil {
		s.ItemName = v.Item.Name
	}
	if v.State == flow.FormPage && v.Pages > 0 {
		s.Step, s.Steps = v.Page+1, v.Pages
		var ids []string
		for id := range v.FieldErrors {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		order := map[string]int{}
		for i, f := range v.Fields {
			order[f.ID] = i
		}
		sort.SliceStable(ids, func(i, j int) bool { return order[ids[i]] < order[ids[j]] })
		for _, id := range ids {
			s.Errors = append(s.Errors, v.FieldErrors[id])
		}
	}
	if v.Receipt != nil && v.State == flow.Done {
		s.Receipt, s.Queued = v.Receipt.LocalReceipt, v.Receipt.Queued
		if u := v.Receipt.Promise.Unit; v.Receipt.Promise.Days > 0 && (u == "" || u == kiosk.UnitWorkingDays) {
			s.Promise = v.Receipt.Promise.Days
		}
	}
	if v.Status != nil && v.State == flow.Query {
		s.StatusID, s.StatusText = stateWords[v.Status.State], v.Status.Progress
	}
	if v.Ticket != nil && v.State == flow.Ticket {
		s.Ticket, s.Waiting = v.Ticket.Number, v.Ticket.Waiting
	}
	if v.State == flow.Result || v.State == flow.Document {
		s.Phase = phaseWords[v.Phase]
		s.Title = v.DocTitle
		if v.Result != nil {
			s.Title = v.Result.Title // the department's heading; the values are never spoken
		}
	}
	if v.State == flow.Attract && !v.Terminal.Available && !v.TerminalWords.IsZero() {
		s.Unavailable, s.Notice = true, v.TerminalWords
	}
	return s
}

// repeatButton is 重听, on every screen while voice is on.
func (u *Screens) repeatButton() fyne.CanvasObject {
	if !u.voiceOn() {
		return nil
	}
	return u.secondary(u.t("voice.repeat"), u.opt.Voice.Repeat)
}

// voiceSwitch is the attract screen's 语音播报 switch; nil without a voice.
func (u *Screens) voiceSwitch() fyne.CanvasObject {
	if u.opt.Voice == nil {
		return nil
	}
	if u.voiceOn() {
		return u.primary(u.t("voice.switch_on"), func() { u.opt.Voice.SetOn(false); u.redraw() })
	}
	return u.secondary(u.t("voice.switch"), func() { u.opt.Voice.SetOn(true); u.redraw() })
}
