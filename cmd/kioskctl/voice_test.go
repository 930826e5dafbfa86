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
	for i := range m.Prompts {
		if strings.HasPrefix(m.Prompts[i].ID, "staff.") {
			t.Errorf("staff screen %s rendered", m.Prompts[i].ID)
		}
		if m.Prompts[i].ID == "sign.title" && m.Prompts[i].Lang == "zh" {
			m.Prompts[i].Text = "请在这里签名"
		}
	}
	data, _ = json.Marshal(m)
	os.WriteFile(path, data, 0o644)
	stdout.Reset()
	if err := run(context.Background(), []string{"voice", "check", dir}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "stale: sign.title (zh)") || !strings.Contains(stdout.String(), "1 stale") {
		t.Errorf("check said:\n%s", stdout.String())
	}
}
