package console

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's minimum (19 MiB, 2 passes, 1 lane), which
// costs some tens of milliseconds on a 2-core server.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns the PHC-style encoding of an argon2id hash of pw
// with a fresh salt.
func HashPassword(pw string) (string, error) {
	if len(pw) < 10 {
		return "", errors.New("a password must have at least 10 characters")
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// checkPassword reports whether pw matches an encoded argon2id hash. An
// empty or malformed hash never matches (but still costs one hash, so an
// unknown user name takes as long as a wrong password).
func checkPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	var m, t uint32
	var p uint8
	ok := len(parts) == 6 && parts[1] == "argon2id"
	if ok {
		_, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p)
		ok = err == nil && m > 0 && m <= 64*1024 && t > 0 && t <= 10 && p > 0 && p <= 8
	}
	var salt, want []byte
	if ok {
		var e1, e2 error
		salt, e1 = base64.RawStdEncoding.DecodeString(parts[4])
		want, e2 = base64.RawStdEncoding.DecodeString(parts[5])
		ok = e1 == nil && e2 == nil && len(want) > 0
	}
	if !ok {
		argon2.IDKey([]byte(pw), make([]byte, 16), argonTime, argonMemory, argonThreads, argonKeyLen)
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// randomToken returns n random bytes, base64url.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

func sameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
