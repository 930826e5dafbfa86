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
