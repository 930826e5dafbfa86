package store

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"

	"github.com/tongban/tongban/internal/durable"
)

// SealKeySize is the length of the SM4 keys that seal personal data at rest.
const SealKeySize = 16

// Purposes of the data keys: each kind of personal data is sealed under a
// key of its own, so that whoever may open the forms does not thereby
// hold the signatures.
const (
	PurposePayload   = "payload"
	PurposeSignature = "signature"
	// Department records and issued documents are sealed under the
	// payload key, bound by their additional data to what they are.
	PurposeRecord   = "record"
	PurposeDocument = "document"
	// The answers sent with an appointment, under the payload key.
	PurposeAppointment = "appointment"
)

// ErrSealed is returned when a sealed payload cannot be opened: no key was
// given (SealWith) or it is another key than the one that sealed it.
var ErrSealed = errors.New("store: the payload is sealed and does not open with this store's key")

// KeyService hands the store its data keys, one per purpose. The keys are
// kept apart from the database: in files at another path (KeyDir), or in
// a KMS or hardware module behind the same method.
type KeyService interface {
	DataKey(purpose string) ([]byte, error)
}

// sealer seals personal data with SM4-GCM, one AEAD per purpose. The
// additional data binds each value to its purpose and (terminal, client
// ID), so a value copied onto another row or column does not open.
type sealer struct{ payload, signature cipher.AEAD }

// SealWithKeys makes the store seal every submission's payload and
// signature it writes from now on, each under its own key from ks, and
// open sealed ones on read.
func (s *DB) SealWithKeys(ks KeyService) error {
	var aeads [2]cipher.AEAD
	for i, purpose := range []string{PurposePayload, PurposeSignature} {
		key, err := ks.DataKey(purpose)
		if err != nil {
			return fmt.Errorf("store: the %s key: %w", purpose, err)
		}
		if aeads[i], err = newAEAD(key); err != nil {
			return err
		}
	}
	s.seal = &sealer{payload: aeads[0], signature: aeads[1]}
	return nil
}

// SealWith seals with one key, as stores before the key service did: the
// payload under key itself (so rows it sealed still open), the signature
// under a key derived from it with HMAC-SM3. Prefer SealWithKeys with
// keys that are independent.
func (s *DB) SealWith(key []byte) error {
	if len(key) != SealKeySize {
		return fmt.Errorf("store: the seal key must be %d bytes, not %d", SealKeySize, len(key))
	}
	m := hmac.New(sm3.New, key)
	m.Write([]byte("tongban/backoffice/key/" + PurposeSignature))
	return s.SealWithKeys(fixedKeys{PurposePayload: key, PurposeSignature: m.Sum(nil)[:SealKeySize]})
}

type fixedKeys map[string][]byte

func (f fixedKeys) DataKey(purpose string) ([]byte, error) { return f[purpose], nil }

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != SealKeySize {
		return nil, fmt.Errorf("store: a seal key must be %d bytes, not %d", SealKeySize, len(key))
	}
	block, err := sm4.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func sealAAD(purpose, terminal, clientID string) []byte {
	if purpose == PurposePayload {
		// The additional data of rows sealed before signatures had a key
		// of their own.
		return []byte("tongban/backoffice/submission/v1|" + terminal + "|" + clientID)
	}
	return []byte("tongban/backoffice/" + purpose + "/v1|" + terminal + "|" + clientID)
}

func (k *sealer) aead(purpose string) cipher.AEAD {
	if purpose == PurposeSignature {
		return k.signature
	}
	return k.payload
}

func (k *sealer) sealValue(purpose, terminal, clientID string, plain []byte) ([]byte, error) {
	a := k.aead(purpose)
	n := a.NonceSize()
	out := make([]byte, 1+n, 1+n+len(plain)+a.Overhead())
	out[0] = 1
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, err
	}
	return a.Seal(out, out[1:1+n], plain, sealAAD(purpose, terminal, clientID)), nil
}

func (k *sealer) openValue(purpose, terminal, clientID string, sealed []byte) ([]byte, error) {
	if k == nil {
		return nil, ErrSealed
	}
	a := k.aead(purpose)
	n := a.NonceSize()
	if len(sealed) < 1+n+a.Overhead() || sealed[0] != 1 {
		return nil, ErrSealed
	}
	plain, err := a.Open(nil, sealed[1:1+n], sealed[1+n:], sealAAD(purpose, terminal, clientID))
	if err != nil {
		return nil, ErrSealed
	}
	return plain, nil
}

// KeyDir is a KeyService over a directory of key files, one per purpose
// (store-<purpose>.sm4key, hex), created with fresh random keys when
// missing. The directory must not be the database's: whoever copies the
// database does not thereby have the keys. Files are 0600, the directory
// 0700; a key file readable by group or others is refused.
type KeyDir string

// DataKey reads (or creates) the key of purpose.
func (d KeyDir) DataKey(purpose string) ([]byte, error) {
	if err := os.MkdirAll(string(d), 0o700); err != nil {
		return nil, err
	}
	if err := os.Chmod(string(d), 0o700); err != nil {
		return nil, err
	}
	return LoadOrCreateSealKey(filepath.Join(string(d), "store-"+purpose+".sm4key"))
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
