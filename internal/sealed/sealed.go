package sealed

import (
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"

	"github.com/tongban/tongban/internal/durable"
)

// Limits of an envelope.
const (
	MaxCiphertext = 4 << 20 // a payload with its signature image fits well inside
	maxSignature  = 128     // an ASN.1 SM2 signature is at most 72 bytes
	magic         = "TBS1"
	headerLen     = len(magic) + 32 + 4
)

// Errors Open and Parse return; each says in plain words what is wrong.
var (
	ErrMalformed    = errors.New("sealed: the envelope is malformed")
	ErrWrongKey     = errors.New("sealed: the envelope is addressed to another key than this back office's")
	ErrBadSignature = errors.New("sealed: the envelope's signature does not verify for this terminal and submission")
	ErrDecrypt      = errors.New("sealed: the envelope's ciphertext does not decrypt")
)

// Envelope is a parsed envelope.
type Envelope struct {
	KeyID      [32]byte // SM3 of the recipient's public key
	Ciphertext []byte
	Signature  []byte
}

// KeyID is the SM3 digest of pub's uncompressed point.
func KeyID(pub *ecdsa.PublicKey) ([32]byte, error) {
	b, err := pointBytes(pub)
	if err != nil {
		return [32]byte{}, err
	}
	return sm3.Sum(b), nil
}

func pointBytes(pub *ecdsa.PublicKey) ([]byte, error) {
	if pub == nil || !sm2.IsSM2PublicKey(pub) {
		return nil, errors.New("sealed: not an SM2 public key")
	}
	k, err := sm2.PublicKeyToECDH(pub)
	if err != nil {
		return nil, err
	}
	return k.Bytes(), nil
}

// Parse reads an envelope's bytes.
func Parse(b []byte) (*Envelope, error) {
	if len(b) < headerLen || string(b[:4]) != magic {
		return nil, fmt.Errorf("%w: it does not start with %q and a header", ErrMalformed, magic)
	}
	var e Envelope
	copy(e.KeyID[:], b[4:36])
	n := binary.BigEndian.Uint32(b[36:40])
	rest := b[headerLen:]
	if n == 0 || n > MaxCiphertext || uint64(n) > uint64(len(rest)) {
		return nil, fmt.Errorf("%w: the ciphertext length %d does not fit", ErrMalformed, n)
	}
	e.Ciphertext, rest = rest[:n], rest[n:]
	if len(rest) < 2 {
		return nil, fmt.Errorf("%w: the signature is missing", ErrMalformed)
	}
	m := int(binary.BigEndian.Uint16(rest[:2]))
	rest = rest[2:]
	if m == 0 || m > maxSignature || m > len(rest) {
		return nil, fmt.Errorf("%w: the signature length %d does not fit", ErrMalformed, m)
	}
	e.Signature, rest = rest[:m], rest[m:]
	if len(rest) != 0 {
		return nil, fmt.Errorf("%w: %d bytes follow the signature", ErrMalformed, len(rest))
	}
	return &e, nil
}

// Marshal writes the envelope's bytes.
func (e *Envelope) Marshal() []byte {
	out := make([]byte, 0, headerLen+len(e.Ciphertext)+2+len(e.Signature))
	out = append(out, magic...)
	out = append(out, e.KeyID[:]...)
	out = binary.BigEndian.AppendUint32(out, uint32(len(e.Ciphertext)))
	out = append(out, e.Ciphertext...)
	out = binary.BigEndian.AppendUint16(out, uint16(len(e.Signature)))
	return append(out, e.Signature...)
}

// signed is what the terminal's signature covers.
func signed(terminal, clientID string, keyID [32]byte, ct []byte) []byte {
	var b []byte
	b = append(b, "tongban sealed submission v1"...)
	for _, f := range [][]byte{[]byte(terminal), []byte(clientID), keyID[:], ct} {
		b = binary.BigEndian.AppendUint32(b, uint32(len(f)))
		b = append(b, f...)
	}
	return b
}

// Seal encrypts plaintext to recipient and signs it with signer on behalf
// of terminal, for the submission clientID. random nil: crypto/rand.
func Seal(random io.Reader, recipient *ecdsa.PublicKey, signer *sm2.PrivateKey, terminal, clientID string, plaintext []byte) ([]byte, error) {
	if random == nil {
		random = rand.Reader
	}
	kid, err := KeyID(recipient)
	if err != nil {
		return nil, err
	}
	ct, err := sm2.EncryptASN1(random, recipient, plaintext)
	if err != nil {
		return nil, fmt.Errorf("sealed: encrypt: %w", err)
	}
	if len(ct) > MaxCiphertext {
		return nil, fmt.Errorf("sealed: the payload is too large to seal (%d bytes)", len(plaintext))
	}
	sig, err := signer.SignWithSM2(random, nil, signed(terminal, clientID, kid, ct))
	if err != nil {
		return nil, fmt.Errorf("sealed: sign: %w", err)
	}
	e := Envelope{KeyID: kid, Ciphertext: ct, Signature: sig}
	return e.Marshal(), nil
}

// Open parses b, checks it is addressed to recipient, verifies the
// terminal's signature with sender for terminal and clientID, and only then
// decrypts.
func Open(b []byte, recipient *sm2.PrivateKey, sender *ecdsa.PublicKey, terminal, clientID string) ([]byte, error) {
	e, err := Parse(b)
	if err != nil {
		return nil, err
	}
	kid, err := KeyID(&recipient.PublicKey)
	if err != nil {
		return nil, err
	}
	if e.KeyID != kid {
		return nil, ErrWrongKey
	}
	if sender == nil || !sm2.IsSM2PublicKey(sender) {
		return nil, fmt.Errorf("%w: no SM2 key is known for the terminal", ErrBadSignature)
	}
	if !sm2.VerifyASN1WithSM2(sender, nil, signed(terminal, clientID, e.KeyID, e.Ciphertext), e.Signature) {
		return nil, ErrBadSignature
	}
	pt, err := sm2.Decrypt(recipient, e.Ciphertext)
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

// Text forms of keys: "sm2:" and the hex of the uncompressed point for a
// public key; "sm2-private:" and the hex of the scalar for a private key.
const (
	publicPrefix  = "sm2:"
	privatePrefix = "sm2-private:"
)

// FormatPublicKey is pub's text form.
func FormatPublicKey(pub *ecdsa.PublicKey) (string, error) {
	b, err := pointBytes(pub)
	if err != nil {
		return "", err
	}
	return publicPrefix + hex.EncodeToString(b), nil
}

// ParsePublicKey reads FormatPublicKey's text form.
func ParsePublicKey(s string) (*ecdsa.PublicKey, error) {
	h, ok := strings.CutPrefix(strings.TrimSpace(s), publicPrefix)
	if !ok {
		return nil, fmt.Errorf("sealed: a public key is written %q followed by hex", publicPrefix)
	}
	b, err := hex.DecodeString(h)
	if err != nil {
		return nil, fmt.Errorf("sealed: the public key is not hex: %w", err)
	}
	pub, err := sm2.NewPublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("sealed: the public key is not a point on the SM2 curve: %w", err)
	}
	return pub, nil
}

func formatPrivateKey(k *sm2.PrivateKey) (string, error) {
	e, err := k.ECDH()
	if err != nil {
		return "", err
	}
	return privatePrefix + hex.EncodeToString(e.Bytes()), nil
}

func parsePrivateKey(s string) (*sm2.PrivateKey, error) {
	h, ok := strings.CutPrefix(strings.TrimSpace(s), privatePrefix)
	if !ok {
		return nil, fmt.Errorf("sealed: a private key is written %q followed by hex", privatePrefix)
	}
	b, err := hex.DecodeString(h)
	if err != nil {
		return nil, fmt.Errorf("sealed: the private key is not hex: %w", err)
	}
	return sm2.NewPrivateKey(b)
}

// ParsePrivateKey reads an SM2 private key as LoadOrCreateKey writes it
// (for a caller that keeps the file sealed and opens it itself).
func ParsePrivateKey(text []byte) (*sm2.PrivateKey, error) { return parsePrivateKey(string(text)) }

// LoadOrCreateKey reads the SM2 private key at path, or creates one there
// (mode 0600, never replacing a file that appeared meanwhile).
func LoadOrCreateKey(path string) (*sm2.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		k, err := sm2.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		s, err := formatPrivateKey(k)
		if err != nil {
			return nil, err
		}
		if err := durable.Create(path, []byte(s+"\n"), 0o600); err != nil {
			return nil, err
		}
		return k, nil
	}
	if err != nil {
		return nil, err
	}
	k, err := parsePrivateKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// PrivateKey is an SM2 private key, named here so that callers need not
// import gmsm themselves.
type PrivateKey = sm2.PrivateKey
