package outbox

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/tongban/tongban/internal/durable"
)

// KeySize is the size of the terminal key and of each record's data key:
// SM4 keys are 128 bits.
const KeySize = 16

// LoadOrCreateKey reads the terminal key from path, or creates a new random
// one there when the file does not exist. The file holds the key as one line
// of hex, mode 0600; a key file readable by group or others is refused.
//
// Keep the key file outside the database and off the data partition's backup
// set: whoever has both can read queued submissions. On a certified
// terminal a secure element holds this key instead (see the package doc).
func LoadOrCreateKey(path string) ([]byte, error) {
	key, err := loadKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	return createKey(path)
}

// LoadKey reads an existing terminal key; it never creates one. Tools that
// only read a queue (kioskctl queue verify) use it.
func LoadKey(path string) ([]byte, error) { return loadKey(path) }

func loadKey(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("terminal key %s is readable by others (mode %v); set it to 0600", path, info.Mode().Perm())
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(string(bytes.TrimSpace(raw)))
	if err != nil || len(key) != KeySize {
		return nil, fmt.Errorf("terminal key %s is damaged: want %d bytes as hex on one line", path, KeySize)
	}
	return key, nil
}

// createKey writes a fresh key atomically: a temporary file is written and
// synced, then renamed into place, then the directory is synced. A crash
// leaves either no key or a whole one, never half a key.
func createKey(path string) ([]byte, error) {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	// Create links the synced file into place and syncs the folder; if
	// another process created the key meanwhile, theirs is kept.
	if err := durable.Create(path, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
		if errors.Is(err, durable.ErrExists) {
			return loadKey(path)
		}
		return nil, fmt.Errorf("creating terminal key: %w", err)
	}
	return key, nil
}

// syncDir makes a rename or link in dir durable.
func syncDir(dir string) error { return durable.SyncDir(dir) }
