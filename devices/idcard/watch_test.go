package idcard_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/idcard"
)

// fakeClock runs timers only when the test advances it.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Duration
	timers []*fakeTimer
	added  chan struct{} // a timer was scheduled
}

type fakeTimer struct {
	c       *fakeClock
	at      time.Duration
	f       func()
	stopped bool
}

func newFakeClock() *fakeClock { return &fakeClock{added: make(chan struct{}, 64)} }

func (c *fakeClock) AfterFunc(d time.Duration, f func()) idcard.Timer {
	c.mu.Lock()
	t := &fakeTimer{c: c, at: c.now + d, f: f}
	c.timers = append(c.timers, t)
	c.mu.Unlock()
	c.added <- struct{}{}
	return t
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.stopped && t.f != nil
	t.stopped = true
	return was
}

// advance moves the clock by d and runs the timers that came due.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now += d
	var due []func()
	for _, t := range c.timers {
		if !t.stopped && t.f != nil && t.at <= c.now {
			due = append(due, t.f)
			t.f = nil
		}
	}
	c.mu.Unlock()
	for _, f := range due {
		f()
	}
}

// waitTimer waits until the watcher has scheduled its next look.
func (c *fakeClock) waitTimer(t *testing.T) {
	t.Helper()
	select {
	case <-c.added:
	case <-time.After(5 * time.Second):
		t.Fatal("the watcher scheduled no next look")
	}
}

// scriptedReader answers looks from a script of presences and errors.
type scriptedReader struct {
	mu      sync.Mutex
	present bool
	err     error
	looks   int
}

func (r *scriptedReader) set(present bool, err error) {
	r.mu.Lock()
	r.present, r.err = present, err
	r.mu.Unlock()
}

func (r *scriptedReader) look(context.Context) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.looks++
	return r.present, r.err
}

// A card placed, removed, placed again and removed, with failed looks in
// between, on the fake clock: each change is told once, in order, and
// nothing is told for looks that see no change or fail.
func TestWatchRemovedPlacedSequence(t *testing.T) {
	clock := newFakeClock()
	r := &scriptedReader{}
	var mu sync.Mutex
	var events []bool
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- idcard.Watch(ctx, r.look, idcard.WatchOptions{Interval: time.Second, Clock: clock}, func(p bool) {
			mu.Lock()
			events = append(events, p)
			mu.Unlock()
		})
	}()
	steps := []struct {
		present bool
		err     error
	}{
		{true, nil},                     // placed
		{true, nil},                     // still there: no event
		{false, errors.New("noise")},    // a failed look: no event
		{false, nil},                    // removed
		{false, nil},                    // still away
		{true, nil},                     // placed again
		{true, errors.New("line down")}, // fails twice...
		{true, errors.New("line down")},
		{false, nil}, // ...then removed
	}
	clock.waitTimer(t) // the first look (no card) was made
	for _, s := range steps {
		r.set(s.present, s.err)
		clock.advance(time.Second)
		clock.waitTimer(t)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Watch = %v, want nil after the context ended", err)
	}
	want := []bool{false, true, false, true, false}
	mu.Lock()
	defer mu.Unlock()
	if len(events) != len(want) {
		t.Fatalf("events %v, want %v", events, want)
	}
	for i := range want {
		if events[i] != want[i] {
			t.Fatalf("events %v, want %v", events, want)
		}
	}
	if r.looks != len(steps)+1 {
		t.Errorf("%d looks, want %d: one per tick of the fake clock", r.looks, len(steps)+1)
	}
}

// Three failed looks in a row end the watch with the error.
func TestWatchGivesUpAfterFailures(t *testing.T) {
	clock := newFakeClock()
	broken := errors.New("reader gone")
	r := &scriptedReader{err: broken}
	done := make(chan error, 1)
	go func() {
		done <- idcard.Watch(context.Background(), r.look, idcard.WatchOptions{Clock: clock}, func(bool) {
			t.Error("a change told while every look failed")
		})
	}()
	for range 2 {
		clock.waitTimer(t)
		clock.advance(time.Second)
	}
	select {
	case err := <-done:
		if !errors.Is(err, broken) {
			t.Errorf("Watch = %v, want %v", err, broken)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Watch did not give up after three failed looks")
	}
}

// A watcher stopped by its context returns and leaves no goroutine: not
// its own, not a timer's.
func TestWatchStoppedByContextLeavesNoGoroutine(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 20 {
		clock := newFakeClock()
		r := &scriptedReader{}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- idcard.Watch(ctx, r.look, idcard.WatchOptions{Clock: clock}, func(bool) {}) }()
		clock.waitTimer(t)
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Watch = %v", err)
		}
	}
	// Also on the system clock, whose timers are real.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- idcard.Watch(ctx, (&scriptedReader{}).look, idcard.WatchOptions{Interval: time.Millisecond}, func(bool) {})
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	<-done
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines after the watchers stopped, %d before", runtime.NumGoroutine(), before)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
