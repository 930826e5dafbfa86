package voice

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// needEspeak skips only when espeak-ng is truly absent; make test installs it.
func needEspeak(t testing.TB) Espeak {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng is not installed (make deps installs it)")
	}
	return Espeak{}
}

// TestSynthesizedPrompts synthesizes real prompts and checks the sound:
// not silent, about as long as its syllables, and read by the pinyin
// voice's own rules (espeak-ng -x shows a switch to another language as
// "(en)").
func TestSynthesizedPrompts(t *testing.T) {
	e := needEspeak(t)
	c := testComposer(t)
	ctx := context.Background()
	for _, tt := range []struct {
		lang  kiosk.Lang
		line  Line
		units int // syllables (zh) or words (en)
	}{
		{kiosk.LangZH, Line{ID: "identify.place_card"}, 10},
		{kiosk.LangZH, Line{ID: "countdown.seconds", Args: map[string]any{"Count": 10}}, 4},
		{kiosk.LangZH, Line{ID: "voice.receipt_number", Spell: "XH0123-20261128-0042"}, 4 + 2 + 16},
		{kiosk.LangZH, Line{ID: "form.err_bank"}, 19},
		{kiosk.LangZH, Line{ID: "common.senior_mode"}, 4},
		{kiosk.LangEN, Line{ID: "identify.place_card"}, 7},
	} {
		p := c.Prompt(tt.lang, tt.line)
		a, err := e.Synthesize(ctx, p.Voice, p.Input)
		if err != nil {
			t.Fatalf("%s: %v", p.Words, err)
		}
		per := a.Duration() / time.Duration(tt.units)
		t.Logf("%-40s %5.2fs %5.0f ms/unit rms %.3f", p.Words, a.Duration().Seconds(), float64(per.Milliseconds()), a.RMS())
		if a.RMS() < 0.02 {
			t.Errorf("%s: nearly silent (rms %.4f)", p.Words, a.RMS())
		}
		if per < 120*time.Millisecond || per > 700*time.Millisecond {
			t.Errorf("%s: %v for %d syllables or words, %v each: not speech at a plausible pace", p.Words, a.Duration(), tt.units, per)
		}
		ph, err := e.Phonemes(ctx, p.Voice, p.Input)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(ph, "(") {
			t.Errorf("%s: espeak-ng switched language: %s", p.Words, ph)
		}
		if tt.lang == kiosk.LangZH && !strings.Contains(ph, "55") && !strings.Contains(ph, "51") && !strings.Contains(ph, "35") && !strings.Contains(ph, "21") {
			t.Errorf("%s: no Mandarin tone contours in %s", p.Words, ph)
		}
	}
}

// TestToneContours: the four tones come out as espeak-ng's four contours.
func TestToneContours(t *testing.T) {
	e := needEspeak(t)
	ph, err := e.Phonemes(context.Background(), VoiceZH, mustLexicon(t).Pinyin("请将身份"))
	if err != nil {
		t.Fatal(err)
	}
	for _, contour := range []string{"21", "55", "51"} {
		if !strings.Contains(ph, contour) {
			t.Errorf("请将身份 → %s: no %s contour", ph, contour)
		}
	}
}

// TestEveryScreenSynthesizes runs every golden screen through espeak-ng
// and checks no sentence falls back to English rules.
func TestEveryScreenSynthesizes(t *testing.T) {
	e := needEspeak(t)
	c := testComposer(t)
	if testing.Short() {
		t.Skip("synthesizes every screen")
	}
	for _, sc := range screens {
		s := sc.s
		s.Lang = kiosk.LangZH
		for _, p := range c.Prompts(s) {
			ph, err := e.Phonemes(context.Background(), p.Voice, p.Input)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(ph, "(") {
				t.Errorf("%s: %q switched language: %s", sc.name, p.Words, ph)
			}
		}
	}
}

func TestNoEngine(t *testing.T) {
	_, err := Espeak{Path: "/nonexistent/espeak-ng"}.Synthesize(context.Background(), VoiceZH, "ni3 hao3")
	if err != ErrNoEngine {
		t.Fatalf("err = %v, want ErrNoEngine", err)
	}
}
