package sealed

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm2"
)

func keys(t testing.TB) (office, terminal, other *sm2.PrivateKey) {
	t.Helper()
	dir := t.TempDir()
	var ks [3]*sm2.PrivateKey
	for i := range ks {
		k, err := LoadOrCreateKey(filepath.Join(dir, string(rune('a'+i))))
		if err != nil {
			t.Fatal(err)
		}
		ks[i] = k
	}
	return ks[0], ks[1], ks[2]
}

const payload = `{"client_id":"c-1","applicant":{"fullname":"测试甲"}}`

func TestSealOpenAndEveryTamperingRefused(t *testing.T) {
	office, term, other := keys(t)
	env, err := Seal(nil, &office.PublicKey, term, "T-001", "c-1", []byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(env, []byte("测试甲")) {
		t.Fatal("the envelope carries the payload in clear")
	}
	got, err := Open(env, office, &term.PublicKey, "T-001", "c-1")
	if err != nil || string(got) != payload {
		t.Fatalf("Open = %q, %v", got, err)
	}
	flip := func(i int) []byte {
		b := bytes.Clone(env)
		b[i] ^= 0x40
		return b
	}
	e, _ := Parse(env)
	ctAt := headerLen + len(e.Ciphertext)/2
	sigAt := len(env) - 3
	tests := []struct {
		name             string
		env              []byte
		recipient        *sm2.PrivateKey
		sender           *sm2.PrivateKey
		terminal, client string
		want             error
	}{
		{"ciphertext byte flipped", flip(ctAt), office, term, "T-001", "c-1", ErrBadSignature},
		{"signature byte flipped", flip(sigAt), office, term, "T-001", "c-1", ErrBadSignature},
		{"key ID flipped", flip(5), office, term, "T-001", "c-1", ErrWrongKey},
		{"signed by another key", env, office, other, "T-001", "c-1", ErrBadSignature},
		{"replayed for another terminal", env, office, term, "T-002", "c-1", ErrBadSignature},
		{"replayed under another submission", env, office, term, "T-001", "c-2", ErrBadSignature},
		{"addressed to another office", env, other, term, "T-001", "c-1", ErrWrongKey},
		{"truncated", env[:len(env)-1], office, term, "T-001", "c-1", ErrMalformed},
		{"trailing bytes", append(bytes.Clone(env), 0), office, term, "T-001", "c-1", ErrMalformed},
		{"not an envelope", []byte(payload), office, term, "T-001", "c-1", ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(tt.env, tt.recipient, &tt.sender.PublicKey, tt.terminal, tt.client)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open = %v, want %v", err, tt.want)
			}
		})
	}
	// After every refusal the genuine envelope still opens: nothing is
	// cached or consumed by a failure.
	if _, err := Open(env, office, &term.PublicKey, "T-001", "c-1"); err != nil {
		t.Fatalf("the genuine envelope no longer opens: %v", err)
	}
}

func TestKeysRoundTripAndPersist(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k")
	k1, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !k1.Equal(k2) {
		t.Fatal("the key changed on reload")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	s, err := FormatPublicKey(&k1.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := ParsePublicKey(s)
	if err != nil || !pub.Equal(&k1.PublicKey) {
		t.Fatalf("ParsePublicKey(%q) = %v", s, err)
	}
	for _, bad := range []string{"", "sm2:zz", "ed25519:AAAA", "sm2:04" + s[6:len(s)-2] + "00"} {
		if _, err := ParsePublicKey(bad); err == nil {
			t.Errorf("ParsePublicKey(%q) accepted", bad)
		}
	}
	os.WriteFile(path, []byte("sm2-private:nothex\n"), 0o600)
	if _, err := LoadOrCreateKey(path); err == nil {
		t.Fatal("a damaged key file was accepted")
	}
}

func FuzzParse(f *testing.F) {
	office, term, _ := keys(f)
	env, err := Seal(nil, &office.PublicKey, term, "T-001", "c-1", []byte(payload))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(env)
	f.Add([]byte("TBS1"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := Parse(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("Parse error %v is not ErrMalformed", err)
			}
			return
		}
		if !bytes.Equal(e.Marshal(), b) {
			t.Fatal("a parsed envelope does not marshal back to its bytes")
		}
		// Whatever parses must never open unless it is the genuine one.
		pt, err := Open(b, office, &term.PublicKey, "T-001", "c-1")
		if err == nil && !bytes.Equal(b, env) && string(pt) != payload {
			t.Fatal("a forged envelope opened")
		}
	})
}

func TestFingerprintAsTypedOrScanned(t *testing.T) {
	der := []byte("a certificate's DER")
	fp := Fingerprint(der)
	if len(fp) != len("SM3:")+64+15 {
		t.Fatalf("fingerprint %q has the wrong shape", fp)
	}
	sha := sha256.Sum256(der)
	for _, typed := range []string{fp, strings.ToLower(fp), strings.ReplaceAll(fp[4:], "-", " "), "sha256:" + hex.EncodeToString(sha[:])} {
		if err := MatchFingerprint(typed, der); err != nil {
			t.Errorf("MatchFingerprint(%q) = %v", typed, err)
		}
	}
	if err := MatchFingerprint(fp, []byte("another certificate")); !errors.Is(err, ErrFingerprintMismatch) {
		t.Errorf("another certificate: %v", err)
	}
	for _, bad := range []string{"", "SM3:12", "MD5:" + fp[4:], fp + "00"} {
		if err := MatchFingerprint(bad, der); err == nil || errors.Is(err, ErrFingerprintMismatch) {
			t.Errorf("MatchFingerprint(%q) = %v, want a format error", bad, err)
		}
	}
}
