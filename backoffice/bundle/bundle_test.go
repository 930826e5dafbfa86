package bundle

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
)

func testKey(seed byte) *sm2.PrivateKey {
	s := make([]byte, 32)
	for i := range s {
		s[i] = seed
	}
	k, err := sm2.NewPrivateKey(s)
	if err != nil {
		panic(err)
	}
	return k
}

// oldBundle is a bundle as the back office signed them before SM2: an
// Ed25519 signature, alg "ed25519", under the trusted key's ID.
func oldBundle(keyID string) []byte {
	seed := make([]byte, ed25519.SeedSize)
	e := Envelope{Kind: KindCatalog, Version: 9, CreatedAt: created, Alg: AlgEd25519, KeyID: keyID, Payload: []byte(`{"items":[]}`)}
	e.Signature = ed25519.Sign(ed25519.NewKeyFromSeed(seed), digest(e))
	b, _ := json.Marshal(e)
	return b
}

var created = time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)

func TestVerify(t *testing.T) {
	good := NewSigner(testKey(1))
	evil := NewSigner(testKey(2))
	v := NewVerifier(good.PublicKey())
	sign := func(s *Signer, kind Kind, ver uint64) []byte {
		b, err := s.Sign(kind, ver, created, []byte(`{"items":[]}`))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tamper := func(b []byte, f func(*Envelope)) []byte {
		var e Envelope
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatal(err)
		}
		f(&e)
		out, _ := json.Marshal(e)
		return out
	}
	forged := tamper(sign(evil, KindCatalog, 9), func(e *Envelope) { e.KeyID = KeyID(good.PublicKey()) })
	tests := []struct {
		name      string
		data      []byte
		installed uint64
		want      error
	}{
		{"good", sign(good, KindCatalog, 3), 2, nil},
		{"first install", sign(good, KindCatalog, 1), 0, nil},
		{"same version", sign(good, KindCatalog, 3), 3, ErrNotNewer},
		{"older version", sign(good, KindCatalog, 2), 3, ErrNotNewer},
		{"wrong kind", sign(good, KindConfig, 4), 3, ErrWrongKind},
		{"wrong key", sign(evil, KindCatalog, 9), 0, ErrUnknownKey},
		{"wrong key claiming the right id", forged, 0, ErrBadSignature},
		{"payload changed", tamper(sign(good, KindCatalog, 5), func(e *Envelope) { e.Payload = []byte(`{"items":[1]}`) }), 0, ErrBadSignature},
		{"version raised", tamper(sign(good, KindCatalog, 5), func(e *Envelope) { e.Version = 6 }), 0, ErrBadSignature},
		{"time changed", tamper(sign(good, KindCatalog, 5), func(e *Envelope) { e.CreatedAt = e.CreatedAt.Add(time.Second) }), 0, ErrBadSignature},
		{"signature cut", tamper(sign(good, KindCatalog, 5), func(e *Envelope) { e.Signature = e.Signature[:10] }), 0, ErrBadSignature},
		{"not json", []byte("<html>"), 0, ErrMalformed},
		{"an Ed25519 bundle of before", oldBundle(KeyID(good.PublicKey())), 0, ErrMalformed},
		{"zero version", tamper(sign(good, KindCatalog, 5), func(e *Envelope) { e.Version = 0 }), 0, ErrMalformed},
		{"other alg", tamper(sign(good, KindCatalog, 5), func(e *Envelope) { e.Alg = "sm2" }), 0, ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := v.Verify(tc.data, KindCatalog, tc.installed)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Verify: err = %v, want %v", err, tc.want)
			}
			if err == nil && string(e.Payload) != `{"items":[]}` {
				t.Errorf("payload = %q", e.Payload)
			}
		})
	}
}

func TestPublicKeyText(t *testing.T) {
	k := NewSigner(testKey(3)).PublicKey()
	got, err := ParsePublicKey(k.String())
	if err != nil || string(got) != string(k) {
		t.Fatalf("round trip: %v", err)
	}
	for _, bad := range []string{"", "sm2:AAAA", "ed25519:!!", "ed25519:AAAA", "ed25519:" + base64.StdEncoding.EncodeToString(make([]byte, 32)), "sm2:!!"} {
		if _, err := ParsePublicKey(bad); err == nil {
			t.Errorf("ParsePublicKey(%q) accepted", bad)
		}
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bundle.key")
	k1, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !k1.Equal(k2) {
		t.Fatal("second load returned another key")
	}
}

func FuzzVerify(f *testing.F) {
	s := NewSigner(testKey(1))
	good, _ := s.Sign(KindCatalog, 7, created, []byte("payload"))
	f.Add(good, uint64(0))
	f.Add(good, uint64(7))
	f.Add([]byte(`{"kind":"catalog","version":1,"alg":"ed25519"}`), uint64(0))
	f.Add([]byte(`null`), uint64(0))
	f.Add([]byte(`{"payload":"!!"}`), uint64(1))
	v := NewVerifier(s.PublicKey())
	f.Fuzz(func(t *testing.T, data []byte, installed uint64) {
		e, err := v.Verify(data, KindCatalog, installed)
		if err != nil {
			return
		}
		if e.Kind != KindCatalog || e.Version <= installed {
			t.Fatalf("accepted kind %q version %d over installed %d", e.Kind, e.Version, installed)
		}
		// Anything accepted must be exactly what the signer signed.
		again, err := s.Sign(e.Kind, e.Version, e.CreatedAt, e.Payload)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.Verify(again, KindCatalog, installed); err != nil {
			t.Fatalf("re-signed copy refused: %v", err)
		}
	})
}
