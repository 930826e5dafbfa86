package voice

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"

	"github.com/tongban/tongban/kiosk"
)

// Synthesizer turns speech input (pinyin with tone numbers, or English)
// into audio in a voice.
type Synthesizer interface {
	Synthesize(ctx context.Context, voice, input string) (Audio, error)
}

// The espeak-ng voices the kiosk speaks with.
const (
	VoiceZH = "cmn-latn-pinyin" // Mandarin read from pinyin with tone numbers
	VoiceEN = "en-us"
)

// VoiceFor is the espeak-ng voice of a language.
func VoiceFor(lang kiosk.Lang) string {
	if lang == kiosk.LangEN {
		return VoiceEN
	}
	return VoiceZH
}

// ErrNoEngine is returned when espeak-ng is not installed.
var ErrNoEngine = errors.New("espeak-ng is not installed (apt-get install espeak-ng)")

// Espeak synthesizes with the espeak-ng program.
type Espeak struct {
	Path string // the program; "" looks espeak-ng up on PATH
	Rate int    // words a minute; 0 is espeak-ng's default (175)
}

func (e Espeak) path() (string, error) {
	p := e.Path
	if p == "" {
		p = "espeak-ng"
	}
	found, err := exec.LookPath(p)
	if err != nil {
		return "", ErrNoEngine
	}
	return found, nil
}

// Synthesize runs espeak-ng on input (given on stdin, so no text is ever
// read as a flag) and decodes the WAV it writes.
func (e Espeak) Synthesize(ctx context.Context, voice, input string) (Audio, error) {
	p, err := e.path()
	if err != nil {
		return Audio{}, err
	}
	args := []string{"-v", voice, "--stdout"}
	if e.Rate > 0 {
		args = append(args, "-s", strconv.Itoa(e.Rate))
	}
	cmd := exec.CommandContext(ctx, p, args...)
	cmd.Stdin = strings.NewReader(input)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return Audio{}, ctx.Err()
		}
		return Audio{}, fmt.Errorf("espeak-ng -v %s: %v: %s", voice, err, strings.TrimSpace(stderr.String()))
	}
	return ReadWAV(out.Bytes())
}

// Phonemes returns espeak-ng's phoneme transcription of input (-x), used to
// check that nothing falls back to another language's rules.
func (e Espeak) Phonemes(ctx context.Context, voice, input string) (string, error) {
	p, err := e.path()
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, p, "-q", "-x", "-v", voice)
	cmd.Stdin = strings.NewReader(input)
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("espeak-ng -x -v %s: %v", voice, err)
	}
	return strings.TrimSpace(string(out)), nil
}
