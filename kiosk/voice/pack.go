package voice

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/tongban/tongban/kiosk"
)

// ManifestName is the file naming a voice pack's recordings.
const ManifestName = "manifest.json"

// Manifest lists a voice pack's recordings.
type Manifest struct {
	// Voice says who or what recorded the pack (a speaker's name, or
	// "espeak-ng cmn-latn-pinyin" for a rendered pack).
	Voice   string      `json:"voice,omitempty"`
	Prompts []Recording `json:"prompts"`
}

// Recording is one prompt of a pack: the message it says, in a language,
// the exact text it was recorded from, and its WAV file (16-bit mono PCM,
// relative to the pack's folder).
type Recording struct {
	ID   string     `json:"id"`
	Lang kiosk.Lang `json:"lang"`
	Text string     `json:"text"`
	File string     `json:"file"`
}

var messageID = regexp.MustCompile(`^[a-z0-9_.\-]{1,80}$`)

// ParseManifest reads a manifest and checks every entry: a known
// language, a message ID, a text, and a file inside the pack's folder.
func ParseManifest(data []byte) (Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return Manifest{}, fmt.Errorf("voice pack manifest: %v", err)
	}
	seen := map[string]bool{}
	for i, r := range m.Prompts {
		where := fmt.Sprintf("voice pack manifest: prompt %d (%s)", i+1, r.ID)
		switch {
		case !messageID.MatchString(r.ID):
			return Manifest{}, fmt.Errorf("%s: the id should be a message ID such as identify.place_card", where)
		case r.Lang != kiosk.LangZH && r.Lang != kiosk.LangEN:
			return Manifest{}, fmt.Errorf("%s: lang %q should be zh or en", where, r.Lang)
		case strings.TrimSpace(r.Text) == "":
			return Manifest{}, fmt.Errorf("%s: the text it was recorded from is missing", where)
		case !filepath.IsLocal(r.File) || !strings.HasSuffix(strings.ToLower(r.File), ".wav"):
			return Manifest{}, fmt.Errorf("%s: file %q should be a .wav file inside the pack's folder", where, r.File)
		case seen[string(r.Lang)+"/"+r.ID]:
			return Manifest{}, fmt.Errorf("%s: listed twice for %s", where, r.Lang)
		}
		seen[string(r.Lang)+"/"+r.ID] = true
	}
	return m, nil
}

// Stale is a recording whose text no longer matches the catalog: it is
// reported and never played.
type Stale struct {
	ID, Lang      string
	Recorded, Now string // the text recorded, and the catalog's text today
	File          string
}

func (s Stale) String() string {
	return fmt.Sprintf("%s (%s) %s: recorded %q, the screen now says %q", s.ID, s.Lang, s.File, s.Recorded, s.Now)
}

// Pack holds a voice pack's playable recordings.
type Pack struct {
	audio map[string]packed // by lang/id
}

type packed struct {
	text  string
	audio Audio
}

// OpenPack reads the pack in dir and checks each recording's text against
// words. Stale recordings are returned, not loaded; an unreadable WAV file
// is an error naming it.
func OpenPack(dir string, words Words) (*Pack, []Stale, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil, nil, fmt.Errorf("voice pack %s: %w", dir, err)
	}
	m, err := ParseManifest(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", dir, err)
	}
	p := &Pack{audio: map[string]packed{}}
	var stale []Stale
	var errs []error
	for _, r := range m.Prompts {
		now := words.Text(r.Lang, r.ID, nil)
		if now == r.ID { // not in the catalog any more, or needs arguments: compare what can be compared
			now = ""
		}
		if now != "" && now != r.Text {
			stale = append(stale, Stale{ID: r.ID, Lang: string(r.Lang), Recorded: r.Text, Now: now, File: r.File})
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, r.File))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		a, err := ReadWAV(raw)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", r.File, err))
			continue
		}
		p.audio[string(r.Lang)+"/"+r.ID] = packed{text: r.Text, audio: a}
	}
	return p, stale, errors.Join(errs...)
}

// Len is the number of playable recordings.
func (p *Pack) Len() int {
	if p == nil {
		return 0
	}
	return len(p.audio)
}

// Lookup returns the recording of prompt pr when the pack has one recorded
// from exactly the words the screen shows now.
func (p *Pack) Lookup(pr Prompt) (Audio, bool) {
	if p == nil || pr.ID == "" || pr.Spelled {
		return Audio{}, false
	}
	r, ok := p.audio[string(pr.Lang)+"/"+pr.ID]
	if !ok || r.text != pr.Words {
		return Audio{}, false
	}
	return r.audio, true
}

// RenderPack writes a pack to dir: every message of ids (by language) that
// needs no arguments, synthesized with synth. It returns the manifest.
func RenderPack(ctx context.Context, dir string, c Composer, synth Synthesizer, ids map[kiosk.Lang][]string) (Manifest, error) {
	m := Manifest{Voice: "espeak-ng " + VoiceZH + " / " + VoiceEN}
	langs := make([]string, 0, len(ids))
	for l := range ids {
		langs = append(langs, string(l))
	}
	sort.Strings(langs)
	for _, l := range langs {
		lang := kiosk.Lang(l)
		if err := os.MkdirAll(filepath.Join(dir, l), 0o755); err != nil {
			return m, err
		}
		for _, id := range ids[lang] {
			p := c.Prompt(lang, Line{ID: id})
			if p.Words == id || strings.Contains(p.Words, "<no value>") || strings.TrimSpace(p.Input) == "" {
				continue // needs arguments: spoken by the engine each time
			}
			a, err := synth.Synthesize(ctx, p.Voice, p.Input)
			if err != nil {
				return m, fmt.Errorf("%s (%s): %w", id, l, err)
			}
			file := filepath.Join(l, id+".wav")
			if err := writeFileAtomic(filepath.Join(dir, file), a.WAV()); err != nil {
				return m, err
			}
			m.Prompts = append(m.Prompts, Recording{ID: id, Lang: lang, Text: p.Words, File: file})
		}
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, err
	}
	return m, writeFileAtomic(filepath.Join(dir, ManifestName), append(data, '\n'))
}

// writeFileAtomic writes a file through a temporary one and a rename, so
// a kiosk never reads half a recording.
func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
