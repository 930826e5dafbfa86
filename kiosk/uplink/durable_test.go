package uplink

import (
	"path/filepath"
	"testing"

	"github.com/tongban/tongban/internal/durable/durabletest"
)

// TestBundleAndIdentityFilesDurable: bundle files and the identity written
// at provisioning reach their names only after their contents are synced.
func TestBundleAndIdentityFilesDurable(t *testing.T) {
	dir := t.TempDir()
	bundle, identity := filepath.Join(dir, "bundles", "catalog.json"), filepath.Join(dir, "identity", "identity.json")
	calls := durabletest.Trace(t, func() {
		if err := writeFileAtomic(bundle, []byte("{}")); err != nil {
			t.Fatal(err)
		}
		if err := writeFileMode(identity, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	})
	durabletest.RequireDurable(t, calls, bundle, identity)
}
