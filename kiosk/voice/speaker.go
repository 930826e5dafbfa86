package voice

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// QuietHours is a daily period when the kiosk speaks more softly, in
// minutes after midnight (Shanghai time). From == To means none.
type QuietHours struct{ From, To int }

// ParseQuietHours reads "22:00-07:00" (empty: none).
func ParseQuietHours(s string) (QuietHours, error) {
	if strings.TrimSpace(s) == "" {
		return QuietHours{}, nil
	}
	a, b, ok := strings.Cut(s, "-")
	from, err1 := parseHHMM(a)
	to, err2 := parseHHMM(b)
	if !ok || err1 != nil || err2 != nil {
		return QuietHours{}, fmt.Errorf("quiet hours %q should look like 22:00-07:00", s)
	}
	return QuietHours{From: from, To: to}, nil
}

func parseHHMM(s string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Contains reports whether t (in Shanghai) is in the quiet hours.
func (q QuietHours) Contains(t time.Time) bool {
	if q.From == q.To {
		return false
	}
	t = t.In(kiosk.Shanghai)
	m := t.Hour()*60 + t.Minute()
	if q.From < q.To {
		return m >= q.From && m < q.To
	}
	return m >= q.From || m < q.To // across midnight
}

// Options configure a Speaker.
type Options struct {
	Composer Composer
	Synth    Synthesizer
	Pack     *Pack // recorded prompts; nil: synthesis only
	Sink     Sink
	Clock    kiosk.Clock
	Logger   *slog.Logger
	// Volume is the loudest the kiosk speaks, percent of full scale
	// (0–100); QuietVolume the loudest during Quiet hours.
	Volume, QuietVolume int
	Quiet               QuietHours
	// Gap is the pause after each sentence (default 300 ms).
	Gap time.Duration
	// CacheSize is how many synthesized sentences are kept (default 512).
	CacheSize int
}

// Speaker says what each screen asks of the resident. It is safe for
// concurrent use; no method blocks on synthesis or playback.
type Speaker struct {
	opt   Options
	log   *slog.Logger
	cache *cache
	jobs  chan job
	ctx   context.Context
	close context.CancelFunc
	done  chan struct{}

	mu       sync.Mutex
	last     Screen
	seen     bool
	lastCue  string
	choice   int // 0: follow 长者模式; 1: the resident turned voice on; -1: off
	cancel   context.CancelFunc
	reported map[string]bool // failures already logged
	noEngine bool
	reminder kiosk.Timer // repeats 请取走您的身份证 while a forgotten card stays
}

type job struct {
	ctx    context.Context
	screen Screen
}

// NewSpeaker starts a speaker; Close stops it.
func NewSpeaker(opt Options) *Speaker {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Clock == nil {
		opt.Clock = kiosk.SystemClock{}
	}
	if opt.Gap == 0 {
		opt.Gap = 300 * time.Millisecond
	}
	if opt.CacheSize <= 0 {
		opt.CacheSize = 512
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Speaker{opt: opt, log: opt.Logger, cache: newCache(opt.CacheSize), jobs: make(chan job, 1),
		ctx: ctx, close: cancel, done: make(chan struct{}), reported: map[string]bool{}}
	go s.run()
	return s
}

// Close stops speaking and ends the speaker's goroutine.
func (s *Speaker) Close() {
	s.mu.Lock()
	s.stopReminderLocked()
	s.mu.Unlock()
	s.close()
	<-s.done
}

// active says whether voice is on for screen sc.
func (s *Speaker) active(sc Screen) bool {
	return s.choice == 1 || s.choice == 0 && sc.Elderly
}

// On reports whether voice is on for the screen last shown.
func (s *Speaker) On() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.active(s.last)
}

// Show tells the speaker the screen now shown. When what the screen says
// changed, what was being said stops and the new screen is spoken. The
// resident's voice switch resets when the view returns to the attract
// screen: the visit is over.
func (s *Speaker) Show(sc Screen) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sc.State == "attract" && s.seen && s.last.State != "attract" {
		s.choice = 0
	}
	s.last, s.seen = sc, true
	if cardForgotten(sc) {
		// Spoken whether voice is on or not: a card must not be left behind.
		if c := cue(sc); c != s.lastCue {
			s.lastCue = c
			s.startLocked(sc)
			s.remindLocked()
		}
		return
	}
	s.stopReminderLocked()
	if !s.active(sc) {
		s.stopLocked()
		s.lastCue = ""
		return
	}
	c := cue(sc)
	if c == s.lastCue {
		return
	}
	s.lastCue = c
	s.startLocked(sc)
}

// Repeat says the current screen again (重听).
func (s *Speaker) Repeat() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen && s.active(s.last) {
		s.startLocked(s.last)
	}
}

// Stop stops speaking (the resident tapped).
func (s *Speaker) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked()
}

// SetOn is the resident's voice switch (语音播报) for this visit; turning
// it on speaks the current screen.
func (s *Speaker) SetOn(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if on {
		s.choice = 1
		s.lastCue = cue(s.last)
		s.startLocked(s.last)
		return
	}
	s.choice = -1
	s.lastCue = ""
	s.stopLocked()
}

// remindLocked says 请取走您的身份证 again in CardReminderEvery, and so on,
// while the screen is still the attract screen with the card left.
func (s *Speaker) remindLocked() {
	s.stopReminderLocked()
	s.reminder = s.opt.Clock.AfterFunc(CardReminderEvery, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.reminder == nil || !cardForgotten(s.last) || s.ctx.Err() != nil {
			return
		}
		s.startLocked(s.last)
		s.remindLocked()
	})
}

func (s *Speaker) stopReminderLocked() {
	if s.reminder != nil {
		s.reminder.Stop()
		s.reminder = nil
	}
}

func (s *Speaker) stopLocked() {
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
}

// startLocked replaces whatever is being said, or waiting to be said, by sc.
func (s *Speaker) startLocked(sc Screen) {
	s.stopLocked()
	ctx, cancel := context.WithCancel(s.ctx)
	s.cancel = cancel
	select {
	case <-s.jobs: // a job not yet started is dropped: its screen has gone
	default:
	}
	select {
	case s.jobs <- job{ctx: ctx, screen: sc}:
	default:
	}
}

func (s *Speaker) run() {
	defer close(s.done)
	for {
		select {
		case <-s.ctx.Done():
			return
		case j := <-s.jobs:
			s.say(j)
		}
	}
}

// say speaks one screen, sentence by sentence, until done or cancelled.
func (s *Speaker) say(j job) {
	for _, p := range s.opt.Composer.Prompts(j.screen) {
		if j.ctx.Err() != nil {
			return
		}
		a, err := s.audio(j.ctx, p)
		if err != nil {
			if !errors.Is(err, context.Canceled) {
				s.reportOnce("synthesis", "voice: cannot synthesize; the kiosk goes on silently", err)
			}
			return
		}
		a = a.Scaled(s.volume()).Append(Silence(a.Rate, s.opt.Gap))
		name := string(p.Lang) + "/" + p.ID
		if p.ID == "" {
			name = string(p.Lang) + "/words"
		}
		if err := s.opt.Sink.Play(j.ctx, Clip{Name: name, Audio: a}); err != nil {
			if j.ctx.Err() == nil {
				s.reportOnce("sink", "voice: cannot play; the kiosk goes on silently", err)
			}
			return
		}
	}
}

// volume is the level now: quieter in quiet hours, never above Volume.
func (s *Speaker) volume() int {
	v := s.opt.Volume
	if s.opt.Quiet.Contains(s.opt.Clock.Now()) {
		v = min(v, s.opt.QuietVolume)
	}
	return v
}

// audio finds a prompt's sound: the voice pack's recording, the cache,
// or the engine.
func (s *Speaker) audio(ctx context.Context, p Prompt) (Audio, error) {
	if a, ok := s.opt.Pack.Lookup(p); ok {
		return a, nil
	}
	if a, ok := s.cache.get(p.key()); ok {
		return a, nil
	}
	s.mu.Lock()
	missing := s.noEngine
	s.mu.Unlock()
	if missing {
		return Audio{}, ErrNoEngine
	}
	a, err := s.opt.Synth.Synthesize(ctx, p.Voice, p.Input)
	if errors.Is(err, ErrNoEngine) {
		s.mu.Lock()
		s.noEngine = true
		s.mu.Unlock()
	}
	if err != nil {
		return Audio{}, err
	}
	s.cache.put(p.key(), a)
	return a, nil
}

// Prewarm synthesizes what the given screens say into the cache, so the
// first time they are shown speech starts at once. It stops with ctx.
func (s *Speaker) Prewarm(ctx context.Context, screens []Screen) int {
	n := 0
	for _, sc := range screens {
		for _, p := range s.opt.Composer.Prompts(sc) {
			if ctx.Err() != nil {
				return n
			}
			if _, err := s.audio(ctx, p); err != nil {
				if !errors.Is(err, context.Canceled) {
					s.reportOnce("synthesis", "voice: cannot synthesize; the kiosk goes on silently", err)
				}
				return n
			}
			n++
		}
	}
	return n
}

// reportOnce logs a failure of one kind the first time only.
func (s *Speaker) reportOnce(kind, msg string, err error) {
	s.mu.Lock()
	first := !s.reported[kind]
	s.reported[kind] = true
	s.mu.Unlock()
	if first {
		s.log.Warn(msg, "err", err)
	}
}
