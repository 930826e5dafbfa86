package ui

import (
	"context"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/i18n"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/voice"
)

// quickSynth stands in for espeak-ng: a short tone per prompt.
type quickSynth struct{}

func (quickSynth) Synthesize(_ context.Context, _, input string) (voice.Audio, error) {
	s := make([]int16, 100+len(input))
	for i := range s {
		s[i] = 8000
	}
	return voice.Audio{Rate: 16000, Samples: s}, nil
}

// holdingSink plays each clip until it is stopped, as a long prompt on a
// sound card would, and records what started and what was cut off.
type holdingSink struct {
	started chan string
	mu      sync.Mutex
	cut     []string
}

func (h *holdingSink) Play(ctx context.Context, c voice.Clip) error {
	h.started <- c.Name
	<-ctx.Done()
	h.mu.Lock()
	h.cut = append(h.cut, c.Name)
	h.mu.Unlock()
	return ctx.Err()
}

func (h *holdingSink) next(t *testing.T) string {
	t.Helper()
	select {
	case n := <-h.started:
		return n
	case <-time.After(5 * time.Second):
		t.Fatal("nothing was spoken")
	}
	return ""
}

func (h *holdingSink) wasCut(name string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.cut {
		if c == name {
			return true
		}
	}
	return false
}

// findButton finds the button labelled label on screen.
func findButton(w fyne.Window, label string) *touchButton {
	for _, o := range test.LaidOutObjects(w.Content()) {
		if b, ok := o.(*touchButton); ok && b.label == label {
			return b
		}
	}
	return nil
}

func TestVoiceFollowsTheScreens(t *testing.T) {
	words, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	lex, err := voice.LoadLexicon()
	if err != nil {
		t.Fatal(err)
	}
	sink := &holdingSink{started: make(chan string, 100)}
	sp := voice.NewSpeaker(voice.Options{Composer: voice.Composer{Words: voice.CatalogWords(words), Lexicon: lex},
		Synth: quickSynth{}, Sink: sink, Volume: 100})
	defer sp.Close()

	a := test.NewTempApp(t)
	w := a.NewWindow("kiosk")
	w.Resize(fyne.NewSize(1920, 1080))
	clock := kiosktest.NewClock(time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC))
	reader := kiosktest.NewReader()
	s := flow.New(flow.Deps{Clock: clock, Reader: reader, Queue: &kiosktest.Queue{}, Printer: &kiosktest.Printer{},
		Catalog: oneCatalog{}, Forms: onePage{}, Tickets: fakeTickets{}, Status: fakeStatus{},
		Numbers: func(time.Time) (string, string, error) { return "id-1", "XH0123-20261128-0042", nil }})
	u := New(s, w, Options{CenterName: "测试中心", Browser: fakeBrowser{items: []kiosk.Item{testItem}}, Clock: clock, Words: words, Voice: sp})
	zh := words.NewLocalizer(kiosk.LangZH)
	waitButton := func(label string) *touchButton {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			u.mu.Lock()
			b := findButton(w, label)
			u.mu.Unlock()
			if b != nil {
				return b
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Fatalf("no %q button on screen", label)
		return nil
	}

	// Off by default: the attract screen is silent and shows the switch.
	u.Redraw()
	sw := waitButton(zh.T("voice.switch"))
	select {
	case n := <-sink.started:
		t.Fatalf("spoke %s with voice off", n)
	case <-time.After(100 * time.Millisecond):
	}
	test.Tap(sw)
	if n := sink.next(t); n != "zh/attract.tip_bring_card" {
		t.Fatalf("the switch spoke %s", n)
	}
	waitButton(zh.T("voice.repeat"))

	// Changing screens stops the prompt and speaks the new screen.
	s.Start()
	if n := sink.next(t); n != "zh/identify.title" {
		t.Fatalf("identify spoke %s", n)
	}
	if !sink.wasCut("zh/attract.tip_bring_card") {
		t.Error("the attract tip went on over the identify screen")
	}
	reader.Cards <- kiosktest.CardResult{ID: kiosktest.Elder()}
	if n := sink.next(t); n != "zh/browse.title" {
		t.Fatalf("browse spoke %s", n)
	}
	if !sink.wasCut("zh/identify.title") {
		t.Error("the identify prompt went on over the browse screen")
	}

	// 重听 says the screen again.
	test.Tap(waitButton(zh.T("voice.repeat")))
	if n := sink.next(t); n != "zh/browse.title" {
		t.Fatalf("重听 spoke %s", n)
	}

	// The visit ends: the switch resets and the attract screen is silent.
	s.End()
	deadline := time.Now().Add(5 * time.Second)
	for sp.On() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if sp.On() {
		t.Fatal("voice stayed on after the visit")
	}
	waitButton(zh.T("voice.switch"))

	// A booked time is said as the screen writes it, in Shanghai time.
	if got := u.whenIn(kiosk.LangZH, time.Date(2026, 12, 3, 1, 30, 0, 0, time.UTC)); got != "12月3日 星期四 09:30" {
		t.Errorf("booked time in words: %q", got)
	}
}

func TestVoiceOnInElderlyMode(t *testing.T) {
	v := voiceScreen(flow.View{State: flow.Done, Elderly: true, Greeting: "测*甲",
		Receipt: &kiosk.Receipt{LocalReceipt: "XH0123-20261128-0042", Applicant: "测*甲", IDNumber: "310104********1234", Promise: kiosk.TimeLimit{Days: 30}}})
	if !v.Elderly || v.Receipt != "XH0123-20261128-0042" || v.Promise != 30 || v.State != "done" {
		t.Fatalf("voice screen %+v", v)
	}
}

// TestVoiceButtonsFit: with voice on, the attract screen has two more
// buttons (语音播报 ✓, 重听); in 长者模式 on a 1920×1080 panel they must
// still fit, or the tips and 重听 fall off the bottom of the screen.
// (English 长者模式 on a landscape panel is too tall even with voice off:
// that is the layout's, not the voice's, and is left to its owners.)
func TestVoiceButtonsFit(t *testing.T) {
	words, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	lex, err := voice.LoadLexicon()
	if err != nil {
		t.Fatal(err)
	}
	sp := voice.NewSpeaker(voice.Options{Composer: voice.Composer{Words: voice.CatalogWords(words), Lexicon: lex},
		Synth: quickSynth{}, Sink: &holdingSink{started: make(chan string, 100)}, Volume: 100})
	defer sp.Close()
	for _, lang := range []kiosk.Lang{kiosk.LangZH} {
		a := test.NewTempApp(t)
		w := a.NewWindow("kiosk")
		w.Resize(fyne.NewSize(1920, 1080))
		clock := kiosktest.NewClock(time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC))
		s := flow.New(flow.Deps{Clock: clock, Reader: kiosktest.NewReader(), Queue: &kiosktest.Queue{}, Printer: &kiosktest.Printer{},
			Catalog: oneCatalog{}, Forms: onePage{}, Tickets: fakeTickets{}, Status: fakeStatus{},
			Numbers: func(time.Time) (string, string, error) { return "id-1", "XH0123-20261128-0042", nil }})
		u := New(s, w, Options{CenterName: "徐汇区测试街道社区事务受理服务中心", Browser: fakeBrowser{}, Clock: clock, Words: words, Voice: sp})
		s.SetLanguage(lang)
		s.SetElderly(true)
		loc := words.NewLocalizer(lang)
		deadline := time.Now().Add(5 * time.Second)
		for {
			u.mu.Lock()
			again := findButton(w, loc.T("voice.repeat"))
			min := u.root.MinSize()
			u.mu.Unlock()
			if again != nil {
				if min.Height > 1081 || min.Width > 1921 {
					t.Errorf("%s: 长者模式 with voice on needs %.0fx%.0f on a 1920x1080 panel: the bottom is cut off", lang, min.Width, min.Height)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: no 重听 button on the attract screen in 长者模式", lang)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}
