package outbox

import (
	"path/filepath"
	"testing"

	"github.com/tongban/tongban/internal/durable/durabletest"
)

// TestTerminalKeyCreatedDurably: the terminal key reaches its name only
// after its contents are synced, and its folder is synced after, so a power
// cut never leaves a queue whose key is lost or empty.
func TestTerminalKeyCreatedDurably(t *testing.T) {
	path := filepath.Join(t.TempDir(), "terminal.key")
	calls := durabletest.Trace(t, func() {
		if _, err := LoadOrCreateKey(path); err != nil {
			t.Fatal(err)
		}
	})
	durabletest.RequireDurable(t, calls, path)
}
