package voice

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestWAVRoundTrip(t *testing.T) {
	a := Audio{Rate: 22050, Samples: []int16{0, 1000, -1000, 32767, -32768}}
	data := a.WAV()
	if len(data) != 44+10 || !bytes.Equal(data[20:22], []byte{1, 0}) {
		t.Fatalf("header %x", data[:44])
	}
	b, err := ReadWAV(data)
	if err != nil {
		t.Fatal(err)
	}
	if b.Rate != a.Rate || len(b.Samples) != len(a.Samples) || b.Samples[3] != 32767 {
		t.Fatalf("read back %+v", b)
	}
}

// TestWAVPlaysWithSox: another program reads what we write (sox is
// installed with espeak-ng by make deps).
func TestWAVPlaysWithSox(t *testing.T) {
	if _, err := exec.LookPath("soxi"); err != nil {
		t.Skip("sox is not installed (make deps installs it)")
	}
	path := filepath.Join(t.TempDir(), "a.wav")
	if err := os.WriteFile(path, Silence(16000, 500e6).WAV(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("soxi", "-D", path).CombinedOutput()
	if err != nil || string(bytes.TrimSpace(out)) != "0.500000" {
		t.Fatalf("soxi: %v %s", err, out)
	}
}

func TestReadWAVRefuses(t *testing.T) {
	good := Audio{Rate: 16000, Samples: []int16{1, 2}}.WAV()
	stereo := append([]byte(nil), good...)
	stereo[22] = 2
	for name, data := range map[string][]byte{"empty": nil, "text": []byte("hello world, not a wav"), "stereo": stereo, "truncated": good[:30]} {
		if _, err := ReadWAV(data); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func FuzzReadWAV(f *testing.F) {
	f.Add(Audio{Rate: 16000, Samples: []int16{1, 2, 3}}.WAV())
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVE"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ReadWAV(data)
		if err == nil && (a.Rate < 8000 || len(a.Samples) > maxWAVSamples) {
			t.Fatalf("accepted %d Hz, %d samples", a.Rate, len(a.Samples))
		}
	})
}

func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(`{"prompts":[{"id":"identify.place_card","lang":"zh","text":"请将身份证放在感应区","file":"zh/identify.place_card.wav"}]}`))
	f.Add([]byte(`{"prompts":[{"id":"x","lang":"zh","text":"t","file":"../etc/passwd.wav"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest(data)
		if err != nil {
			return
		}
		for _, r := range m.Prompts {
			if !filepath.IsLocal(r.File) {
				t.Fatalf("accepted file %q outside the pack", r.File)
			}
		}
	})
}
