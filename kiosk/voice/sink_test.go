package voice

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

func needAplay(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("aplay"); err != nil {
		t.Skip("aplay is not installed (make deps installs alsa-utils)")
	}
}

// TestAplayPlays plays through ALSA's null device with the real aplay (no
// sound card needed): the WAV we pipe is accepted.
func TestAplayPlays(t *testing.T) {
	needAplay(t)
	if err := (Aplay{Device: "null"}).Play(context.Background(), Clip{Name: "short", Audio: Silence(16000, 300*time.Millisecond)}); err != nil {
		t.Fatal(err)
	}
}

// TestAplayStopsAtOnce: a player still playing (a stand-in that takes 5 s,
// as aplay does for a 5 s clip on a card) is killed when the screen changes.
func TestAplayStopsAtOnce(t *testing.T) {
	player := filepath.Join(t.TempDir(), "aplay")
	if err := os.WriteFile(player, []byte("#!/bin/sh\ncat >/dev/null\nexec sleep 5\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	err := Aplay{Path: player}.Play(ctx, Clip{Name: "long", Audio: Silence(16000, 5*time.Second)})
	if err != context.Canceled {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("a stopped clip went on for %v", d)
	}
}

func TestAplayNoDevice(t *testing.T) {
	needAplay(t)
	err := Aplay{Device: "hw:9,0"}.Play(context.Background(), Clip{Name: "x", Audio: Silence(16000, 100*time.Millisecond)})
	if err == nil {
		t.Fatal("playing on a missing card succeeded")
	}
}
