package flow

import "time"

// Timing holds the session's timeouts (UX.md §5).
type Timing struct {
	Idle      time.Duration // on a screen before the countdown starts
	Countdown time.Duration // countdown before the session ends
	Done      time.Duration // on the done screen before returning to attract
}

// NormalTiming and ElderlyTiming are the defaults of UX.md §5.
func NormalTiming() Timing {
	return Timing{Idle: 90 * time.Second, Countdown: 20 * time.Second, Done: 30 * time.Second}
}

// ElderlyTiming is longer in every respect, for 长者模式.
func ElderlyTiming() Timing {
	return Timing{Idle: 180 * time.Second, Countdown: 30 * time.Second, Done: 45 * time.Second}
}

// onIdle is what a state's timer does.
type onIdle int

const (
	// idleNone: no timer. Attract waits for a resident; submitting is
	// bounded by its effect's deadline (Deadlines[EffectSubmit]).
	idleNone onIdle = iota
	// idleCountdown: after Timing.Idle the countdown overlay (继续办理),
	// then the end of the visit.
	idleCountdown
	// idleEnd: after Timing.Done the end of the visit, without asking.
	idleEnd
)

// timeouts is every state's timer, in one table. While the resident's card
// lies on the reader the timer is paused, except on Identify, where the
// card is what the screen asks for.
var timeouts = [...]onIdle{
	Attract:     idleNone,
	Identify:    idleCountdown,
	Browse:      idleCountdown,
	ItemDetail:  idleCountdown,
	FormPage:    idleCountdown,
	Review:      idleCountdown,
	Sign:        idleCountdown,
	Submitting:  idleNone,
	Done:        idleEnd,
	Query:       idleCountdown,
	Ticket:      idleCountdown,
	Appointment: idleCountdown,
	StaffLogin:  idleCountdown,
	StaffMenu:   idleCountdown,
	Result:      idleCountdown,
	Document:    idleCountdown, // a job that outlives the visit is cancelled with it
}
