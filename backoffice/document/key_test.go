package document

import (
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/emmansun/gmsm/sm2"
)

// TestKeyPersists: the key is created once (0600), the same key is read
// back and verifies what the first signed; a damaged file is refused,
// not replaced.
func TestKeyPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), KeyFile)
	k1, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi.Mode(), err)
	}
	sig, _ := Sign(k1, rand.Reader, []byte("pdf"))
	k2, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !sm2.VerifyASN1WithSM2(&k2.PublicKey, nil, []byte("pdf"), sig) {
		t.Fatal("the reloaded key does not verify what the first one signed")
	}
	os.WriteFile(path, []byte("garbage\n"), 0o600)
	if _, err := LoadOrCreateKey(path); err == nil {
		t.Fatal("a damaged key file was accepted")
	}
	if b, _ := os.ReadFile(path); string(b) != "garbage\n" {
		t.Error("a damaged key file was replaced")
	}
}
