package store

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/emmansun/gmsm/sm4"

	"github.com/tongban/tongban/internal/durable"
)

// SealKeySize is the length of the SM4 key that seals personal data at rest.
const SealKeySize = 16

// ErrSealed is returned when a sealed payload cannot be opened: no key was
// given (SealWith) or it is another key than the one that sealed it.
var ErrSealed = errors.New("store: the payload is sealed and does not open with this store's key")

// sealer seals submission payloads with SM4-GCM. The additional data binds
// each payload to its (terminal, client ID), so a payload copied onto
// another row does not open.
type sealer struct{ aead cipher.AEAD }

// SealWith makes the store seal every submission payload it writes from now
// on with key (SM4-GCM) and open sealed ones on read. The key must be kept
// apart from the database (LoadOrCreateSealKey).
func (s *DB) SealWith(key []byte) error {
	if len(key) != SealKeySize {
		return fmt.Errorf("store: the seal key must be %d bytes, not %d", SealKeySize, len(key))
	}
	block, err := sm4.NewCipher(key)
	if err != nil {
		return err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return err
	}
	s.seal = &sealer{aead: aead}
	return nil
}

func sealAAD(terminal, clientID string) []byte {
	return []byte("tongban/backoffice/submission/v1|" + terminal + "|" + clientID)
}

func (k *sealer) sealPayload(terminal, clientID string, plain []byte) ([]byte, error) {
	n := k.aead.NonceSize()
	out := make([]byte, 1+n, 1+n+len(plain)+k.aead.Overhead())
	out[0] = 1
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, err
	}
	return k.aead.Seal(out, out[1:1+n], plain, sealAAD(terminal, clientID)), nil
}

func (k *sealer) openPayload(terminal, clientID string, sealed []byte) ([]byte, error) {
	if k == nil {
		return nil, ErrSealed
	}
	n := k.aead.NonceSize()
	if len(sealed) < 1+n+k.aead.Overhead() || sealed[0] != 1 {
		return nil, ErrSealed
	}
	plain, err := k.aead.Open(nil, sealed[1:1+n], sealed[1+n:], sealAAD(terminal, clientID))
	if err != nil {
		return nil, ErrSealed
	}
	return plain, nil
}

// LoadOrCreateSealKey reads the hex SM4 key in path, creating it (0600) with
// a fresh random key when it does not exist. A key file readable by group or
// others is refused.
func LoadOrCreateSealKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		k := make([]byte, SealKeySize)
		if _, err := rand.Read(k); err != nil {
			return nil, err
		}
		if err := durable.Create(path, []byte(hex.EncodeToString(k)+"\n"), 0o600); err != nil {
			return nil, err
		}
		return k, nil
	}
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("store: %s is readable by others (mode %v); chmod 600 it", path, fi.Mode().Perm())
	}
	k, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(k) != SealKeySize {
		return nil, fmt.Errorf("store: %s must hold %d bytes of hex", path, SealKeySize)
	}
	return k, nil
}
