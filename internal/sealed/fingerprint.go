package sealed

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/emmansun/gmsm/sm3"
)

// Fingerprint is how a technician names the back office CA at enrolment:
// "SM3:" and the SM3 digest of the certificate's DER in groups of four
// upper-case hex digits, short enough to read aloud, type, or carry in a
// QR code on the provisioning sheet.
func Fingerprint(der []byte) string {
	sum := sm3.Sum(der)
	return "SM3:" + group(hex.EncodeToString(sum[:]))
}

func group(h string) string {
	var b strings.Builder
	for i := 0; i < len(h); i += 4 {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(strings.ToUpper(h[i:min(i+4, len(h))]))
	}
	return b.String()
}

// ErrFingerprintMismatch is MatchFingerprint's answer for a certificate
// that is not the one the technician named.
var ErrFingerprintMismatch = errors.New("the back office's CA certificate does not have the fingerprint given at enrolment: refusing to send the token")

// MatchFingerprint checks der against a fingerprint as typed or scanned:
// "SM3:" (the default when no prefix is given) or "SHA256:" followed by
// 64 hex digits; case, spaces, dashes and colons between them do not
// matter.
func MatchFingerprint(typed string, der []byte) error {
	alg, want, err := parseFingerprint(typed)
	if err != nil {
		return err
	}
	var got [32]byte
	if alg == "SM3" {
		got = sm3.Sum(der)
	} else {
		got = sha256.Sum256(der)
	}
	if string(got[:]) != string(want) {
		return ErrFingerprintMismatch
	}
	return nil
}

// CheckFingerprint says, in plain words, why typed is not a fingerprint
// MatchFingerprint can match; nil when it is one.
func CheckFingerprint(typed string) error {
	_, _, err := parseFingerprint(typed)
	return err
}

func parseFingerprint(typed string) (string, []byte, error) {
	s := strings.ToUpper(strings.TrimSpace(typed))
	alg := "SM3"
	for _, p := range []string{"SM3:", "SHA256:", "SHA-256:"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			alg, s = strings.TrimSuffix(strings.ReplaceAll(p, "-", ""), ":"), rest
			break
		}
	}
	s = strings.NewReplacer(" ", "", "-", "", ":", "").Replace(s)
	want, err := hex.DecodeString(s)
	if err != nil || len(want) != 32 {
		return "", nil, errors.New("the CA fingerprint must be 64 hex digits, optionally after an SM3: or SHA256: prefix")
	}
	return alg, want, nil
}
