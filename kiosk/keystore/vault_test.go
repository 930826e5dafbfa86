package keystore_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk/keystore"
	"github.com/tongban/tongban/kiosk/keystore/keystoretest"
)

// TestVaultSequence: keys put in the TPM's NV memory come back, after a
// restart of the TPM too; a destroyed one is gone, destroying twice is no
// error, and the slots list says what is there.
func TestVaultSequence(t *testing.T) {
	state := t.TempDir()
	s := keystoretest.Start(t, state)
	var v keystore.Vault = s.TPM()
	k1, k2 := bytes.Repeat([]byte{1}, keystore.KeySize), bytes.Repeat([]byte{2}, keystore.KeySize)
	if err := v.Put(1, k1); err != nil {
		t.Fatal(err)
	}
	if err := v.Put(2, k2); err != nil {
		t.Fatal(err)
	}
	if err := v.Put(2, k1); err == nil {
		t.Error("a slot in use was written over")
	}
	if got, _ := v.Slots(); !slices.Equal(got, []uint32{1, 2}) {
		t.Errorf("slots %v", got)
	}
	s.Stop()
	s = keystoretest.Start(t, state)
	v = s.TPM()
	if got, err := v.Get(2); err != nil || !bytes.Equal(got, k2) {
		t.Fatalf("slot 2 after a restart: %x, %v", got, err)
	}
	if err := v.Destroy(1); err != nil {
		t.Fatal(err)
	}
	if err := v.Destroy(1); err != nil {
		t.Errorf("destroying twice: %v", err)
	}
	if _, err := v.Get(1); err == nil {
		t.Error("a destroyed key came back")
	}
	if got, _ := v.Slots(); !slices.Equal(got, []uint32{2}) {
		t.Errorf("slots after destroying 1: %v", got)
	}
}

// TestDayKeysInTPM: with the keys in the TPM's NV memory the key file
// holds no key at all; after a shred, an image of the folder taken before
// it and brought back to the same terminal (same TPM) no longer opens
// that day; a TPM that refuses a slot gets the key sealed in its file.
func TestDayKeysInTPM(t *testing.T) {
	tpm := keystoretest.Start(t, t.TempDir()).TPM()
	c := day1
	now := func() time.Time { return c }
	dir := filepath.Join(t.TempDir(), "keys")
	opts := keystore.Options{Now: now, Sealer: tpm, Vault: tpm}
	d, err := keystore.Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	_, k1, err := d.Current()
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "epoch-00000001.key"))
	if !bytes.HasPrefix(raw, []byte("v1n ")) || len(raw) > 40 {
		t.Fatalf("the key file is not a slot's name: %q", raw)
	}
	requireNowhere(t, dir, k1)
	image := filepath.Join(t.TempDir(), "image")
	if err := os.CopyFS(image, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	os.Chmod(image, 0o700)
	os.Chmod(filepath.Join(image, "epoch-00000001.key"), 0o600)

	c = c.Add(keystore.DefaultPeriod)
	if e, _, err := d.Current(); err != nil || e != 2 {
		t.Fatalf("day 2: %d, %v", e, err)
	}
	if err := d.Shred(1); err != nil {
		t.Fatal(err)
	}
	back, err := keystore.Open(image, keystore.Options{Now: now, Sealer: tpm, Vault: tpm, LeaveAsIs: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := back.Key(1); !errors.Is(err, keystore.ErrShredded) {
		t.Errorf("the image of day 1 brought back to the same TPM: %v, want shredded", err)
	}

	// Slot 3 taken (by anything else): day 3's key is sealed in its file.
	if err := tpm.Put(3, bytes.Repeat([]byte{9}, keystore.KeySize)); err != nil {
		t.Fatal(err)
	}
	c = c.Add(keystore.DefaultPeriod)
	e, k3, err := d.Current()
	if err != nil || e != 3 {
		t.Fatalf("day 3: %d, %v", e, err)
	}
	raw3, _ := os.ReadFile(filepath.Join(dir, "epoch-00000003.key"))
	if !bytes.HasPrefix(raw3, []byte("v1s ")) {
		t.Errorf("with its slot refused, day 3's key file is %.8q, want sealed", raw3)
	}
	again, err := keystore.Open(dir, keystore.Options{Now: now, Sealer: tpm, Vault: tpm, LeaveAsIs: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := again.Key(3); err != nil || !bytes.Equal(got, k3) {
		t.Errorf("day 3 reopened: %v", err)
	}
}

// TestOtherFoldersOnTheSameTPM: a second key folder on the same TPM (a
// test run or a second kiosk on a terminal) and a tool reading beside the
// kiosk never destroy the kiosk's keys in the TPM, and the tool puts none
// there.
func TestOtherFoldersOnTheSameTPM(t *testing.T) {
	tpm := keystoretest.Start(t, t.TempDir()).TPM()
	now := func() time.Time { return day1 }
	kioskDir := filepath.Join(t.TempDir(), "keys")
	kiosk, err := keystore.Open(kioskDir, keystore.Options{Now: now, Sealer: tpm, Vault: tpm})
	if err != nil {
		t.Fatal(err)
	}
	_, k1, err := kiosk.Current()
	if err != nil {
		t.Fatal(err)
	}
	other, err := keystore.Open(filepath.Join(t.TempDir(), "keys"), keystore.Options{Now: now, Sealer: tpm, Vault: tpm})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := other.Current(); err != nil { // slot 1 is taken: a sealed file
		t.Fatal(err)
	}
	if _, err := keystore.Open(filepath.Join(t.TempDir(), "keys"), keystore.Options{Now: now, Sealer: tpm, Vault: tpm}); err != nil {
		t.Fatal(err)
	}
	tool, err := keystore.Open(filepath.Join(t.TempDir(), "tool-keys"), keystore.Options{Now: now, Sealer: tpm, Vault: tpm, LeaveAsIs: true})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := tpm.Slots()
	if _, _, err := tool.Current(); err != nil {
		t.Fatal(err)
	}
	if after, _ := tpm.Slots(); !slices.Equal(before, after) {
		t.Errorf("a tool put a key in the TPM: slots %v, then %v", before, after)
	}
	again, err := keystore.Open(kioskDir, keystore.Options{Now: now, Sealer: tpm, Vault: tpm})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := again.Key(1); err != nil || !bytes.Equal(got, k1) {
		t.Errorf("the kiosk's day key after other folders opened on its TPM: %v", err)
	}
}
