package keystore_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk/keystore"
	"github.com/tongban/tongban/kiosk/keystore/keystoretest"
)

var errCut = errors.New("power cut")

// cutAt is an Options.Step that stops at point, as a power cut there
// would: everything before it is on disk (each step follows an fsync).
func cutAt(point string, hit *bool) func(string) error {
	return func(p string) error {
		if p == point {
			*hit = true
			return errCut
		}
		return nil
	}
}

// folder returns each file of dir and its bytes.
func folder(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	names, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, n := range names {
		out[n.Name()], _ = os.ReadFile(filepath.Join(dir, n.Name()))
	}
	return out
}

// TestKeyRotationPowerCuts cuts the power at every point of a rotation, a
// shred and the sealing of a clear key, then starts again (Open) and
// checks what a thief or the queue would find: the folder holds only
// epoch files, each opens, the keys in use are the same, a new epoch's key
// written but never put in place is gone, a shredded key is nowhere, and
// a key sealed is nowhere in clear.
func TestKeyRotationPowerCuts(t *testing.T) {
	shared := keystoretest.Shared(t)
	for _, tc := range []struct {
		op, point string
		inTPM     bool // keys kept in the TPM's NV memory (Options.Vault)
	}{
		{"rotate", "new written", false}, {"rotate", "linked", false},
		{"shred", "zeroed", false}, {"shred", "removed", false},
		{"seal", "sealed written", false}, {"seal", "sealed in place", false},
		{"rotate", "in tpm", true}, {"rotate", "new written", true}, {"rotate", "linked", true},
		{"shred", "zeroed", true}, {"shred", "removed", true},
	} {
		name := tc.op + "/" + strings.ReplaceAll(tc.point, " ", "-")
		if tc.inTPM {
			name += "/nv"
		}
		t.Run(name, func(t *testing.T) {
			tpm := shared
			var vault keystore.Vault
			if tc.inTPM {
				// A TPM of its own: its NV slots are this folder's only.
				tpm = keystoretest.Start(t, t.TempDir()).TPM()
				vault = tpm
			}
			c := day1
			now := func() time.Time { return c }
			dir := filepath.Join(t.TempDir(), "keys")
			setupSealer := keystore.Sealer(tpm)
			if tc.op == "seal" {
				setupSealer = nil // keys written before the TPM was turned on
			}
			setup, err := keystore.Open(dir, keystore.Options{Now: now, Sealer: setupSealer, Vault: vault})
			if err != nil {
				t.Fatal(err)
			}
			_, k1, err := setup.Current()
			if err != nil {
				t.Fatal(err)
			}
			var k2 []byte
			if tc.op == "shred" {
				c = c.Add(keystore.DefaultPeriod)
				if _, k2, err = setup.Current(); err != nil {
					t.Fatal(err)
				}
			}
			before := folder(t, dir)
			hit := false
			opts := keystore.Options{Now: now, Sealer: tpm, Vault: vault, Step: cutAt(tc.point, &hit)}
			var cutErr error
			switch tc.op {
			case "rotate":
				c = c.Add(keystore.DefaultPeriod)
				var d *keystore.Dir
				if d, err = keystore.Open(dir, opts); err != nil {
					t.Fatal(err)
				}
				_, _, cutErr = d.Current()
			case "shred":
				var d *keystore.Dir
				if d, err = keystore.Open(dir, opts); err != nil {
					t.Fatal(err)
				}
				cutErr = d.Shred(1)
			case "seal":
				_, cutErr = keystore.Open(dir, opts)
			}
			// (A rotation that fails keeps the current key in use, so
			// Current does not return the cut: the process dies there.)
			if !hit || tc.op != "rotate" && !errors.Is(cutErr, errCut) {
				t.Fatalf("the cut at %q did not happen: %v", tc.point, cutErr)
			}
			atCut := folder(t, dir)

			// The next start.
			d, err := keystore.Open(dir, keystore.Options{Now: now, Sealer: tpm, Vault: vault})
			if err != nil {
				t.Fatalf("Open after the cut: %v", err)
			}
			if tc.inTPM {
				// Every key in the TPM is named by a file: none is left
				// there for a copy of the disk to find later.
				slots, err := vault.Slots()
				if err != nil {
					t.Fatal(err)
				}
				files, _ := d.Epochs()
				if len(slots) != len(files) {
					t.Errorf("slots in the TPM %v, epoch files %v", slots, files)
				}
			}
			after := folder(t, dir)
			delete(after, "folder.id") // names the folder's keys in the TPM; no key
			for name, raw := range after {
				if !strings.HasPrefix(name, "epoch-") || !strings.HasSuffix(name, ".key") {
					t.Errorf("%s is left in the key folder", name)
				}
				if !bytes.HasPrefix(raw, []byte("v1s ")) && !(tc.inTPM && bytes.HasPrefix(raw, []byte("v1n "))) {
					t.Errorf("%s is not a sealed key: %.24q", name, raw)
				}
			}
			if n, errs := d.Unlock(); len(errs) != 0 || n != len(after) {
				t.Errorf("Unlock: %d of %d opened: %v", n, len(after), errs)
			}
			switch tc.op {
			case "rotate":
				if got, err := d.Key(1); err != nil || !bytes.Equal(got, k1) {
					t.Errorf("epoch 1 after the cut: %v", err)
				}
				for name, raw := range atCut {
					if strings.HasSuffix(name, ".new") && after["epoch-00000002.key"] == nil {
						// A key never put in place must be gone, not
						// left for a thief beside the others.
						for n2, r2 := range after {
							if bytes.Equal(r2, raw) {
								t.Errorf("the unused key of %s is still in %s", name, n2)
							}
						}
					}
				}
				if e, _, err := d.Current(); err != nil || e != 2 {
					t.Errorf("Current after the cut = %d, %v; want epoch 2", e, err)
				}
			case "shred":
				if _, err := d.Key(1); !errors.Is(err, keystore.ErrShredded) {
					t.Errorf("Key(1) after a cut shred: %v, want shredded", err)
				}
				for name, r := range after {
					if bytes.Equal(r, before["epoch-00000001.key"]) {
						t.Errorf("the shredded key is still in %s", name)
					}
				}
				if got, err := d.Key(2); err != nil || !bytes.Equal(got, k2) {
					t.Errorf("epoch 2 after the cut: %v", err)
				}
			case "seal":
				if got, err := d.Key(1); err != nil || !bytes.Equal(got, k1) {
					t.Errorf("epoch 1 after the cut: %v", err)
				}
				requireNowhere(t, dir, k1)
			}
		})
	}
}
