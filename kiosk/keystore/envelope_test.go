package keystore

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"testing"
)

// xorSealer is a stand-in TPM for the envelope's own tests: it "seals"
// by XOR with a machine secret and a checksum, so another secret (another
// machine) refuses the blob. The real TPM is tested on swtpm.
type xorSealer struct{ secret byte }

func (x xorSealer) Seal(key []byte) ([]byte, error) {
	out := make([]byte, len(key))
	for i, b := range key {
		out[i] = b ^ x.secret
	}
	sum := sha256.Sum256(append([]byte{x.secret}, key...))
	return append(out, sum[:4]...), nil
}

func (x xorSealer) Unseal(blob []byte) ([]byte, error) {
	if len(blob) < 4 {
		return nil, errors.New("short")
	}
	key := make([]byte, len(blob)-4)
	for i, b := range blob[:len(key)] {
		key[i] = b ^ x.secret
	}
	sum := sha256.Sum256(append([]byte{x.secret}, key...))
	if !bytes.Equal(sum[:4], blob[len(key):]) {
		return nil, errors.New("not sealed here")
	}
	return key, nil
}

// TestEnvelopeSequence: a secret longer than a TPM seals goes in and out
// again; another machine, no sealer, and every damage are refused; a file
// not sealed comes back as it is, marked so.
func TestEnvelopeSequence(t *testing.T) {
	secret := bytes.Repeat([]byte("-----PRIVATE KEY----- "), 20) // > 128 bytes
	env := Envelope{Sealer: xorSealer{7}}
	stored, err := env.SealPEM(secret)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(stored, secret[:22]) {
		t.Fatal("the sealed file holds the secret in clear")
	}
	got, sealed, err := env.OpenPEM(stored)
	if err != nil || !sealed || !bytes.Equal(got, secret) {
		t.Fatalf("OpenPEM: sealed=%v %v", sealed, err)
	}
	if _, _, err := (Envelope{Sealer: xorSealer{8}}).OpenPEM(stored); err == nil {
		t.Error("another machine opened the secret")
	}
	if _, _, err := (Envelope{}).OpenPEM(stored); err == nil {
		t.Error("no sealer opened the secret")
	}
	blob, _ := env.Seal(secret)
	for i := range blob {
		bad := bytes.Clone(blob)
		bad[i] ^= 0x01
		if _, err := env.Open(bad); err == nil {
			t.Fatalf("a blob damaged at byte %d opened", i)
		}
	}
	for n := range len(blob) {
		if _, err := env.Open(blob[:n]); err == nil {
			t.Fatalf("a blob cut to %d bytes opened", n)
		}
	}
	plain := []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
	if got, sealed, err := env.OpenPEM(plain); err != nil || sealed || !bytes.Equal(got, plain) {
		t.Errorf("a clear key: sealed=%v %v", sealed, err)
	}
	if _, err := (Envelope{}).Seal(secret); err == nil {
		t.Error("sealed without a sealer")
	}
}

// FuzzEnvelopeOpen: whatever bytes a sealed file holds, Open returns an
// error or the one secret ever sealed, never panics (anything else opening
// would be a forgery).
func FuzzEnvelopeOpen(f *testing.F) {
	env := Envelope{Sealer: xorSealer{7}}
	good, _ := env.Seal([]byte("secret"))
	f.Add(good)
	f.Add([]byte("TSE1"))
	f.Add([]byte("TSE1\x00\x01x"))
	f.Add([]byte("TSE1\xff\xff"))
	f.Fuzz(func(t *testing.T, blob []byte) {
		got, err := env.Open(blob)
		if err == nil && string(got) != "secret" {
			t.Fatalf("opened %q from a blob it did not seal", got)
		}
	})
}
