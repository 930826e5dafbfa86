package uplink

import (
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/tongban/tongban/internal/durable"
	"github.com/tongban/tongban/internal/sealed"
)

// KeySealer keeps the terminal's private keys (TLS and SM2) sealed at
// rest, by the terminal's TPM (kiosk/keystore.Envelope): a copy of the
// disk then holds no key that would let a thief act as the terminal.
// SealPEM returns what to write instead of a key; OpenPEM gives the key
// back, with sealed false for a file written in clear (before the TPM
// was turned on), which LoadIdentityWith then seals. Nil: keys are
// written in clear, mode 0600, as before.
type KeySealer interface {
	SealPEM(secret []byte) ([]byte, error)
	OpenPEM(stored []byte) (secret []byte, sealed bool, err error)
}

// errSealedNoTPM: a key file is sealed and no sealer is configured.
var errSealedNoTPM = errors.New("it is sealed by the terminal's TPM, and no TPM is configured (queue.tpm): on another machine, or with the TPM turned off, the terminal's keys do not open")

// storeKey returns what to write for a private key.
func storeKey(keys KeySealer, secret []byte) ([]byte, error) {
	if keys == nil {
		return secret, nil
	}
	return keys.SealPEM(secret)
}

// openKey returns the private key held in stored (a file's bytes), and
// whether it was sealed.
func openKey(keys KeySealer, stored []byte) ([]byte, bool, error) {
	if keys == nil {
		if blk, _ := pem.Decode(stored); blk != nil && !strings.HasSuffix(blk.Type, "PRIVATE KEY") {
			return nil, true, errSealedNoTPM
		}
		return stored, false, nil
	}
	return keys.OpenPEM(stored)
}

// readKeyFile reads the private key at path, finishing a sealing a power
// cut stopped, and seals a key found in clear when keys is set.
func readKeyFile(path string, keys KeySealer) ([]byte, error) {
	if err := durable.TidySecret(path); err != nil {
		return nil, err
	}
	stored, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	secret, wasSealed, err := openKey(keys, stored)
	if err != nil {
		return nil, fmt.Errorf("uplink: the key in %s does not open: %w", path, err)
	}
	if keys != nil && !wasSealed {
		if err := sealKeyFile(path, keys, secret); err != nil {
			return nil, err
		}
	}
	return secret, nil
}

// sealKeyFile replaces the clear key at path by its sealed form, zeroing
// the clear bytes.
func sealKeyFile(path string, keys KeySealer, secret []byte) error {
	s, err := keys.SealPEM(secret)
	if err != nil {
		return fmt.Errorf("uplink: sealing %s: %w", path, err)
	}
	return durable.ReplaceSecret(path, s, 0o600, nil)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// loadPayloadKey reads the terminal's SM2 key (creating it if missing),
// sealed like the TLS key when keys is set.
func loadPayloadKey(path string, keys KeySealer) (*sealed.PrivateKey, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if _, err := sealed.LoadOrCreateKey(path); err != nil {
			return nil, err
		}
	}
	secret, err := readKeyFile(path, keys)
	if err != nil {
		return nil, err
	}
	k, err := sealed.ParsePrivateKey(secret)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}
