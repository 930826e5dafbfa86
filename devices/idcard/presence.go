package idcard

import (
	"context"
	"errors"
	"time"
)

// CardPresent reports whether a card lies on the reader. Find answers 9F
// for a card not read yet. After a read, a card answers find with 80 until
// it is presented again (reference/devices.md §1.8), so a find that says
// "no card" is confirmed with select, which a card still in the field
// answers. [?] Confirm the select behaviour on each reader model.
func (r *Reader) CardPresent(ctx context.Context) (bool, error) {
	err := r.FindCard(ctx)
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, ErrNoCard) {
		return false, err
	}
	err = r.SelectCard(ctx)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, ErrNoCard), errors.Is(err, ErrCardMoved):
		return false, nil
	}
	return false, err
}

// Timer is a pending call of a [Clock]'s AfterFunc.
type Timer interface {
	Stop() bool
}

// Clock schedules the looks of [Watch]. The kiosk passes its clock, tests
// a fake one; nil means the system clock.
type Clock interface {
	AfterFunc(d time.Duration, f func()) Timer
}

type systemClock struct{}

func (systemClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// WatchOptions configure [Watch]. Zero fields take their defaults.
type WatchOptions struct {
	Interval    time.Duration // between looks; 0 means 300 ms
	Clock       Clock         // nil means the system clock
	MaxFailures int           // failed looks in a row that end the watch; 0 means 3
}

// Watch looks for a card with look (such as [Reader.CardPresent]) every
// interval of the clock until ctx ends, and calls changed(true) when a
// card is placed and changed(false) when it is taken away; the first look
// always reports. Everything runs in the caller's goroutine. A look that
// fails is tried again at the next tick; after MaxFailures failures in a
// row Watch returns the last error. It returns nil when ctx ends.
func Watch(ctx context.Context, look func(context.Context) (bool, error), opts WatchOptions, changed func(present bool)) error {
	if opts.Interval <= 0 {
		opts.Interval = 300 * time.Millisecond
	}
	if opts.Clock == nil {
		opts.Clock = systemClock{}
	}
	if opts.MaxFailures <= 0 {
		opts.MaxFailures = 3
	}
	tick := make(chan struct{}, 1)
	known, was, failures := false, false, 0
	for {
		present, err := look(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			if failures++; failures >= opts.MaxFailures {
				return err
			}
		default:
			failures = 0
			if !known || present != was {
				known, was = true, present
				changed(present)
			}
		}
		t := opts.Clock.AfterFunc(opts.Interval, func() { tick <- struct{}{} })
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-tick:
		}
	}
}
