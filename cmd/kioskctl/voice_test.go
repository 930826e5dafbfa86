package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tongban/tongban/kiosk/voice"
)

func needEspeak(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng is not installed (make deps installs it)")
	}
}

func TestVoiceSay(t *testing.T) {
	needEspeak(t)
	out := filepath.Join(t.TempDir(), "p.wav")
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"voice", "say", "请将身份证放在感应区", "--out", out, "--show"}, &stdout, &stderr); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "qing3 jiang1 shen1 fen4 zheng4") {
		t.Errorf("input shown: %s", stdout.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	a, err := voice.ReadWAV(data)
	if err != nil || a.RMS() < 0.02 {
		t.Fatalf("wrote %v, rms %.3f", err, a.RMS())
	}
	if err := run(context.Background(), []string{"voice", "say", "x"}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "--out") {
		t.Errorf("say without --out: %v", err)
	}
	if err := run(context.Background(), []string{"voice", "say", "x", "--out", out, "--lang", "fr"}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "zh or en") {
		t.Errorf("say --lang fr: %v", err)
	}
}

// TestVoiceSayFlagsAnywhere: the flags may come before the words, between
// them or after them, as a technician types them.
func TestVoiceSayFlagsAnywhere(t *testing.T) {
	needEspeak(t)
	for _, args := range [][]string{
		{"--lang", "en", "Please take your card.", "--out", "OUT", "--show"},
		{"--show", "--out", "OUT", "--lang", "en", "Please take your card."},
		{"Please", "--lang", "en", "take your card.", "--out", "OUT", "--show"},
	} {
		out := filepath.Join(t.TempDir(), "p.wav")
		full := []string{"voice", "say"}
		for _, a := range args {
			full = append(full, strings.ReplaceAll(a, "OUT", out))
		}
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), full, &stdout, &stderr); err != nil {
			t.Fatalf("%q: %v: %s", args, err, stderr.String())
		}
		if first := strings.SplitN(stdout.String(), "\n", 2)[0]; first != "Please take your card." {
			t.Errorf("%q: synthesized %q", args, first)
		}
		if _, err := os.Stat(out); err != nil {
			t.Errorf("%q: %v", args, err)
		}
	}
}

// TestVoiceRenderAndCheck renders a pack, changes one recording's text as
// if the catalog had moved on, and checks it is reported stale.
func TestVoiceRenderAndCheck(t *testing.T) {
	needEspeak(t)
	if testing.Short() {
		t.Skip("renders every message")
	}
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"voice", "render", dir}, &stdout, &stderr); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	path := filepath.Join(dir, voice.ManifestName)
	data, _ := os.ReadFile(path)
	var m voice.Manifest
	if err := json.Unmarshal(data, &m); err != nil || len(m.Prompts) < 300 {
		t.Fatalf("manifest: %v, %d prompts", err, len(m.Prompts))
	}
	var orig string
	for i := range m.Prompts {
		if strings.HasPrefix(m.Prompts[i].ID, "staff.") {
			t.Errorf("staff screen %s rendered", m.Prompts[i].ID)
		}
		if m.Prompts[i].ID == "sign.title" && m.Prompts[i].Lang == "zh" {
			orig, m.Prompts[i].Text = m.Prompts[i].Text, "请在这里签名"
		}
	}
	data, _ = json.Marshal(m)
	os.WriteFile(path, data, 0o644)
	stdout.Reset()
	if err := run(context.Background(), []string{"voice", "check", dir}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "1 stale recordings will not be played") {
		t.Fatalf("check of a pack with a stale recording: %v (want a failure, for installation scripts)", err)
	}
	if !strings.Contains(stdout.String(), "stale: sign.title (zh)") || !strings.Contains(stdout.String(), "1 stale") {
		t.Errorf("check said:\n%s", stdout.String())
	}
	// The center records it again from today's text: the check passes.
	for i := range m.Prompts {
		if m.Prompts[i].ID == "sign.title" && m.Prompts[i].Lang == "zh" {
			m.Prompts[i].Text = orig
		}
	}
	data, _ = json.Marshal(m)
	os.WriteFile(path, data, 0o644)
	stdout.Reset()
	if err := run(context.Background(), []string{"voice", "check", dir}, &stdout, &stderr); err != nil || !strings.Contains(stdout.String(), " 0 stale") {
		t.Fatalf("check after recording again: %v\n%s", err, stdout.String())
	}
}
