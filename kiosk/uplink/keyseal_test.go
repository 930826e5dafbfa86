package uplink

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTPM stands in for the terminal's TPM (kiosk/keystore.Envelope,
// tested on swtpm in kiosk/keystore and kiosk/terminal): it "seals" by
// XOR under its machine's name, and refuses what another machine sealed.
type fakeTPM struct{ machine string }

const fakeSealedType = "TEST SEALED SECRET"

func xorBytes(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = c ^ 0x5a
	}
	return out
}

func (f fakeTPM) SealPEM(secret []byte) ([]byte, error) {
	return pem.EncodeToMemory(&pem.Block{Type: fakeSealedType, Bytes: append([]byte(f.machine+"|"), xorBytes(secret)...)}), nil
}

func (f fakeTPM) OpenPEM(stored []byte) ([]byte, bool, error) {
	blk, _ := pem.Decode(stored)
	if blk == nil || blk.Type != fakeSealedType {
		return stored, false, nil
	}
	rest, ok := bytes.CutPrefix(blk.Bytes, []byte(f.machine+"|"))
	if !ok {
		return nil, true, errors.New("sealed by another TPM")
	}
	return xorBytes(rest), true, nil
}

// requireSealed fails when a key file of dir is in clear.
func requireSealed(t *testing.T, dir string) {
	t.Helper()
	for _, f := range []string{keyFile, payloadKeyFile} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if blk, _ := pem.Decode(b); blk == nil || blk.Type != fakeSealedType {
			t.Errorf("%s is not sealed: %.30q", f, b)
		}
	}
}

// reaches checks that id's TLS key works against the back office.
func reaches(t *testing.T, o *office, id *Identity) {
	t.Helper()
	resp, err := id.HTTPClient(nil).Get(o.url + "/v1/receipts/x")
	if err != nil || resp.StatusCode != 404 {
		t.Fatalf("mutual TLS with the unsealed key: %v", err)
	}
	resp.Body.Close()
}

// TestKeysSealedAtRest follows a terminal's private keys with a TPM:
// enrolled sealed, loaded and used, copied to another disk (no TPM,
// another TPM: nothing loads), renewed (still sealed, also after a cut
// between writing and putting the pair in place).
func TestKeysSealedAtRest(t *testing.T) {
	o := tlsBackOffice(t)
	own := fakeTPM{"terminal"}
	dir := filepath.Join(t.TempDir(), "identity")
	if _, err := Enrol(context.Background(), EnrolOptions{Server: o.url, Token: o.token(t), Dir: dir, CAFile: o.caPEM, CAFingerprint: o.fingerprint, Keys: own}); err != nil {
		t.Fatal(err)
	}
	requireSealed(t, dir)
	id, err := LoadIdentityWith(dir, own)
	if err != nil {
		t.Fatal(err)
	}
	reaches(t, o, id)

	stolen := filepath.Join(t.TempDir(), "identity")
	if err := os.CopyFS(stolen, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadIdentity(stolen); err == nil || !strings.Contains(err.Error(), "TPM") {
		t.Errorf("the copy without a TPM: %v, want refused naming the TPM", err)
	}
	if _, err := LoadIdentityWith(stolen, fakeTPM{"thief"}); err == nil {
		t.Error("the copy loaded in another TPM")
	}

	if err := id.Renew(context.Background(), id.HTTPClient(nil), nil); err != nil {
		t.Fatal(err)
	}
	requireSealed(t, dir)
	// A cut after the renewed pair was written, before it was in place.
	id.step = func(p string) error {
		if p == "next written" {
			return errCut
		}
		return nil
	}
	if err := id.Renew(context.Background(), id.HTTPClient(nil), nil); !errors.Is(err, errCut) {
		t.Fatalf("the cut did not happen: %v", err)
	}
	next, _ := os.ReadFile(filepath.Join(dir, nextFile))
	if bytes.Contains(next, []byte("PRIVATE KEY")) {
		t.Error("the renewed key is written in clear before it is put in place")
	}
	if _, err := LoadIdentity(dir); err == nil {
		t.Error("a renewal cut short loaded without the TPM")
	}
	again, err := LoadIdentityWith(dir, own)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, nextFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the renewal was not finished: %v", err)
	}
	requireSealed(t, dir)
	reaches(t, o, again)
}

// TestClearKeysSealedAtFirstLoad: a terminal enrolled without a TPM (the
// set-up, kioskctl enrol) has its keys in clear; the first load with the
// TPM seals them and zeroes the clear bytes, and they still work.
func TestClearKeysSealedAtFirstLoad(t *testing.T) {
	o := tlsBackOffice(t)
	_, dir, err := o.enrol(t, o.token(t))
	if err != nil {
		t.Fatal(err)
	}
	// Hard links share the files' blocks: they show whether the clear
	// bytes were overwritten, as a raw read of the disk would.
	spies := t.TempDir()
	for _, f := range []string{keyFile, payloadKeyFile} {
		if err := os.Link(filepath.Join(dir, f), filepath.Join(spies, f)); err != nil {
			t.Skip("no hard links here:", err)
		}
	}
	own := fakeTPM{"terminal"}
	id, err := LoadIdentityWith(dir, own)
	if err != nil {
		t.Fatal(err)
	}
	requireSealed(t, dir)
	for _, f := range []string{keyFile, payloadKeyFile} {
		if b, _ := os.ReadFile(filepath.Join(spies, f)); len(bytes.Trim(b, "\x00")) != 0 {
			t.Errorf("the clear %s was not overwritten", f)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) == 0 {
		t.Fatal("empty identity folder")
	} else {
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".old") {
				t.Errorf("%s left behind", e.Name())
			}
		}
	}
	reaches(t, o, id)
	if _, err := LoadIdentityWith(dir, own); err != nil {
		t.Errorf("loading the sealed keys again: %v", err)
	}
}
