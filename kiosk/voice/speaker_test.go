package voice

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// fakeSynth returns one sample per input byte, quickly, and counts calls.
type fakeSynth struct {
	mu    sync.Mutex
	calls int
	err   error
}

func (f *fakeSynth) Synthesize(ctx context.Context, voice, input string) (Audio, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return Audio{}, f.err
	}
	s := make([]int16, len(input))
	for i := range s {
		s[i] = 10000
	}
	return Audio{Rate: 16000, Samples: s}, nil
}

// fakeSink records what is played. With block set, Play waits for the
// context to end, as a real sound card does while a prompt is playing.
type fakeSink struct {
	mu      sync.Mutex
	played  []Clip
	stopped []Clip
	block   bool
	err     error
	started chan Clip
}

func newFakeSink(block bool) *fakeSink { return &fakeSink{block: block, started: make(chan Clip, 100)} }

func (f *fakeSink) Play(ctx context.Context, c Clip) error {
	f.mu.Lock()
	err := f.err
	f.mu.Unlock()
	if err != nil {
		return err
	}
	f.started <- c
	if f.block {
		<-ctx.Done()
		f.mu.Lock()
		f.stopped = append(f.stopped, c)
		f.mu.Unlock()
		return ctx.Err()
	}
	f.mu.Lock()
	f.played = append(f.played, c)
	f.mu.Unlock()
	return nil
}

func (f *fakeSink) next(t *testing.T) Clip {
	t.Helper()
	select {
	case c := <-f.started:
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("nothing was played")
	}
	return Clip{}
}

func (f *fakeSink) none(t *testing.T) {
	t.Helper()
	select {
	case c := <-f.started:
		t.Fatalf("played %s, want nothing", c.Name)
	case <-time.After(100 * time.Millisecond):
	}
}

func newTestSpeaker(t *testing.T, sink Sink, synth Synthesizer, opt Options) *Speaker {
	t.Helper()
	opt.Composer = testComposer(t)
	opt.Sink, opt.Synth = sink, synth
	if opt.Volume == 0 {
		opt.Volume = 100
	}
	s := NewSpeaker(opt)
	t.Cleanup(s.Close)
	return s
}

func TestSpeakerScreenChangeStopsPrompt(t *testing.T) {
	sink := newFakeSink(true)
	sp := newTestSpeaker(t, sink, &fakeSynth{}, Options{})
	sp.Show(Screen{State: "identify", Elderly: true})
	if c := sink.next(t); c.Name != "zh/identify.title" {
		t.Fatalf("first prompt %s", c.Name)
	}
	sp.Show(Screen{State: "browse", Elderly: true})
	if c := sink.next(t); c.Name != "zh/browse.title" {
		t.Fatalf("after the change: %s", c.Name)
	}
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if len(sink.stopped) != 1 || sink.stopped[0].Name != "zh/identify.title" {
		t.Fatalf("stopped %v, want the identify prompt cut off", sink.stopped)
	}
}

func TestSpeakerRepeatAndTap(t *testing.T) {
	sink := newFakeSink(true)
	sp := newTestSpeaker(t, sink, &fakeSynth{}, Options{})
	sp.Show(Screen{State: "sign", Elderly: true})
	sink.next(t)
	sp.Stop() // the resident tapped
	sink.none(t)
	sp.Show(Screen{State: "sign", Elderly: true}) // the same screen redrawn: not spoken again
	sink.none(t)
	sp.Repeat() // 重听
	if c := sink.next(t); c.Name != "zh/sign.title" {
		t.Fatalf("repeat played %s", c.Name)
	}
}

func TestSpeakerSwitchResetsWithTheVisit(t *testing.T) {
	sink := newFakeSink(false)
	sp := newTestSpeaker(t, sink, &fakeSynth{}, Options{})
	sp.Show(Screen{State: "attract"})
	sink.none(t) // off by default outside 长者模式
	if sp.On() {
		t.Fatal("voice on by default")
	}
	sp.SetOn(true) // 语音播报 on the attract screen
	if c := sink.next(t); c.Name != "zh/attract.tip_bring_card" {
		t.Fatalf("switching on played %s", c.Name)
	}
	for range 3 {
		sink.next(t)
	}
	sp.Show(Screen{State: "identify"})
	if c := sink.next(t); c.Name != "zh/identify.title" {
		t.Fatalf("identify: %s", c.Name)
	}
	for range 2 {
		sink.next(t)
	}
	sp.Show(Screen{State: "attract"}) // the visit ended
	if sp.On() {
		t.Fatal("the voice switch survived the visit")
	}
	sp.Show(Screen{State: "identify"})
	sink.none(t)
	// 长者模式 turns it on; the resident can still turn it off.
	sp.Show(Screen{State: "identify", Elderly: true})
	sink.next(t)
	sp.SetOn(false)
	sp.Show(Screen{State: "browse", Elderly: true})
	for {
		select {
		case c := <-sink.started:
			if c.Name == "zh/browse.title" {
				t.Fatal("spoke after the resident turned voice off")
			}
			continue
		case <-time.After(100 * time.Millisecond):
		}
		break
	}
}

func TestSpeakerCountdown(t *testing.T) {
	sink := newFakeSink(false)
	sp := newTestSpeaker(t, sink, &fakeSynth{}, Options{})
	form := Screen{State: "form", Step: 1, Steps: 2, Elderly: true}
	sp.Show(form)
	for range 2 {
		sink.next(t)
	}
	var names []string
	for n := 30; n > 0; n-- {
		form.Countdown = n
		sp.Show(form)
		time.Sleep(time.Millisecond)
	}
	deadline := time.After(time.Second)
loop:
	for {
		select {
		case c := <-sink.started:
			names = append(names, c.Name)
		case <-deadline:
			break loop
		}
	}
	got := strings.Join(names, " ")
	want := "zh/countdown.question zh/countdown.seconds zh/voice.countdown_buttons zh/countdown.question zh/countdown.seconds"
	if got != want {
		t.Errorf("countdown spoke %s\nwant %s", got, want)
	}
}

func TestSpeakerFailuresLoggedOnceThenSilent(t *testing.T) {
	for _, tt := range []struct {
		name  string
		synth error
		sink  error
		want  string
	}{
		{"no espeak-ng", ErrNoEngine, nil, "cannot synthesize"},
		{"no sound card", nil, ErrNoSoundCard, "cannot play"},
		{"device busy", nil, errors.New("the sound device is busy"), "cannot play"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			synth := &fakeSynth{err: tt.synth}
			sink := newFakeSink(false)
			sink.err = tt.sink
			sp := newTestSpeaker(t, sink, synth, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			for _, st := range []string{"identify", "browse", "item", "form", "review", "sign"} {
				done := make(chan struct{})
				go func() { sp.Show(Screen{State: st, Elderly: true}); close(done) }()
				select {
				case <-done:
				case <-time.After(time.Second):
					t.Fatal("Show blocked")
				}
				time.Sleep(20 * time.Millisecond)
			}
			sp.Close()
			if n := strings.Count(logs.String(), tt.want); n != 1 {
				t.Errorf("logged %d times, want once:\n%s", n, logs.String())
			}
			if tt.synth != nil && synth.calls != 1 {
				t.Errorf("espeak-ng missing, yet tried %d times", synth.calls)
			}
		})
	}
}

func TestSpeakerCachesAndQuietHours(t *testing.T) {
	sink := newFakeSink(false)
	synth := &fakeSynth{}
	clock := kiosktest.NewClock(time.Date(2026, 12, 3, 23, 30, 0, 0, kiosk.Shanghai))
	sp := newTestSpeaker(t, sink, synth, Options{Volume: 80, QuietVolume: 30, Quiet: QuietHours{22 * 60, 7 * 60}, Clock: clock})
	sp.Show(Screen{State: "sign", Elderly: true})
	c := sink.next(t)
	sink.next(t)
	if got := c.Audio.Samples[0]; got != 3000 {
		t.Errorf("at 23:30 the first sample is %d, want 3000 (30%% of 10000)", got)
	}
	calls := synth.calls
	clock.Advance(9*time.Hour + 30*time.Minute) // 09:00
	sp.Repeat()
	c = sink.next(t)
	sink.next(t)
	if got := c.Audio.Samples[0]; got != 8000 {
		t.Errorf("at 09:00 the first sample is %d, want 8000", got)
	}
	if synth.calls != calls {
		t.Errorf("repeating synthesized again (%d calls, then %d)", calls, synth.calls)
	}
}

func TestQuietHours(t *testing.T) {
	q, err := ParseQuietHours("22:00-07:00")
	if err != nil {
		t.Fatal(err)
	}
	for h, want := range map[int]bool{21: false, 22: true, 23: true, 0: true, 6: true, 7: false, 12: false} {
		if got := q.Contains(time.Date(2026, 12, 3, h, 0, 0, 0, kiosk.Shanghai)); got != want {
			t.Errorf("%02d:00 quiet = %v, want %v", h, got, want)
		}
	}
	for _, bad := range []string{"22-07", "25:00-07:00", "22:00"} {
		if _, err := ParseQuietHours(bad); err == nil {
			t.Errorf("ParseQuietHours(%q) accepted", bad)
		}
	}
}

// TestForgottenCardReminder: after the visit, a card left on the reader is
// spoken about at once, voice on or not, and every ten seconds until taken.
func TestForgottenCardReminder(t *testing.T) {
	sink := newFakeSink(false)
	clock := kiosktest.NewClock(time.Date(2026, 12, 3, 10, 0, 0, 0, kiosk.Shanghai))
	sp := newTestSpeaker(t, sink, &fakeSynth{}, Options{Clock: clock})
	sp.Show(Screen{State: "done"})
	sink.none(t) // voice off
	sp.Show(Screen{State: "attract", CardLeft: true})
	if c := sink.next(t); c.Name != "zh/identify.take_card" {
		t.Fatalf("card left: %s", c.Name)
	}
	sp.Show(Screen{State: "attract", CardLeft: true}) // the same view again: no double prompt
	sink.none(t)
	for range 2 {
		clock.Advance(CardReminderEvery)
		if c := sink.next(t); c.Name != "zh/identify.take_card" {
			t.Fatalf("reminder: %s", c.Name)
		}
	}
	sp.Show(Screen{State: "attract"}) // the card was taken
	clock.Advance(3 * CardReminderEvery)
	sink.none(t)
}
