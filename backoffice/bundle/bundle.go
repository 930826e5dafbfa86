package bundle

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
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
const AlgEd25519 = "ed25519"

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
	h := sha256.New()
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
	p := sha256.Sum256(e.Payload)
	h.Write(p[:])
	return h.Sum(nil)
}

// Signer signs bundles with one Ed25519 private key.
type Signer struct {
	key ed25519.PrivateKey
	id  string
}

// NewSigner returns a signer for key.
func NewSigner(key ed25519.PrivateKey) *Signer {
	pub := key.Public().(ed25519.PublicKey)
	return &Signer{key: key, id: KeyID(pub)}
}

// PublicKey returns the key terminals must trust, in text form.
func (s *Signer) PublicKey() PublicKey { return PublicKey(s.key.Public().(ed25519.PublicKey)) }

// Sign returns the encoded envelope of payload as version of kind.
func (s *Signer) Sign(kind Kind, version uint64, createdAt time.Time, payload []byte) ([]byte, error) {
	if kind != KindCatalog && kind != KindConfig {
		return nil, fmt.Errorf("bundle: unknown kind %q", kind)
	}
	if version == 0 {
		return nil, errors.New("bundle: version must be at least 1")
	}
	e := Envelope{Kind: kind, Version: version, CreatedAt: createdAt.UTC(), Alg: AlgEd25519, KeyID: s.id, Payload: payload}
	e.Signature = ed25519.Sign(s.key, digest(e))
	return json.Marshal(e)
}

// KeyID is the short name of a public key: the first 8 bytes of its SHA-256, hex.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return fmt.Sprintf("%x", sum[:8])
}

// PublicKey is an Ed25519 public key with a text form "ed25519:<base64>".
type PublicKey ed25519.PublicKey

// String returns the text form.
func (k PublicKey) String() string {
	return AlgEd25519 + ":" + base64.StdEncoding.EncodeToString(k)
}

// ParsePublicKey reads the text form of a public key.
func ParsePublicKey(s string) (PublicKey, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), AlgEd25519+":")
	if !ok {
		return nil, errors.New("bundle: public key must start with \"ed25519:\"")
	}
	b, err := base64.StdEncoding.DecodeString(rest)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("bundle: public key is not 32 bytes of base64")
	}
	return PublicKey(b), nil
}

// Verifier checks bundles against the keys a terminal trusts.
type Verifier struct {
	keys map[string]ed25519.PublicKey
}

// NewVerifier trusts the given keys (several during a key rotation).
func NewVerifier(keys ...PublicKey) *Verifier {
	v := &Verifier{keys: make(map[string]ed25519.PublicKey, len(keys))}
	for _, k := range keys {
		pub := ed25519.PublicKey(k)
		v.keys[KeyID(pub)] = pub
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
	if e.Alg != AlgEd25519 || e.Version == 0 || (e.Kind != KindCatalog && e.Kind != KindConfig) {
		return Envelope{}, fmt.Errorf("%w: alg %q, kind %q, version %d", ErrMalformed, e.Alg, e.Kind, e.Version)
	}
	pub, ok := v.keys[e.KeyID]
	if !ok {
		return Envelope{}, fmt.Errorf("%w (key %q)", ErrUnknownKey, e.KeyID)
	}
	if len(e.Signature) != ed25519.SignatureSize || !ed25519.Verify(pub, digest(e), e.Signature) {
		return Envelope{}, ErrBadSignature
	}
	return e, nil
}
