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

// WatchPresence polls the reader every interval until ctx ends and calls
// changed(true) when a card is placed and changed(false) when it is taken
// away; the first poll always reports. Errors of the device are passed to
// changed's caller through the returned error only when ctx has not ended:
// a poll that fails is retried at the next tick, and after failures in a
// row reaching maxFailures the error is returned.
func (r *Reader) WatchPresence(ctx context.Context, interval time.Duration, changed func(present bool)) error {
	const maxFailures = 3
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	known, was, failures := false, false, 0
	for {
		present, err := r.CardPresent(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			failures++
			if failures >= maxFailures {
				return err
			}
		default:
			failures = 0
			if !known || present != was {
				known, was = true, present
				changed(present)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}
