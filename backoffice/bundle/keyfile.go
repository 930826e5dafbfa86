package bundle

import (
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"os"

	"github.com/emmansun/gmsm/sm2"

	"github.com/tongban/tongban/internal/durable"
)

// LoadOrCreateKey reads the SM2 bundle signing key at path (hex of the
// private scalar in a PEM block), creating it (mode 0600) if missing.
func LoadOrCreateKey(path string) (*sm2.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key, err := sm2.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		blk := pem.EncodeToMemory(&pem.Block{Type: "SM2 PRIVATE KEY", Bytes: key.D.FillBytes(make([]byte, 32))})
		if err := durable.Create(path, blk, 0o600); err != nil {
			return nil, err
		}
		return key, nil
	}
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "SM2 PRIVATE KEY" {
		return nil, fmt.Errorf("bundle: %s holds no SM2 PRIVATE KEY block", path)
	}
	key, err := sm2.NewPrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("bundle: %s: %w", path, err)
	}
	return key, nil
}
