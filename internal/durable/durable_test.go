package durable

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileReplacesAndCreateNeverDoes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "folder")
	p := filepath.Join(dir, "key")
	for _, step := range []struct {
		name    string
		write   func() error
		want    string
		wantErr error
	}{
		{"create in a new folder", func() error { return Create(p, []byte("one"), 0o600) }, "one", nil},
		{"create again is refused", func() error { return Create(p, []byte("two"), 0o600) }, "one", ErrExists},
		{"write replaces", func() error { return WriteFile(p, []byte("three"), 0o640) }, "three", nil},
		{"create still refused", func() error { return Create(p, []byte("four"), 0o600) }, "three", ErrExists},
	} {
		err := step.write()
		if !errors.Is(err, step.wantErr) || (step.wantErr == nil && err != nil) {
			t.Fatalf("%s: error %v, want %v", step.name, err, step.wantErr)
		}
		if got, _ := os.ReadFile(p); string(got) != step.want {
			t.Fatalf("%s: the file holds %q, want %q", step.name, got, step.want)
		}
	}
	if info, _ := os.Stat(p); info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", info.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	if err := WriteFile(filepath.Join(p, "under-a-file"), nil, 0o600); err == nil {
		t.Error("writing below a file passed")
	}
}

// TestReplaceSecretPowerCuts: a secret replaced by its sealed form, cut at
// each point and tidied at the next start, leaves the path whole (old or
// new) and no copy of the old secret in the folder; without a cut the
// old bytes are gone at once.
func TestReplaceSecretPowerCuts(t *testing.T) {
	secret, sealedForm := []byte("CLEAR-SECRET-0123456789"), []byte("sealed form")
	for _, point := range []string{"", "old kept", "new in place"} {
		dir := t.TempDir()
		p := filepath.Join(dir, "client-key.pem")
		if err := WriteFile(p, secret, 0o600); err != nil {
			t.Fatal(err)
		}
		// A hard link shares the old blocks: it shows whether they were
		// overwritten, as a raw read of the disk would.
		spy := filepath.Join(t.TempDir(), "blocks")
		if err := os.Link(p, spy); err != nil {
			t.Skip("no hard links here:", err)
		}
		errCut := errors.New("cut")
		err := ReplaceSecret(p, sealedForm, 0o600, func(s string) error {
			if s == point {
				return errCut
			}
			return nil
		})
		if point == "" && err != nil || point != "" && !errors.Is(err, errCut) {
			t.Fatalf("cut at %q: %v", point, err)
		}
		if err := TidySecret(p); err != nil {
			t.Fatalf("tidy after a cut at %q: %v", point, err)
		}
		got, _ := os.ReadFile(p)
		names, _ := os.ReadDir(dir)
		if len(names) != 1 {
			t.Errorf("cut at %q: %d files left in the folder", point, len(names))
		}
		old, _ := os.ReadFile(spy)
		switch {
		case point == "old kept":
			if !bytes.Equal(got, secret) {
				t.Errorf("cut before the new was in place: %q, want the old", got)
			}
		case !bytes.Equal(got, sealedForm):
			t.Errorf("cut at %q: %q, want the new", point, got)
		case bytes.Contains(old, secret):
			t.Errorf("cut at %q: the old secret's blocks still hold it", point)
		}
	}
}
