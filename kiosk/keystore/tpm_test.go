package keystore_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk/keystore"
	"github.com/tongban/tongban/kiosk/keystore/keystoretest"
)

func TestMain(m *testing.M) { os.Exit(keystoretest.Main(m)) }

var day1 = time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)

// TestTPMSealSequence: a key sealed by one TPM unseals on it, again after
// the TPM restarts with its state (a reboot), and not on another TPM; a
// damaged blob is an error, not a panic.
func TestTPMSealSequence(t *testing.T) {
	stateA := t.TempDir()
	a := keystoretest.Start(t, stateA)
	key := bytes.Repeat([]byte{0x42}, keystore.KeySize)
	blob, err := a.TPM().Seal(key)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(blob, key) {
		t.Fatal("the sealed blob holds the key in clear")
	}
	got, err := a.TPM().Unseal(blob)
	if err != nil || !bytes.Equal(got, key) {
		t.Fatalf("Unseal on the same TPM: %x, %v", got, err)
	}
	a.Stop()
	a = keystoretest.Start(t, stateA)
	if got, err := a.TPM().Unseal(blob); err != nil || !bytes.Equal(got, key) {
		t.Fatalf("Unseal after the TPM restarted: %v", err)
	}
	b := keystoretest.Shared(t)
	if got, err := b.Unseal(blob); err == nil {
		t.Fatalf("another TPM unsealed the key: %x", got)
	}
	for _, bad := range [][]byte{nil, {0}, {0, 200, 1}, blob[:len(blob)/2], append(bytes.Clone(blob[:len(blob)-4]), 1, 2, 3, 4)} {
		if _, err := a.TPM().Unseal(bad); err == nil {
			t.Errorf("a damaged blob of %d bytes unsealed", len(bad))
		}
	}
	// The TPM still works after the refusals.
	if got, err := a.TPM().Unseal(blob); err != nil || !bytes.Equal(got, key) {
		t.Fatalf("Unseal after damaged blobs: %v", err)
	}
}

// TestEpochKeysSealedByTPM: with a TPM the epoch key files hold sealed
// blobs; the folder read without the TPM, or copied to another machine,
// gives no key, and Unlock says none opened.
func TestEpochKeysSealedByTPM(t *testing.T) {
	tpm := keystoretest.Shared(t)
	now := func() time.Time { return day1 }
	dir := filepath.Join(t.TempDir(), "keys")
	d, err := keystore.Open(dir, keystore.Options{Now: now, Sealer: tpm})
	if err != nil {
		t.Fatal(err)
	}
	e, key, err := d.Current()
	if err != nil {
		t.Fatal(err)
	}
	if !d.Sealed() {
		t.Error("Sealed is false with a TPM")
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "epoch-00000001.key"))
	if !bytes.HasPrefix(raw, []byte("v1s ")) || bytes.Contains(raw, []byte(hex.EncodeToString(key))) {
		t.Fatalf("the epoch file is not sealed: %.24q", raw)
	}
	again, err := keystore.Open(dir, keystore.Options{Now: now, Sealer: tpm})
	if err != nil {
		t.Fatal(err)
	}
	if n, errs := again.Unlock(); n != 1 || len(errs) != 0 {
		t.Fatalf("Unlock with the TPM: %d opened, %v", n, errs)
	}
	if k, err := again.Key(e); err != nil || !bytes.Equal(k, key) {
		t.Fatalf("Key with the TPM: %v", err)
	}
	other := keystoretest.Start(t, t.TempDir())
	for name, s := range map[string]keystore.Sealer{"no TPM": nil, "another TPM": other.TPM()} {
		thief, err := keystore.Open(dir, keystore.Options{Now: now, Sealer: s})
		if err != nil {
			t.Fatal(err)
		}
		if n, errs := thief.Unlock(); n != 0 || len(errs) != 1 {
			t.Errorf("%s: Unlock opened %d (%v)", name, n, errs)
		}
		if _, err := thief.Key(e); err == nil || errors.Is(err, keystore.ErrShredded) {
			t.Errorf("%s: %v, want refused", name, err)
		}
	}
}

// TestClearKeysSealedWhenTPMTurnedOn: keys written in clear before the TPM
// was turned on are sealed when the folder is opened with it: same keys,
// and no clear copy left in the folder.
func TestClearKeysSealedWhenTPMTurnedOn(t *testing.T) {
	c := day1
	now := func() time.Time { return c }
	dir := filepath.Join(t.TempDir(), "keys")
	plain, err := keystore.Open(dir, keystore.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	keys := map[uint32][]byte{}
	for range 2 {
		e, k, err := plain.Current()
		if err != nil {
			t.Fatal(err)
		}
		keys[e] = k
		c = c.Add(keystore.DefaultPeriod)
	}
	sealed, err := keystore.Open(dir, keystore.Options{Now: now, Sealer: keystoretest.Shared(t)})
	if err != nil {
		t.Fatal(err)
	}
	for e, k := range keys {
		if got, err := sealed.Key(e); err != nil || !bytes.Equal(got, k) {
			t.Errorf("epoch %d after sealing: %v", e, err)
		}
		requireNowhere(t, dir, k)
	}
	names, _ := os.ReadDir(dir)
	for _, n := range names {
		raw, _ := os.ReadFile(filepath.Join(dir, n.Name()))
		if !strings.HasPrefix(string(raw), "v1s ") {
			t.Errorf("%s is not sealed: %.24q", n.Name(), raw)
		}
	}
}

// requireNowhere fails when key is in any file of dir, raw or in hex.
func requireNowhere(t *testing.T, dir string, key []byte) {
	t.Helper()
	names, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		raw, _ := os.ReadFile(filepath.Join(dir, n.Name()))
		if bytes.Contains(raw, key) || bytes.Contains(raw, []byte(hex.EncodeToString(key))) {
			t.Errorf("%s holds the key in clear", n.Name())
		}
	}
}

// BenchmarkTPM measures sealing and unsealing one key on swtpm (a real
// TPM is slower; these run once per epoch and per start, not per
// submission).
func BenchmarkTPM(b *testing.B) {
	tpm := keystoretest.Shared(b)
	key := make([]byte, keystore.KeySize)
	blob, err := tpm.Seal(key)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("seal", func(b *testing.B) {
		for b.Loop() {
			if _, err := tpm.Seal(key); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("unseal", func(b *testing.B) {
		for b.Loop() {
			if _, err := tpm.Unseal(blob); err != nil {
				b.Fatal(err)
			}
		}
	})
	// What each submission pays: the day key from memory.
	dir := filepath.Join(b.TempDir(), "keys")
	d, err := keystore.Open(dir, keystore.Options{Now: func() time.Time { return day1 }, Sealer: tpm})
	if err != nil {
		b.Fatal(err)
	}
	if _, _, err := d.Current(); err != nil {
		b.Fatal(err)
	}
	b.Run("current-per-submission", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := d.Current(); err != nil {
				b.Fatal(err)
			}
		}
	})
	// What a start pays: open the folder and unseal its key.
	b.Run("start-unlock", func(b *testing.B) {
		for b.Loop() {
			d, err := keystore.Open(dir, keystore.Options{Now: func() time.Time { return day1 }, Sealer: tpm})
			if err != nil {
				b.Fatal(err)
			}
			if n, errs := d.Unlock(); n != 1 || errs != nil {
				b.Fatal(errs)
			}
		}
	})
	// A day key kept in the TPM's NV memory: made and destroyed once a
	// day, read once per start.
	b.Run("nv-put-destroy", func(b *testing.B) {
		for b.Loop() {
			if err := tpm.Put(60000, key); err != nil {
				b.Fatal(err)
			}
			if err := tpm.Destroy(60000); err != nil {
				b.Fatal(err)
			}
		}
	})
	if err := tpm.Put(60001, key); err != nil {
		b.Fatal(err)
	}
	b.Run("nv-get", func(b *testing.B) {
		for b.Loop() {
			if _, err := tpm.Get(60001); err != nil {
				b.Fatal(err)
			}
		}
	})
	tpm.Destroy(60001)
	secret := bytes.Repeat([]byte("k"), 241) // a P-256 key in PEM
	env := keystore.Envelope{Sealer: tpm}
	sealed, err := env.SealPEM(secret)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("tls-key-open", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := env.OpenPEM(sealed); err != nil {
				b.Fatal(err)
			}
		}
	})
}
