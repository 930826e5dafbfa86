package voice

import (
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// Screen is what the speaker needs to know about the screen on show. The
// UI fills it from the session's view; it has no field for personal data.
type Screen struct {
	State   string     // the flow state's name: "attract", "identify", "form", …
	Lang    kiosk.Lang // the session's language
	Elderly bool       // 长者模式: voice is on unless the resident turned it off
	Reading bool       // an ID card is being read
	// CardLeft: the resident's ID card is still on the reader. After the
	// visit (on the attract screen) 请取走您的身份证 is spoken whether
	// voice is on or not, and again every ten seconds (UX.md §5).
	CardLeft bool

	ItemName kiosk.Text // the item on the item screen (a catalog name, never personal)
	// Action is the item screen's primary button: "apply", "book" or
	// "ticket"; "" when none can be used now (nothing is promised then).
	Action string
	Step   int // the form page, 1-based, and the page count
	Steps  int

	// NoticeID and NoticeArgs are the notice as a message ID (the way the
	// session reports them); Notice is a notice already in words, for a
	// session that still reports words. NoticeID wins when both are set.
	NoticeID   string
	NoticeArgs map[string]any
	Notice     kiosk.Text
	// Errors are the form page's field errors, in plain words
	// (手机号码应为11位数字): they say what is wrong, never the value.
	Errors []kiosk.Text

	Countdown int // seconds left on the countdown overlay, 0 when none

	Receipt     string     // the local receipt number, read digit by digit
	Promise     int        // working days promised on the done screen
	Queued      bool       // only queued: say it will be sent later
	Ticket      string     // the counter queue number
	Waiting     int        // people ahead of the ticket
	Booked      string     // the appointment booked, as shown (12月3日 星期四 09:00)
	StatusID    string     // the query screen's status, as a message ID
	StatusText  kiosk.Text // or in words, when the back office said more
	Unavailable bool       // the terminal cannot serve now (TerminalWords in Notice)
	// The result and document screens: the phase ("asking", "shown",
	// "printing", "printed", "failed") and the title of the result or
	// document (a department's heading, never a value of the result).
	Phase string
	Title kiosk.Text

	// Place and PlaceAddress are where an appointment is kept when it is
	// not this center (a marriage registry, an assessment hospital): a
	// public place, said so the resident knows where to go; ChoosePlace:
	// the times are at several places and one is to be chosen first.
	// BookingForm: the review leads to choosing a time, not to signing.
	Place, PlaceAddress string
	ChoosePlace         bool
	BookingForm         bool
}

// Line is one sentence to say: a message ID of the screens' words with
// its arguments, words ready to say (Text), or a code to spell.
type Line struct {
	ID    string
	Args  map[string]any
	Text  kiosk.Text
	Spell string // said after the words, one character at a time
}

// privateArgs are argument names that would carry personal data into a
// sentence; a line with one of them is never spoken.
var privateArgs = []string{"name", "id", "idnumber", "phone", "mobile", "address", "applicant", "greeting"}

// private reports whether a line's arguments might hold personal data.
func (l Line) private() bool {
	for k := range l.Args {
		for _, p := range privateArgs {
			if strings.EqualFold(k, p) {
				return true
			}
		}
	}
	return false
}

// countdownPhase is when the countdown is spoken: as it appears, then once
// more at the last ten seconds.
func countdownPhase(n int) int {
	switch {
	case n <= 0:
		return 0
	case n > 10:
		return 1
	}
	return 2
}

// Script returns what a screen says, in order: the heading, the notice
// (an error or device problem comes before what to do), the one thing to
// do now, numbers to write down; the countdown overlay instead, when it
// is up. Staff screens say nothing.
func Script(s Screen) []Line {
	if cardForgotten(s) {
		return []Line{{ID: "identify.take_card"}}
	}
	if s.Countdown > 0 {
		lines := []Line{{ID: "countdown.question"}, {ID: "countdown.seconds", Args: map[string]any{"Count": s.Countdown}}}
		if countdownPhase(s.Countdown) == 1 {
			lines = append(lines, Line{ID: "voice.countdown_buttons"})
		}
		return lines
	}
	var lines []Line
	add := func(id string, args map[string]any) { lines = append(lines, Line{ID: id, Args: args}) }
	notice := func() {
		switch {
		case s.NoticeID != "":
			if l := (Line{ID: s.NoticeID, Args: s.NoticeArgs}); !l.private() {
				lines = append(lines, l)
			}
		case !s.Notice.IsZero():
			lines = append(lines, Line{Text: s.Notice})
		}
	}
	switch s.State {
	case "attract":
		if s.Unavailable {
			notice()
			return lines
		}
		notice()
		add("attract.tip_bring_card", nil)
		add("attract.tip_scan_code", nil)
		add("attract.tip_take_receipt", nil)
		add("voice.tap_start", nil)
	case "identify":
		add("identify.title", nil)
		notice()
		if s.Reading {
			add("identify.reading", nil)
		} else {
			add("identify.place_card", nil)
			add("identify.no_card", nil)
		}
	case "browse":
		add("browse.title", nil)
		notice()
	case "item":
		if s.ItemName.ZH != "" {
			lines = append(lines, Line{Text: s.ItemName})
		}
		notice()
		switch s.Action {
		case "apply", "book", "ticket", "query", "print":
			add("voice.tap_"+s.Action, nil)
		}
	case "form":
		if s.Steps > 0 {
			add("common.step", map[string]any{"Step": s.Step, "Total": s.Steps})
		}
		notice()
		for _, e := range s.Errors {
			lines = append(lines, Line{Text: e})
		}
		add("voice.fill_form", nil)
	case "review":
		add("review.title", nil)
		notice()
		if s.BookingForm {
			add("voice.review_booking", nil)
		} else {
			add("voice.review", nil)
		}
	case "sign":
		add("sign.title", nil)
		notice()
		add("sign.hint", nil)
	case "submitting":
		add("submit.progress", nil)
	case "done":
		add("done.accepted", nil)
		if s.Receipt != "" {
			lines = append(lines, Line{ID: "voice.receipt_number", Spell: s.Receipt})
		}
		if s.Promise > 0 {
			add("done.promise", map[string]any{"Count": s.Promise})
		}
		if s.Queued {
			add("done.queued", nil)
		}
		notice()
		add("done.take_receipt", nil)
	case "query":
		add("query.title", nil)
		notice()
		switch {
		case !s.StatusText.IsZero():
			lines = append(lines, Line{Text: s.StatusText})
		case s.StatusID != "":
			add(s.StatusID, nil)
		default:
			add("query.scan", nil)
		}
	case "ticket":
		add("ticket.title", nil)
		notice()
		if s.Ticket == "" {
			add("ticket.choose", nil)
			break
		}
		lines = append(lines, Line{ID: "ticket.your_number", Spell: s.Ticket})
		if s.Waiting > 0 {
			add("ticket.waiting", map[string]any{"Count": s.Waiting})
		}
		add("ticket.take", nil)
	case "result", "document":
		if !s.Title.IsZero() {
			lines = append(lines, Line{Text: s.Title})
		}
		switch {
		case s.Phase == "asking" && s.State == "result":
			add("dept.asking", nil)
		case s.Phase == "asking":
			add("dept.issuing", nil)
		case s.Phase == "printing":
			add("dept.printing", nil)
		case s.Phase == "shown":
			notice()
			add("voice.result_shown", nil)
		default: // printed or failed: the notice says what to do now
			notice()
		}
	case "appointment":
		add("appointment.title", nil)
		notice()
		switch {
		case s.Booked != "" && s.Place != "":
			add("appointment.booked_place", map[string]any{"When": s.Booked, "Place": s.Place, "PlaceAddress": s.PlaceAddress})
		case s.Booked != "":
			add("appointment.booked", map[string]any{"When": s.Booked})
		case s.ChoosePlace:
			add("appointment.choose_place", nil)
		default:
			if s.Place != "" {
				add("appointment.place_is", map[string]any{"Place": s.Place, "PlaceAddress": s.PlaceAddress})
			}
			add("appointment.choose_day", nil)
		}
	}
	return lines
}

// cardForgotten: the visit is over and the ID card is still on the reader.
func cardForgotten(s Screen) bool { return s.State == "attract" && s.CardLeft }

// CardReminderEvery is how often 请取走您的身份证 is repeated while a
// forgotten card stays on the reader.
const CardReminderEvery = 10 * time.Second

// cue identifies what a screen says: the speaker starts again only when
// it changes, not at every tick of a countdown.
func cue(s Screen) string {
	var b strings.Builder
	b.WriteString(s.State)
	b.WriteByte('|')
	b.WriteString(string(s.Lang))
	for _, x := range []string{s.NoticeID, cueText(s.Notice), s.ItemName.ZH, s.Action, s.Receipt, s.Ticket, s.Booked, s.StatusID, cueText(s.StatusText), s.Phase, cueText(s.Title), s.Place} {
		b.WriteByte('|')
		b.WriteString(x)
	}
	for _, e := range s.Errors {
		b.WriteString("|e:" + cueText(e))
	}
	for _, f := range []bool{s.Reading, s.Queued, s.Unavailable, s.CardLeft} {
		if f {
			b.WriteString("|1")
		} else {
			b.WriteString("|0")
		}
	}
	b.WriteString("|" + itoa(s.Step) + "|" + itoa(countdownPhase(s.Countdown)))
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }

// cueText identifies a text for cue: its Chinese words, or a message's ID
// and arguments.
func cueText(t kiosk.Text) string {
	if !t.IsMessage() {
		return t.ZH
	}
	k := t.ID
	for _, a := range t.Args() {
		if a.Name != "" {
			k += "," + a.Name + "=" + a.Value
		}
	}
	return k
}
