package ssmtoken

import (
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
)

var t0 = time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)

// testClaims are a synthetic resident's (valid check digit, a clearly fake name).
func testClaims() Claims {
	return Claims{Kind: KindSuishenma, Name: "测试甲", IDNo: "11010519491231002X", Expires: t0.Add(time.Minute).Unix()}
}

func TestSignParseVerify(t *testing.T) {
	iss := DevIssuer()
	other, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	good, err := Sign(iss, testClaims(), nil)
	if err != nil {
		t.Fatal(err)
	}
	expired := testClaims()
	expired.Expires = t0.Add(-time.Second).Unix()
	old, _ := Sign(iss, expired, nil)
	foreign, _ := Sign(other, testClaims(), nil)
	// The claims changed after signing: the name replaced.
	parts := strings.Split(good, ".")
	forgedClaims, _ := Sign(other, Claims{Kind: KindSuishenma, Name: "测试乙", IDNo: "11010519491231002X", Nonce: strings.Repeat("ab", 16), Expires: testClaims().Expires}, nil)
	swapped := strings.Join([]string{parts[0], strings.Split(forgedClaims, ".")[1], parts[2]}, ".")
	cases := []struct {
		name      string
		text      string
		parseErr  error
		verifyErr error
	}{
		{"good", good, nil, nil},
		{"SSM: plus anything", "SSM:9f8e7d6c5b4a39281706", ErrMalformed, nil},
		{"empty after prefix", "SSM:", ErrMalformed, nil},
		{"expired", old, nil, ErrExpired},
		{"another issuer's key", foreign, nil, ErrSignature},
		{"claims swapped under a good signature", swapped, nil, ErrSignature},
		{"ecert prefix on suishenma claims", "ECERT:" + strings.TrimPrefix(good, "SSM:"), ErrMalformed, nil},
		{"too long", "SSM:1." + strings.Repeat("A", MaxLen), ErrMalformed, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok, err := Parse(c.text)
			if !errors.Is(err, c.parseErr) {
				t.Fatalf("Parse: %v, want %v", err, c.parseErr)
			}
			if err != nil {
				return
			}
			if err := tok.Verify(&iss.PublicKey, t0); !errors.Is(err, c.verifyErr) {
				t.Fatalf("Verify: %v, want %v", err, c.verifyErr)
			}
		})
	}
}

func TestSignGivesFreshNonces(t *testing.T) {
	a, _ := Sign(DevIssuer(), testClaims(), nil)
	b, _ := Sign(DevIssuer(), testClaims(), nil)
	ta, _ := Parse(a)
	tb, _ := Parse(b)
	if ta.Nonce == tb.Nonce || len(ta.Nonce) != 32 {
		t.Fatalf("nonces %q and %q: want two different 16-byte nonces", ta.Nonce, tb.Nonce)
	}
}

func FuzzParse(f *testing.F) {
	good, _ := Sign(DevIssuer(), testClaims(), nil)
	for _, s := range []string{good, "SSM:", "SSM:1..", "ECERT:1.e30.AA", "SSM:9f8e7d6c5b4a39281706"} {
		f.Add(s)
	}
	iss := &DevIssuer().PublicKey
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("Parse error %v is not ErrMalformed", err)
			}
			return
		}
		if len(tok.IDNo) != 18 || tok.Name == "" || len(tok.Nonce) != 32 {
			t.Fatalf("Parse accepted incomplete claims %+v", tok.Claims)
		}
		// What verifies is exactly what was signed: the text before the
		// signature re-parses to the same claims under the same prefix.
		if tok.Verify(iss, t0) == nil {
			if !strings.HasPrefix(s, string(tok.signed)) || (tok.Kind == KindSuishenma) != strings.HasPrefix(s, PrefixSuishenma) {
				t.Fatalf("a token verified over bytes that are not its own: %q", s)
			}
		}
	})
}
