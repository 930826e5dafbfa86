package outbox

import (
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/emmansun/gmsm/sm4"
)

// Sealed layouts, both version 1:
//
//	wrapped data key: 0x01 | nonce (12) | SM4-GCM(terminal key, data key) (16+16)
//	sealed body:      0x01 | nonce (12) | SM4-GCM(data key, JSON submission) (n+16)
//
// The additional data binds each to its record ID, so a body or key copied
// onto another record does not open.
const (
	sealVersion = 1
	nonceSize   = 12
	tagSize     = 16
	wrappedSize = 1 + nonceSize + KeySize + tagSize
	minBodySize = 1 + nonceSize + tagSize
)

var errUnreadable = errors.New("record does not open with this terminal key")

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := sm4.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func aad(purpose, id string) []byte {
	return []byte("tongban/outbox/" + purpose + "/v1|" + id)
}

func seal(key []byte, purpose, id string, plain []byte) ([]byte, error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+nonceSize, 1+nonceSize+len(plain)+tagSize)
	out[0] = sealVersion
	if _, err := rand.Read(out[1 : 1+nonceSize]); err != nil {
		return nil, err
	}
	return aead.Seal(out, out[1:1+nonceSize], plain, aad(purpose, id)), nil
}

func open(key []byte, purpose, id string, sealed []byte) ([]byte, error) {
	if len(sealed) < minBodySize {
		return nil, fmt.Errorf("%w: %d bytes is too short", errUnreadable, len(sealed))
	}
	if sealed[0] != sealVersion {
		return nil, fmt.Errorf("%w: unknown format version %d", errUnreadable, sealed[0])
	}
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	plain, err := aead.Open(nil, sealed[1:1+nonceSize], sealed[1+nonceSize:], aad(purpose, id))
	if err != nil {
		return nil, errUnreadable
	}
	return plain, nil
}

// newDataKey returns a fresh random data key and its wrapping under the
// terminal key.
func newDataKey(terminalKey []byte, id string) (dek, wrapped []byte, err error) {
	dek = make([]byte, KeySize)
	if _, err := rand.Read(dek); err != nil {
		return nil, nil, err
	}
	wrapped, err = seal(terminalKey, "key", id, dek)
	return dek, wrapped, err
}

func unwrapDataKey(terminalKey []byte, id string, wrapped []byte) ([]byte, error) {
	if len(wrapped) != wrappedSize {
		return nil, fmt.Errorf("%w: wrapped key is %d bytes", errUnreadable, len(wrapped))
	}
	return open(terminalKey, "key", id, wrapped)
}

func wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
}
