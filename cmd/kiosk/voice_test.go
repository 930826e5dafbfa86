package main

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk/config"
	"github.com/tongban/tongban/kiosk/i18n"
	"github.com/tongban/tongban/kiosk/voice"
)

// TestVoiceWiring builds the speaker as the kiosk does. On a machine with
// no sound card (this test needs none) the attract tips and each screen in
// 长者模式 are written as WAV files to the data folder, with real speech.
func TestVoiceWiring(t *testing.T) {
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng is not installed (make deps installs it)")
	}
	if voice.SoundCards() > 0 {
		t.Skip("this machine has a sound card: the kiosk would play, not write files")
	}
	words, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.DefaultConfig()
	cfg.DataDir = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sp := startVoice(ctx, cfg, words, slog.New(slog.DiscardHandler))
	if sp == nil {
		t.Fatal("no speaker")
	}
	out := filepath.Join(cfg.DataDir, "voice-out")
	wait := func(n int) []string {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			files, _ := filepath.Glob(filepath.Join(out, "*.wav"))
			if len(files) >= n {
				sort.Strings(files)
				return files
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d files in %s, want %d", len(files), out, n)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	sp.Show(voice.Screen{State: "attract", Elderly: true})
	files := wait(4)
	want := []string{"zh-attract.tip_bring_card", "zh-attract.tip_scan_code", "zh-attract.tip_take_receipt", "zh-voice.tap_start"}
	for i, w := range want {
		if !strings.Contains(files[i], w) {
			t.Errorf("file %d is %s, want %s", i, filepath.Base(files[i]), w)
		}
	}
	sp.Show(voice.Screen{State: "identify", Elderly: true})
	files = wait(7)
	if !strings.Contains(files[4], "zh-identify.title") {
		t.Errorf("identify wrote %s", filepath.Base(files[4]))
	}
	data, err := os.ReadFile(files[5])
	if err != nil {
		t.Fatal(err)
	}
	a, err := voice.ReadWAV(data)
	if err != nil {
		t.Fatal(err)
	}
	if a.RMS() < 0.01 || a.Duration() < time.Second {
		t.Errorf("%s: %v, rms %.3f: not speech", filepath.Base(files[5]), a.Duration(), a.RMS())
	}
}

// TestPackageLetsTheKioskSpeak: on a terminal installed from the .deb,
// espeak-ng and aplay are there and the kiosk's user may open the sound
// card (the audio group), or the kiosk would run silent; the example
// configuration names the voice settings staff set.
func TestPackageLetsTheKioskSpeak(t *testing.T) {
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join("..", "..", "packaging", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	nfpm, unit, pre, conf := read("nfpm.yaml"), read("tongban-kiosk.service"), read("preinstall.sh"), read("kiosk.conf.example")
	for _, dep := range []string{"- espeak-ng", "- alsa-utils"} {
		if !strings.Contains(nfpm, dep) {
			t.Errorf("nfpm.yaml does not depend on %s", strings.TrimPrefix(dep, "- "))
		}
	}
	groups := ""
	for _, line := range strings.Split(unit, "\n") {
		if v, ok := strings.CutPrefix(line, "SupplementaryGroups="); ok {
			groups = v
		}
	}
	if !slices.Contains(strings.Fields(groups), "audio") {
		t.Errorf("the kiosk's unit has SupplementaryGroups=%q: no audio group, no sound card", groups)
	}
	if !strings.Contains(pre, "dialout,audio") {
		t.Error("preinstall.sh does not put the kiosk's user in the audio group")
	}
	for _, key := range []string{"voice.volume", "voice.quiet_volume", "voice.quiet_hours", "voice.pack"} {
		if !strings.Contains(conf, key) {
			t.Errorf("kiosk.conf.example does not show %s", key)
		}
	}
}
