package voice

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// Clip is audio to play, with a name for logs and file sinks.
type Clip struct {
	Name  string // lang/message ID, or a short description
	Audio Audio
}

// Sink plays audio. Play returns when the clip has played, or at once with
// ctx's error when ctx is cancelled (the screen changed, the resident
// tapped).
type Sink interface {
	Play(ctx context.Context, c Clip) error
}

// ErrNoSoundCard is returned when the machine has no sound card.
var ErrNoSoundCard = errors.New("no sound card (see aplay -l)")

// SoundCards counts the machine's ALSA sound cards (/proc/asound/cards).
func SoundCards() int {
	data, err := os.ReadFile("/proc/asound/cards")
	if err != nil {
		return 0
	}
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) > 1 && strings.HasPrefix(f[1], "[") && strings.Trim(f[0], "0123456789") == "" {
			n++ // " 0 [PCH            ]: HDA-Intel - HDA Intel PCH"
		}
	}
	return n
}

// Aplay plays through ALSA with the aplay program (alsa-utils), one
// process per clip. A process, not a library in the kiosk: stopping speech
// is killing it, a wedged driver cannot hang the UI, and the kiosk links
// no audio library.
type Aplay struct {
	Device string // ALSA device, e.g. default or plughw:0,0; "" is default
	Path   string // "" finds aplay on PATH
}

// Play pipes the clip's WAV into aplay.
func (p Aplay) Play(ctx context.Context, c Clip) error {
	path := p.Path
	if path == "" {
		path = "aplay"
	}
	args := []string{"-q"}
	if p.Device != "" {
		args = append(args, "-D", p.Device)
	}
	args = append(args, "-")
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdin = bytes.NewReader(c.Audio.WAV())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if strings.Contains(msg, "busy") {
			return fmt.Errorf("the sound device is busy: %s", msg)
		}
		return fmt.Errorf("aplay: %v: %s", err, msg)
	}
	return nil
}

// FileSink writes each clip as a WAV file in Dir (NNNN-name.wav), for a
// machine with no sound card: what would have been heard can be listened
// to later. It keeps the newest Keep files (default 200).
type FileSink struct {
	Dir  string
	Keep int

	mu  sync.Mutex
	seq int
}

// Play writes the clip and returns at once.
func (f *FileSink) Play(ctx context.Context, c Clip) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := os.MkdirAll(f.Dir, 0o755); err != nil {
		return err
	}
	keep := f.Keep
	if keep <= 0 {
		keep = 200
	}
	f.seq++
	name := strings.NewReplacer("/", "-", " ", "_").Replace(c.Name)
	path := filepath.Join(f.Dir, fmt.Sprintf("%04d-%s.wav", f.seq, name))
	if err := writeFileAtomic(path, c.Audio.WAV()); err != nil {
		return err
	}
	if old, _ := filepath.Glob(filepath.Join(f.Dir, fmt.Sprintf("%04d-*.wav", f.seq-keep))); len(old) > 0 {
		for _, o := range old {
			os.Remove(o)
		}
	}
	return nil
}
