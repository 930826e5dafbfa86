package keystore

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/emmansun/gmsm/sm4"
)

// SealedPEMType is the PEM block type of a secret sealed by Envelope.SealPEM.
const SealedPEMType = "TONGBAN SEALED SECRET"

// Envelope seals secrets of any size with a Sealer: a TPM seals at most
// 128 bytes, and a private key in PEM is more. Each secret gets a fresh
// 16-byte key, sealed by the Sealer, under which the secret is encrypted
// with SM4-GCM:
//
//	"TSE1" | u16 length of the sealed key | sealed key | nonce (12) | SM4-GCM(secret) (n+16)
//
// Only the TPM that sealed the key opens the secret.
type Envelope struct {
	Sealer Sealer
}

var envelopeMagic = []byte("TSE1")

const envelopeAAD = "tongban/keystore/envelope/v1"

// Seal seals secret.
func (e Envelope) Seal(secret []byte) ([]byte, error) {
	if e.Sealer == nil {
		return nil, errors.New("keystore: no sealer (TPM) to seal with")
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	defer clear(key)
	sealedKey, err := e.Sealer.Seal(key)
	if err != nil {
		return nil, fmt.Errorf("keystore: sealing a secret's key: %w", err)
	}
	if len(sealedKey) > 0xffff {
		return nil, errors.New("keystore: the sealed key is too long")
	}
	aead, err := envelopeGCM(key)
	if err != nil {
		return nil, err
	}
	out := append([]byte{}, envelopeMagic...)
	out = binary.BigEndian.AppendUint16(out, uint16(len(sealedKey)))
	out = append(out, sealedKey...)
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out = append(out, nonce...)
	return aead.Seal(out, nonce, secret, []byte(envelopeAAD)), nil
}

// Open returns the secret sealed in blob; it fails on any other TPM, and
// on a blob damaged anywhere.
func (e Envelope) Open(blob []byte) ([]byte, error) {
	sealedKey, rest, err := splitEnvelope(blob)
	if err != nil {
		return nil, err
	}
	if e.Sealer == nil {
		return nil, errors.New("keystore: this secret is sealed by a TPM, and no TPM is configured (queue.tpm)")
	}
	key, err := e.Sealer.Unseal(sealedKey)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	aead, err := envelopeGCM(key)
	if err != nil {
		return nil, err
	}
	if len(rest) < aead.NonceSize()+aead.Overhead() {
		return nil, errors.New("keystore: sealed secret cut short")
	}
	n := aead.NonceSize()
	plain, err := aead.Open(nil, rest[:n], rest[n:], []byte(envelopeAAD))
	if err != nil {
		return nil, errors.New("keystore: the sealed secret is damaged")
	}
	return plain, nil
}

// splitEnvelope parses a blob's framing: the parser of outside bytes here.
func splitEnvelope(blob []byte) (sealedKey, rest []byte, err error) {
	if len(blob) < len(envelopeMagic)+2 || string(blob[:len(envelopeMagic)]) != string(envelopeMagic) {
		return nil, nil, errors.New("keystore: not a sealed secret")
	}
	blob = blob[len(envelopeMagic):]
	n := int(binary.BigEndian.Uint16(blob))
	blob = blob[2:]
	if n == 0 || len(blob) < n {
		return nil, nil, errors.New("keystore: sealed secret cut short")
	}
	return blob[:n], blob[n:], nil
}

func envelopeGCM(key []byte) (cipher.AEAD, error) {
	block, err := sm4.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// SealPEM seals secret and returns it as a PEM block of SealedPEMType, to
// write where the secret's own file was (the TLS client key).
func (e Envelope) SealPEM(secret []byte) ([]byte, error) {
	blob, err := e.Seal(secret)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: SealedPEMType, Bytes: blob}), nil
}

// OpenPEM opens what SealPEM wrote. sealed is false, and stored comes
// back as it is, for a file that is not sealed (written before the TPM
// was turned on): the caller seals it then.
func (e Envelope) OpenPEM(stored []byte) (secret []byte, sealed bool, err error) {
	blk, _ := pem.Decode(stored)
	if blk == nil || blk.Type != SealedPEMType {
		return stored, false, nil
	}
	secret, err = e.Open(blk.Bytes)
	return secret, true, err
}
