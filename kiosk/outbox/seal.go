package outbox

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/emmansun/gmsm/sm4"
)

// Sealed layouts:
//
//	wrapped data key, v1: 0x01 | nonce (12) | SM4-GCM(terminal key, data key) (16+16)
//	wrapped data key, v2: 0x02 | epoch (4, BE) | nonce (12) | SM4-GCM(epoch key, data key) (16+16)
//	sealed body:          0x01 | nonce (12) | SM4-GCM(data key, JSON submission) (n+16)
//
// The additional data binds each to its record ID (and a v2 key to its
// epoch), so a body or key copied onto another record does not open. v1
// keys are wrapped under the single terminal key (Options.Key); v2 under
// the key of an epoch (Options.Epochs), which is shredded once nothing
// under it is waiting.
const (
	sealVersion   = 1
	epochVersion  = 2
	nonceSize     = 12
	tagSize       = 16
	wrappedSize   = 1 + nonceSize + KeySize + tagSize
	wrappedSizeV2 = 1 + 4 + nonceSize + KeySize + tagSize
	minBodySize   = 1 + nonceSize + tagSize
)

var errUnreadable = errors.New("record does not open with this terminal key")

// EpochKeys is where the queue's keys by epoch live, apart from the
// database (kiosk/keystore.Dir). Current begins a new epoch when the
// current one is old enough; Shred destroys an epoch's key for good.
type EpochKeys interface {
	Current() (epoch uint32, key []byte, err error)
	Key(epoch uint32) ([]byte, error)
	Epochs() ([]uint32, error)
	Shred(epoch uint32) error
}

// keyring wraps and unwraps data keys: under the epoch keys when there are
// any, under the single terminal key otherwise (and for records written
// before epochs were turned on).
type keyring struct {
	legacy []byte
	epochs EpochKeys
}

func (q *Outbox) keys() keyring { return keyring{legacy: q.opts.Key, epochs: q.opts.Epochs} }

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

func epochPurpose(epoch uint32) string { return fmt.Sprintf("key-epoch-%d", epoch) }

func seal(key []byte, purpose, id string, plain []byte) ([]byte, error) {
	return sealHeader(key, []byte{sealVersion}, purpose, id, plain)
}

// sealHeader seals plain after header (the version byte and any fields
// that go with it) and a fresh nonce.
func sealHeader(key, header []byte, purpose, id string, plain []byte) ([]byte, error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	h := len(header)
	out := make([]byte, h+nonceSize, h+nonceSize+len(plain)+tagSize)
	copy(out, header)
	if _, err := rand.Read(out[h : h+nonceSize]); err != nil {
		return nil, err
	}
	return aead.Seal(out, out[h:h+nonceSize], plain, aad(purpose, id)), nil
}

func open(key []byte, purpose, id string, sealed []byte) ([]byte, error) {
	if len(sealed) < minBodySize {
		return nil, fmt.Errorf("%w: %d bytes is too short", errUnreadable, len(sealed))
	}
	if sealed[0] != sealVersion {
		return nil, fmt.Errorf("%w: unknown format version %d", errUnreadable, sealed[0])
	}
	return openHeader(key, 1, purpose, id, sealed)
}

func openHeader(key []byte, h int, purpose, id string, sealed []byte) ([]byte, error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	plain, err := aead.Open(nil, sealed[h:h+nonceSize], sealed[h+nonceSize:], aad(purpose, id))
	if err != nil {
		return nil, errUnreadable
	}
	return plain, nil
}

// newDataKey returns a fresh random data key and its wrapping.
func (k keyring) newDataKey(id string) (dek, wrapped []byte, err error) {
	dek = make([]byte, KeySize)
	if _, err := rand.Read(dek); err != nil {
		return nil, nil, err
	}
	if k.epochs == nil {
		wrapped, err = seal(k.legacy, "key", id, dek)
		return dek, wrapped, err
	}
	epoch, key, err := k.epochs.Current()
	if err != nil {
		return nil, nil, fmt.Errorf("outbox: no queue key for this epoch: %w", err)
	}
	defer wipe(key)
	header := []byte{epochVersion, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(header[1:], epoch)
	wrapped, err = sealHeader(key, header, epochPurpose(epoch), id, dek)
	return dek, wrapped, err
}

// epochOf returns the epoch a wrapped key was sealed under, if any.
func epochOf(wrapped []byte) (uint32, bool) {
	if len(wrapped) != wrappedSizeV2 || wrapped[0] != epochVersion {
		return 0, false
	}
	return binary.BigEndian.Uint32(wrapped[1:5]), true
}

func (k keyring) unwrap(id string, wrapped []byte) ([]byte, error) {
	if epoch, ok := epochOf(wrapped); ok {
		if k.epochs == nil {
			return nil, fmt.Errorf("%w: its key is of epoch %d and no epoch keys are configured", errUnreadable, epoch)
		}
		key, err := k.epochs.Key(epoch)
		if err != nil {
			return nil, fmt.Errorf("%w: epoch %d: %v", errUnreadable, epoch, err)
		}
		defer wipe(key)
		return openHeader(key, 5, epochPurpose(epoch), id, wrapped)
	}
	if len(wrapped) != wrappedSize {
		return nil, fmt.Errorf("%w: wrapped key is %d bytes", errUnreadable, len(wrapped))
	}
	if len(k.legacy) != KeySize {
		return nil, fmt.Errorf("%w: it was sealed under the single terminal key, which is not configured", errUnreadable)
	}
	return open(k.legacy, "key", id, wrapped)
}

func wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
}
