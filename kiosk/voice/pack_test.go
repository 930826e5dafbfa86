package voice

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tongban/tongban/kiosk"
)

// mapWords is a catalog of a few messages, for pack tests.
type mapWords map[string]string

func (m mapWords) Text(lang kiosk.Lang, id string, args map[string]any) string {
	if s, ok := m[string(lang)+"/"+id]; ok {
		return s
	}
	return id
}

func TestRenderedPackOverridesSynthesis(t *testing.T) {
	dir := t.TempDir()
	c := testComposer(t)
	synth := &fakeSynth{}
	m, err := RenderPack(context.Background(), dir, c, synth, map[kiosk.Lang][]string{
		kiosk.LangZH: {"identify.place_card", "countdown.seconds", "sign.title"},
		kiosk.LangEN: {"identify.place_card"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Prompts) != 3 {
		t.Fatalf("rendered %d prompts, want 3 (countdown.seconds needs a count)", len(m.Prompts))
	}
	p, stale, err := OpenPack(dir, c.Words)
	if err != nil || len(stale) != 0 || p.Len() != 3 {
		t.Fatalf("OpenPack: %d playable, stale %v, err %v", p.Len(), stale, err)
	}
	// A recording replaces synthesis: the speaker never calls the engine
	// for the sign screen's heading.
	sink := newFakeSink(false)
	never := &fakeSynth{}
	sp := newTestSpeaker(t, sink, never, Options{Pack: p})
	sp.Show(Screen{State: "sign", Elderly: true})
	sink.next(t)
	sink.next(t)
	if never.calls != 1 { // sign.hint is not in the pack; sign.title is
		t.Errorf("synthesized %d sentences, want 1 (the one the pack lacks)", never.calls)
	}
}

func TestStaleRecordingNotPlayed(t *testing.T) {
	dir := t.TempDir()
	wav := Audio{Rate: 16000, Samples: []int16{5, 5, 5}}.WAV()
	os.MkdirAll(filepath.Join(dir, "zh"), 0o755)
	for _, f := range []string{"zh/identify.place_card.wav", "zh/sign.title.wav"} {
		if err := os.WriteFile(filepath.Join(dir, f), wav, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	man := Manifest{Prompts: []Recording{
		{ID: "identify.place_card", Lang: kiosk.LangZH, Text: "请把身份证放在感应区", File: "zh/identify.place_card.wav"}, // the catalog changed since
		{ID: "sign.title", Lang: kiosk.LangZH, Text: "请在白色区域签名", File: "zh/sign.title.wav"},
	}}
	data, _ := json.Marshal(man)
	os.WriteFile(filepath.Join(dir, ManifestName), data, 0o644)
	words := mapWords{"zh/identify.place_card": "请将身份证放在感应区", "zh/sign.title": "请在白色区域签名"}
	p, stale, err := OpenPack(dir, words)
	if err != nil {
		t.Fatal(err)
	}
	if len(stale) != 1 || stale[0].ID != "identify.place_card" || !strings.Contains(stale[0].String(), "请将身份证放在感应区") {
		t.Fatalf("stale = %v", stale)
	}
	if _, ok := p.Lookup(Prompt{ID: "identify.place_card", Lang: kiosk.LangZH, Words: "请将身份证放在感应区"}); ok {
		t.Error("a stale recording would be played")
	}
	if _, ok := p.Lookup(Prompt{ID: "sign.title", Lang: kiosk.LangZH, Words: "请在白色区域签名"}); !ok {
		t.Error("a matching recording is not used")
	}
	if _, ok := p.Lookup(Prompt{ID: "sign.title", Lang: kiosk.LangEN, Words: "请在白色区域签名"}); ok {
		t.Error("the Chinese recording played for English")
	}
}

func TestParseManifestErrors(t *testing.T) {
	for _, tt := range []struct{ json, want string }{
		{`{"prompts":[{"id":"a.b","lang":"fr","text":"x","file":"a.wav"}]}`, "should be zh or en"},
		{`{"prompts":[{"id":"a.b","lang":"zh","text":"","file":"a.wav"}]}`, "text it was recorded from"},
		{`{"prompts":[{"id":"a.b","lang":"zh","text":"x","file":"../a.wav"}]}`, "inside the pack"},
		{`{"prompts":[{"id":"a.b","lang":"zh","text":"x","file":"a.mp3"}]}`, ".wav file"},
		{`{"prompts":[{"id":"A B","lang":"zh","text":"x","file":"a.wav"}]}`, "message ID"},
		{`{"prompts":[{"id":"a.b","lang":"zh","text":"x","file":"a.wav"},{"id":"a.b","lang":"zh","text":"x","file":"b.wav"}]}`, "listed twice"},
		{`{"prompts":`, "manifest"},
	} {
		if _, err := ParseManifest([]byte(tt.json)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseManifest(%s) = %v, want %q", tt.json, err, tt.want)
		}
	}
}

func TestFileSinkKeepsTheNewest(t *testing.T) {
	dir := t.TempDir()
	f := &FileSink{Dir: dir, Keep: 3}
	for range 5 {
		if err := f.Play(context.Background(), Clip{Name: "zh/sign.title", Audio: Silence(16000, 1e6)}); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.wav"))
	if len(files) != 3 || filepath.Base(files[0]) != "0003-zh-sign.title.wav" {
		t.Fatalf("files %v", files)
	}
}
