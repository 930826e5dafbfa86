package ssmtoken

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
)

// Kinds of code.
const (
	KindSuishenma = "suishenma"
	KindECert     = "ecert"
)

// Prefixes the kinds are printed with in the QR code.
const (
	PrefixSuishenma = "SSM:"
	PrefixECert     = "ECERT:"
)

// MaxLen bounds a token's text; a longer one is refused before decoding.
const MaxLen = 2048

const version = "1"

// uid is the SM2 signer ID the tokens are signed under.
var uid = []byte("tongban-ssm-v1")

// Claims are what a token says about its holder.
type Claims struct {
	Kind    string `json:"k"`
	Name    string `json:"n"`
	IDNo    string `json:"id"`
	Nonce   string `json:"nonce"` // 16 random bytes in hex: the token is good once
	Expires int64  `json:"exp"`   // Unix seconds
}

// Token is a parsed, not yet verified, token.
type Token struct {
	Claims
	signed []byte // the bytes the signature covers
	sig    []byte
}

// Errors of Parse and Verify, in plain words.
var (
	ErrMalformed = errors.New("ssmtoken: the code is not a signed Suishenma or e-certificate token")
	ErrSignature = errors.New("ssmtoken: the code's signature does not verify")
	ErrExpired   = errors.New("ssmtoken: the code has expired; refresh it on the phone")
)

// Parse reads a token from a scanned code's text. It checks the shape
// only; Verify checks the signature and the expiry.
func Parse(text string) (Token, error) {
	if len(text) > MaxLen {
		return Token{}, fmt.Errorf("%w (over %d bytes)", ErrMalformed, MaxLen)
	}
	var kind, rest string
	switch {
	case strings.HasPrefix(text, PrefixSuishenma):
		kind, rest = KindSuishenma, text[len(PrefixSuishenma):]
	case strings.HasPrefix(text, PrefixECert):
		kind, rest = KindECert, text[len(PrefixECert):]
	default:
		return Token{}, fmt.Errorf("%w (unknown prefix)", ErrMalformed)
	}
	parts := strings.Split(rest, ".")
	if len(parts) != 3 || parts[0] != version {
		return Token{}, fmt.Errorf("%w (not version %s with claims and signature)", ErrMalformed, version)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return Token{}, fmt.Errorf("%w (claims are not base64url)", ErrMalformed)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) == 0 || len(sig) > 80 {
		return Token{}, fmt.Errorf("%w (signature is not base64url of an SM2 signature)", ErrMalformed)
	}
	var c Claims
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil || dec.More() {
		return Token{}, fmt.Errorf("%w (claims are not the expected JSON)", ErrMalformed)
	}
	switch {
	case c.Kind != kind:
		return Token{}, fmt.Errorf("%w (claims are for another kind of code)", ErrMalformed)
	case c.Name == "" || len(c.Name) > 128 || !utf8.ValidString(c.Name):
		return Token{}, fmt.Errorf("%w (name missing or too long)", ErrMalformed)
	case len(c.IDNo) != 18:
		return Token{}, fmt.Errorf("%w (ID number is not 18 characters)", ErrMalformed)
	case len(c.Nonce) != 32 || !isHex(c.Nonce):
		return Token{}, fmt.Errorf("%w (nonce is not 16 bytes of hex)", ErrMalformed)
	case c.Expires <= 0:
		return Token{}, fmt.Errorf("%w (no expiry)", ErrMalformed)
	}
	return Token{Claims: c, signed: []byte(text[:len(text)-len(parts[2])-1]), sig: sig}, nil
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

// Verify checks the token's SM2 signature under the issuer's key and that
// it has not expired at now. Whether its nonce was used before is the
// verifier's business (it keeps the used ones).
func (t Token) Verify(issuer *ecdsa.PublicKey, now time.Time) error {
	if issuer == nil || !sm2.VerifyASN1WithSM2(issuer, uid, t.signed, t.sig) {
		return ErrSignature
	}
	if !now.Before(time.Unix(t.Expires, 0)) {
		return ErrExpired
	}
	return nil
}

// ExpiresAt is when the token stops being good.
func (t Token) ExpiresAt() time.Time { return time.Unix(t.Expires, 0) }

// Sign makes a token of c under the issuer's key; an empty nonce gets a
// random one. The simulators and the tests are the callers: the real
// platform signs its own.
func Sign(issuer *sm2.PrivateKey, c Claims, random io.Reader) (string, error) {
	if random == nil {
		random = rand.Reader
	}
	if c.Nonce == "" {
		n := make([]byte, 16)
		if _, err := io.ReadFull(random, n); err != nil {
			return "", err
		}
		c.Nonce = hex.EncodeToString(n)
	}
	prefix := PrefixSuishenma
	if c.Kind == KindECert {
		prefix = PrefixECert
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	signed := prefix + version + "." + base64.RawURLEncoding.EncodeToString(payload)
	sig, err := issuer.SignWithSM2(random, uid, []byte(signed))
	if err != nil {
		return "", err
	}
	return signed + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// devSeed derives the development issuer key. It is public, in this
// source: only simulators and a back office started for development
// (make run) use it.
const devSeed = "tongban development Suishenma issuer: never trusted outside make run"

// DevIssuer is the development issuer's key pair, the same in every
// process, so the simulated phone and a development back office agree.
func DevIssuer() *sm2.PrivateKey {
	for i := byte(0); ; i++ {
		d := sm3.Sum(append([]byte(devSeed), i))
		if k, err := sm2.NewPrivateKey(d[:]); err == nil {
			return k
		}
	}
}
