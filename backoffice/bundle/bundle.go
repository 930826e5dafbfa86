package bundle

import (
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
)

// Kind is what a bundle carries.
type Kind string

// Bundle kinds.
const (
	KindCatalog Kind = "catalog" // the services catalog (item data)
	KindConfig  Kind = "config"  // the terminal configuration
)

// MaxSize bounds a bundle envelope; anything larger is refused unread.
const MaxSize = 16 << 20

// AlgEd25519 names the signature algorithm of the envelope.
const AlgSM2 = "sm2-sm3"

// AlgEd25519 names the signatures of before SM2; they are refused.
const AlgEd25519 = "ed25519"

// signerUID is the SM2 signer ID bundles are signed under.
var signerUID = []byte("tongban-bundle-v2")

// Envelope is a signed bundle as stored and sent.
type Envelope struct {
	Kind      Kind      `json:"kind"`
	Version   uint64    `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	Alg       string    `json:"alg"`
	KeyID     string    `json:"key_id"`
	Payload   []byte    `json:"payload"`
	Signature []byte    `json:"signature"`
}

// Errors of Verify. Each says what was wrong in plain words.
var (
	ErrMalformed    = errors.New("bundle: not a bundle envelope")
	ErrUnknownKey   = errors.New("bundle: signed by a key this terminal does not trust")
	ErrBadSignature = errors.New("bundle: signature does not match the content")
	ErrWrongKind    = errors.New("bundle: not the kind of bundle asked for")
	ErrNotNewer     = errors.New("bundle: not newer than the installed version")
)

// digest is what is signed: a domain-separated hash of every field but the
// signature itself, so no field can be changed without breaking it.
func digest(e Envelope) []byte {
	h := sm3.New()
	h.Write([]byte("tongban-bundle-v1\x00"))
	for _, s := range []string{string(e.Kind), e.Alg, e.KeyID, e.CreatedAt.UTC().Format(time.RFC3339Nano)} {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	var v [8]byte
	binary.BigEndian.PutUint64(v[:], e.Version)
	h.Write(v[:])
	p := sm3.Sum(e.Payload)
	h.Write(p[:])
	return h.Sum(nil)
}

// Signer signs bundles with an SM2 key (SM3 digest).
type Signer struct {
	key *sm2.PrivateKey
	id  string
}

// NewSigner returns a signer for key.
func NewSigner(key *sm2.PrivateKey) *Signer {
	return &Signer{key: key, id: KeyID(publicKeyOf(&key.PublicKey))}
}

// publicKeyOf is the uncompressed point 04 || X || Y. crypto/ecdsa's own
// encoder (PublicKey.Bytes) knows only the NIST curves, not SM2's, so the
// coordinates are read directly; they are only read, never modified.
func publicKeyOf(pub *ecdsa.PublicKey) PublicKey {
	b := make([]byte, 65)
	b[0] = 4
	//lint:ignore SA1019 SM2 is not a curve PublicKey.Bytes encodes.
	pub.X.FillBytes(b[1:33])
	//lint:ignore SA1019 SM2 is not a curve PublicKey.Bytes encodes.
	pub.Y.FillBytes(b[33:])
	return PublicKey(b)
}

// PublicKey is the key terminals must trust.
func (s *Signer) PublicKey() PublicKey { return publicKeyOf(&s.key.PublicKey) }

// Sign returns the signed envelope of payload as JSON.
func (s *Signer) Sign(kind Kind, version uint64, createdAt time.Time, payload []byte) ([]byte, error) {
	if kind != KindCatalog && kind != KindConfig {
		return nil, fmt.Errorf("bundle: unknown kind %q", kind)
	}
	if version == 0 {
		return nil, errors.New("bundle: version must be at least 1")
	}
	e := Envelope{Kind: kind, Version: version, CreatedAt: createdAt.UTC(), Alg: AlgSM2, KeyID: s.id, Payload: payload}
	sig, err := s.key.SignWithSM2(rand.Reader, signerUID, digest(e))
	if err != nil {
		return nil, err
	}
	e.Signature = sig
	return json.Marshal(e)
}

// KeyID names a public key: the first 8 bytes of its SM3, in hex.
func KeyID(pub PublicKey) string {
	sum := sm3.Sum(pub)
	return fmt.Sprintf("%x", sum[:8])
}

// PublicKey is an SM2 public key (the uncompressed point, 65 bytes) with
// a text form "sm2:<base64>".
type PublicKey []byte

func (k PublicKey) String() string {
	return "sm2:" + base64.StdEncoding.EncodeToString(k)
}

// ParsePublicKey reads the text form. An "ed25519:" key of before SM2 is
// refused: the back office's new key comes with a new enrolment.
func ParsePublicKey(s string) (PublicKey, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), "sm2:")
	if !ok {
		return nil, errors.New("bundle: public key must start with \"sm2:\" (an ed25519 key of before is no longer trusted: enrol again)")
	}
	b, err := base64.StdEncoding.DecodeString(rest)
	if err != nil {
		return nil, errors.New("bundle: public key is not base64")
	}
	if _, err := sm2.NewPublicKey(b); err != nil {
		return nil, errors.New("bundle: public key is not an SM2 point")
	}
	return PublicKey(b), nil
}

type Verifier struct {
	keys map[string]*ecdsa.PublicKey
}

// NewVerifier trusts the given keys (several during a key rotation).
func NewVerifier(keys ...PublicKey) *Verifier {
	v := &Verifier{keys: make(map[string]*ecdsa.PublicKey, len(keys))}
	for _, k := range keys {
		if pub, err := sm2.NewPublicKey(k); err == nil {
			v.keys[KeyID(k)] = pub
		}
	}
	return v
}

// Verify decodes data and returns the envelope if it is a bundle of kind,
// signed by a trusted key, with a version above installed (0: nothing
// installed yet). The errors are the Err* values of this package, wrapped
// with detail.
func (v *Verifier) Verify(data []byte, kind Kind, installed uint64) (Envelope, error) {
	e, err := v.VerifyAny(data)
	if err != nil {
		return Envelope{}, err
	}
	if e.Kind != kind {
		return Envelope{}, fmt.Errorf("%w: got %q, want %q", ErrWrongKind, e.Kind, kind)
	}
	if e.Version <= installed {
		return Envelope{}, fmt.Errorf("%w: offered %d, installed %d", ErrNotNewer, e.Version, installed)
	}
	return e, nil
}

// VerifyAny checks the signature of an envelope of any kind and version;
// terminals use it to re-check the installed bundle when they start.
func (v *Verifier) VerifyAny(data []byte) (Envelope, error) {
	if len(data) > MaxSize {
		return Envelope{}, fmt.Errorf("%w: %d bytes is over the %d limit", ErrMalformed, len(data), MaxSize)
	}
	var e Envelope
	if err := json.Unmarshal(data, &e); err != nil {
		return Envelope{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if e.Alg != AlgSM2 || e.Version == 0 || (e.Kind != KindCatalog && e.Kind != KindConfig) {
		return Envelope{}, fmt.Errorf("%w: alg %q, kind %q, version %d", ErrMalformed, e.Alg, e.Kind, e.Version)
	}
	pub, ok := v.keys[e.KeyID]
	if !ok {
		return Envelope{}, fmt.Errorf("%w (key %q)", ErrUnknownKey, e.KeyID)
	}
	if len(e.Signature) > 80 || !sm2.VerifyASN1WithSM2(pub, signerUID, digest(e), e.Signature) {
		return Envelope{}, ErrBadSignature
	}
	return e, nil
}
