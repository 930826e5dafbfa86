package console

import (
	"strings"
	"testing"
)

// FuzzCheckPassword feeds arbitrary stored hashes to the parser: it must
// never panic, never take absurd parameters, and match only a hash made
// from the password.
func FuzzCheckPassword(f *testing.F) {
	f.Add(testHash, password)
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA", "x")
	f.Add("$argon2id$v=19$m=0,t=0,p=0$$", "")
	f.Add("$$$$$", "pw")
	f.Fuzz(func(t *testing.T, hash, pw string) {
		if len(hash) > 512 {
			return
		}
		// Keep runs quick: parameters above the console's own are refused
		// before hashing, by the parser's bounds.
		if strings.Contains(hash, "m=") && !strings.Contains(hash, "m=19456") && !strings.Contains(hash, "m=1,") {
			return
		}
		if checkPassword(hash, pw) && hash != testHash {
			parts := strings.Split(hash, "$")
			if len(parts) != 6 || parts[1] != "argon2id" {
				t.Fatalf("a malformed hash %q matched", hash)
			}
		}
	})
}

// FuzzCSVSafe: no exported cell starts with a character a spreadsheet
// reads as a formula.
func FuzzCSVSafe(f *testing.F) {
	for _, s := range []string{"=1+1", "+cmd", "-2", "@SUM(A1)", "普通", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := csvSafe(s)
		if out != "" && strings.ContainsRune("=+-@", rune(out[0])) {
			t.Fatalf("csvSafe(%q) = %q", s, out)
		}
	})
}
