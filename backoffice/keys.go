package backoffice

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/internal/durable"
	"github.com/tongban/tongban/internal/sealed"
)

// SealKeyFile is the name, in the key directory, of the SM4 key that seals
// residents' data in the store (store.LoadOrCreateSealKey): it is kept
// apart from the database, mode 0600.
const SealKeyFile = "store-sm4.key"

// StoreKeyDir is the directory, in the key directory, of the store's data
// keys (store.KeyDir): one SM4 key for payloads, one for signatures.
const StoreKeyDir = "store"

// SealStore makes st seal residents' data under keys kept in keyDir,
// apart from the database. A back office that sealed with the single key
// of earlier versions (SealKeyFile) keeps using it, so its rows still open;
// a new one gets a key per purpose.
func SealStore(st *store.DB, keyDir string) error {
	legacy := filepath.Join(keyDir, SealKeyFile)
	if _, err := os.Stat(legacy); err == nil {
		k, err := store.LoadOrCreateSealKey(legacy)
		if err != nil {
			return err
		}
		return st.SealWith(k)
	}
	return st.SealWithKeys(store.KeyDir(filepath.Join(keyDir, StoreKeyDir)))
}

// Keys is the back office's key material, kept in one directory:
// ca.pem and ca-key.pem (the terminal CA), bundle-sm2.pem (the SM2 bundle
// signing key) and lookup-hash.key (the HMAC key for ID numbers kept only
// for lookup).
// PayloadKeyFile (payload-sm2.key) is the back office's SM2 key that
// terminals seal submissions to.
type Keys struct {
	CA         *CA
	Signer     *bundle.Signer
	HashKey    []byte
	PayloadKey *sealed.PrivateKey
}

// PayloadKeyFile is the name, in the key directory, of the SM2 key that
// sealed submissions are encrypted to (internal/sealed), mode 0600.
const PayloadKeyFile = "payload-sm2.key"

// LoadOrCreateKeys reads the key material in dir, creating what is missing.
func LoadOrCreateKeys(dir string) (*Keys, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	ca, err := LoadOrCreateCA(dir)
	if err != nil {
		return nil, err
	}
	bk, err := bundle.LoadOrCreateKey(filepath.Join(dir, "bundle-sm2.pem"))
	if err != nil {
		return nil, err
	}
	hk, err := loadOrCreateSecret(filepath.Join(dir, "lookup-hash.key"))
	if err != nil {
		return nil, err
	}
	pk, err := sealed.LoadOrCreateKey(filepath.Join(dir, PayloadKeyFile))
	if err != nil {
		return nil, err
	}
	return &Keys{CA: ca, Signer: bundle.NewSigner(bk), HashKey: hk, PayloadKey: pk}, nil
}

func loadOrCreateSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		k := make([]byte, 32)
		if _, err := rand.Read(k); err != nil {
			return nil, err
		}
		return k, durable.Create(path, []byte(hex.EncodeToString(k)+"\n"), 0o600)
	}
	if err != nil {
		return nil, err
	}
	k, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(k) < 16 {
		return nil, fmt.Errorf("backoffice: %s must hold at least 16 bytes of hex", path)
	}
	return k, nil
}
