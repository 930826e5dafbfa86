package staffdesk

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/emmansun/gmsm/sm3"
)

// CodeIterations is the PBKDF2-SM3 work factor of a new code hash: a
// 6-digit code is a small space, so each guess must cost (about 0.1 s
// on a kiosk), and the salt stops one table serving every terminal.
const CodeIterations = 200_000

const kdfName = "pbkdf2-sm3"

// codeHash is a parsed "pbkdf2-sm3$ITER$SALT$HASH" (hex salt and hash).
type codeHash struct {
	iter       int
	salt, hash []byte
}

// ErrCodeHash is a staff.code_hash that is not pbkdf2-sm3$ITER$SALT$HASH.
var ErrCodeHash = errors.New("staffdesk: staff.code_hash must be pbkdf2-sm3$ITERATIONS$SALT$HASH (kioskctl staff-hash)")

func parseCodeHash(s string) (codeHash, error) {
	p := strings.Split(s, "$")
	if len(p) != 4 || p[0] != kdfName {
		return codeHash{}, ErrCodeHash
	}
	iter, err := strconv.Atoi(p[1])
	salt, err2 := hex.DecodeString(p[2])
	hash, err3 := hex.DecodeString(p[3])
	if err != nil || err2 != nil || err3 != nil || iter < 10_000 || iter > 10_000_000 || len(salt) < 16 || len(hash) != sm3.Size {
		return codeHash{}, ErrCodeHash
	}
	return codeHash{iter: iter, salt: salt, hash: hash}, nil
}

func (h codeHash) matches(code string) bool {
	k, err := pbkdf2.Key(sm3.New, code, h.salt, h.iter, sm3.Size)
	return err == nil && subtle.ConstantTimeCompare(k, h.hash) == 1
}

// HashCode returns the staff.code_hash of code: PBKDF2-SM3 under a fresh
// 16-byte salt, iter iterations (0: CodeIterations).
func HashCode(code string, iter int) (string, error) {
	if iter == 0 {
		iter = CodeIterations
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	k, err := pbkdf2.Key(sm3.New, code, salt, iter, sm3.Size)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s$%d$%x$%x", kdfName, iter, salt, k), nil
}
