package sealed

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckpointSignature: a checkpoint verifies under the terminal's key
// only for the terminal, sequence and head it was signed for.
func TestCheckpointSignature(t *testing.T) {
	k, err := LoadOrCreateKey(filepath.Join(t.TempDir(), "sm2"))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := LoadOrCreateKey(filepath.Join(t.TempDir(), "sm2"))
	head := strings.Repeat("ab", 32)
	sig, err := SignCheckpoint(nil, k, "SH-XH-0001", 42, head)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		terminal string
		seq      uint64
		head     string
		sig      []byte
		key      *PrivateKey
		ok       bool
	}{
		{"as signed", "SH-XH-0001", 42, head, sig, k, true},
		{"another terminal", "SH-XH-0002", 42, head, sig, k, false},
		{"another sequence", "SH-XH-0001", 41, head, sig, k, false},
		{"another head", "SH-XH-0001", 42, strings.Repeat("cd", 32), sig, k, false},
		{"another key", "SH-XH-0001", 42, head, sig, other, false},
		{"no signature", "SH-XH-0001", 42, head, nil, k, false},
		{"garbage", "SH-XH-0001", 42, head, []byte("garbage"), k, false},
	}
	for _, c := range cases {
		if got := VerifyCheckpoint(&c.key.PublicKey, c.terminal, c.seq, c.head, c.sig); got != c.ok {
			t.Errorf("%s: verified %v, want %v", c.name, got, c.ok)
		}
	}
	if VerifyCheckpoint(nil, "SH-XH-0001", 42, head, sig) {
		t.Error("verified without a key")
	}
}
