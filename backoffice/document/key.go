package document

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/emmansun/gmsm/sm2"
	"github.com/tongban/tongban/internal/durable"
)

// KeyFile is the usual name, in the back office's key directory, of the
// document-signing key: the SM2 private scalar in hex, mode 0600.
const KeyFile = "document-sm2.key"

// LoadOrCreateKey reads the document-signing key at path, creating it
// (durably, mode 0600) when there is none. A file that is there but does
// not hold a key is an error, never silently replaced: documents already
// issued were signed with it.
func LoadOrCreateKey(path string) (*sm2.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		k, err := sm2.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		d := k.D.FillBytes(make([]byte, 32))
		if err := durable.Create(path, []byte(hex.EncodeToString(d)+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("document key: %w", err)
		}
		return k, nil
	}
	if err != nil {
		return nil, fmt.Errorf("document key: %w", err)
	}
	d, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(d) != 32 {
		return nil, fmt.Errorf("document key %s does not hold a 64-digit hex SM2 key: restore it from the backup (documents already issued were signed with it)", path)
	}
	k, err := sm2.NewPrivateKey(d)
	if err != nil {
		return nil, fmt.Errorf("document key %s: %w", path, err)
	}
	return k, nil
}
