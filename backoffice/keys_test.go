package backoffice

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/internal/durable/durabletest"
)

// TestKeyFilesWrittenDurably: after one power cut the CA, its key, the
// bundle key and the lookup key were 0 bytes because they were written
// without fsync. Every key file must reach its name only after its
// contents are on disk, and its folder must be synced after.
func TestKeyFilesWrittenDurably(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	var keys *Keys
	calls := durabletest.Trace(t, func() {
		var err error
		if keys, err = LoadOrCreateKeys(dir); err != nil {
			t.Fatal(err)
		}
		if _, err := store.LoadOrCreateSealKey(filepath.Join(dir, SealKeyFile)); err != nil {
			t.Fatal(err)
		}
	})
	names := []string{"ca.pem", "ca-key.pem", "bundle-sm2.pem", "lookup-hash.key", SealKeyFile, PayloadKeyFile}
	var paths []string
	for _, n := range names {
		paths = append(paths, filepath.Join(dir, n))
	}
	durabletest.RequireDurable(t, calls, paths...)

	// A second start reads the same keys and writes nothing.
	again, err := LoadOrCreateKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.HashKey, keys.HashKey) || !again.CA.Cert.Equal(keys.CA.Cert) {
		t.Error("the keys changed on the second start")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(names) {
		t.Errorf("the key folder holds %d files, want %d (no temporary files left)", len(entries), len(names))
	}
}
