package durable

import (
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
