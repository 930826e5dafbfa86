package keystore

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

func openTest(t *testing.T, c *clock) *Dir {
	t.Helper()
	d, err := Open(filepath.Join(t.TempDir(), "keys"), Options{Now: c.Now, Period: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestEpochSequence: a day of rotations, a clock set back, a shred, and
// keys that stay the same for as long as their epoch lives.
func TestEpochSequence(t *testing.T) {
	c := &clock{t: time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)}
	d := openTest(t, c)
	steps := []struct {
		advance time.Duration
		want    uint32
	}{
		{0, 1}, {59 * time.Minute, 1}, {time.Minute, 2}, {-3 * time.Hour, 2}, {5 * time.Hour, 3},
	}
	keys := map[uint32][]byte{}
	for i, s := range steps {
		c.t = c.t.Add(s.advance)
		e, k, err := d.Current()
		if err != nil || e != s.want {
			t.Fatalf("step %d: Current = %d, %v; want %d", i, e, err, s.want)
		}
		if old, ok := keys[e]; ok && !bytes.Equal(old, k) {
			t.Fatalf("step %d: epoch %d changed its key", i, e)
		}
		keys[e] = k
	}
	if bytes.Equal(keys[1], keys[2]) || bytes.Equal(keys[2], keys[3]) {
		t.Fatal("two epochs share a key")
	}
	if err := d.Shred(1); err != nil {
		t.Fatal(err)
	}
	if err := d.Shred(1); err != nil {
		t.Errorf("shredding twice: %v", err)
	}
	if _, err := d.Key(1); !errors.Is(err, ErrShredded) {
		t.Errorf("Key of a shredded epoch: %v", err)
	}
	if k, err := d.Key(2); err != nil || !bytes.Equal(k, keys[2]) {
		t.Errorf("Key(2) after shredding 1: %v", err)
	}
	list, _ := d.Epochs()
	if len(list) != 2 || list[0] != 2 || list[1] != 3 {
		t.Errorf("Epochs = %v", list)
	}
	// Reopened, the folder gives the same keys.
	d2, err := Open(d.dir, Options{Now: c.Now, Period: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if e, k, err := d2.Current(); err != nil || e != 3 || !bytes.Equal(k, keys[3]) {
		t.Errorf("after reopening: %d, %v", e, err)
	}
}

func TestPermissionsRefused(t *testing.T) {
	c := &clock{t: time.Now()}
	dir := filepath.Join(t.TempDir(), "keys")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, Options{Now: c.Now}); err == nil {
		t.Error("a key folder open to others was accepted")
	}
	d := openTest(t, c)
	e, _, err := d.Current()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(d.path(e), 0o644); err != nil {
		t.Fatal(err)
	}
	// Keys are read once per process: the next start refuses it.
	d2, err := Open(d.dir, Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d2.Key(e); err == nil {
		t.Error("a key file readable by others was accepted")
	}
}

func TestDamagedFile(t *testing.T) {
	d := openTest(t, &clock{t: time.Now()})
	for _, body := range []string{"", "v1 1 zz\n", "v1 1 00\n", "v2 1 00112233445566778899aabbccddeeff\n", "v1s 1 00112233445566778899aabbccddeeff\n"} {
		if err := os.WriteFile(d.path(7), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Key(7); err == nil || errors.Is(err, ErrShredded) {
			t.Errorf("%q: %v, want a damage error", body, err)
		}
	}
}

func FuzzParseLine(f *testing.F) {
	f.Add([]byte("v1 1782892800 00112233445566778899aabbccddeeff\n"))
	f.Add([]byte("v1s 1 00\n"))
	f.Add([]byte("v1 -1 00"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		_, key, err := parseLine(raw, nil, nil)
		if err == nil && len(key) != KeySize {
			t.Fatalf("accepted a %d-byte key", len(key))
		}
	})
}

// failingSealer is a TPM that stops answering after ok seals.
type failingSealer struct{ ok *int }

func (f failingSealer) Seal(key []byte) ([]byte, error) {
	if *f.ok <= 0 {
		return nil, errors.New("the TPM does not answer")
	}
	*f.ok--
	return append([]byte("S"), key...), nil
}

func (f failingSealer) Unseal(blob []byte) ([]byte, error) { return blob[1:], nil }

// TestRotationFailureKeepsServing: when the TPM stops answering at a
// rotation, the current key stays in use (submissions are still taken),
// the problem is told, the TPM is asked again only after a minute, and
// the rotation happens once it answers.
func TestRotationFailureKeepsServing(t *testing.T) {
	c := &clock{t: time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)}
	ok := 1
	d, err := Open(filepath.Join(t.TempDir(), "keys"), Options{Now: c.Now, Period: time.Hour, Sealer: failingSealer{&ok}})
	if err != nil {
		t.Fatal(err)
	}
	e1, k1, err := d.Current()
	if err != nil || e1 != 1 {
		t.Fatalf("first epoch: %d, %v", e1, err)
	}
	c.t = c.t.Add(time.Hour)
	for i := range 3 {
		e, k, err := d.Current()
		if err != nil || e != 1 || !bytes.Equal(k, k1) {
			t.Fatalf("try %d with the TPM down: epoch %d, %v; want epoch 1 kept", i, e, err)
		}
		c.t = c.t.Add(10 * time.Second)
	}
	if d.RotationProblem() == nil {
		t.Error("the failed rotation is not told")
	}
	if list, _ := d.Epochs(); len(list) != 1 {
		t.Errorf("epochs %v after failed rotations", list)
	}
	ok = 1 // the TPM answers again
	if e, _, err := d.Current(); e != 1 || err != nil {
		t.Errorf("within the minute: epoch %d, %v; want no new try yet", e, err)
	}
	c.t = c.t.Add(time.Minute)
	if e, _, err := d.Current(); e != 2 || err != nil || d.RotationProblem() != nil {
		t.Errorf("after the minute: epoch %d, %v, problem %v; want epoch 2", e, err, d.RotationProblem())
	}
}
