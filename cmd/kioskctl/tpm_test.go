package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk/keystore"
	"github.com/tongban/tongban/kiosk/keystore/keystoretest"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/outbox"
)

// kioskQueue writes a kiosk's data folder: n submissions under day keys,
// sealed by the TPM at sock when it is not empty.
func kioskQueue(t *testing.T, data, sock string, n int) {
	t.Helper()
	var sealer keystore.Sealer
	if sock != "" {
		tpm, closer, err := keystore.OpenDevice("unix:" + sock)
		if err != nil {
			t.Fatal(err)
		}
		defer closer.Close() // swtpm answers one connection at a time
		sealer = tpm
	}
	now := func() time.Time { return time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC) }
	keys, err := keystore.Open(filepath.Join(data, keystore.DirName), keystore.Options{Sealer: sealer, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	legacy, err := outbox.LoadOrCreateKey(filepath.Join(data, "terminal.key"))
	if err != nil {
		t.Fatal(err)
	}
	q, _, err := outbox.Open(filepath.Join(data, "queue.db"), outbox.Options{Key: legacy, Epochs: keys, Now: now, ReserveBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	for i := range n {
		if _, err := q.Add(context.Background(), kiosktest.Submission(i, "", "", "T01", now())); err != nil {
			t.Fatal(err)
		}
	}
}

// TestQueueVerifyWithTPM: a queue whose day keys the kiosk sealed by its
// TPM verifies with --tpm naming that TPM (here swtpm on a socket, as
// queue.tpm = unix:PATH), and not with --tpm off, which says why; kioskctl
// never changes the key folder, not even to seal keys it finds in clear.
func TestQueueVerifyWithTPM(t *testing.T) {
	sock := keystoretest.StartSocket(t, t.TempDir())
	data := t.TempDir()
	kioskQueue(t, data, sock, 2)
	db := filepath.Join(data, "queue.db")
	before := snapshot(t, data)
	if out, err := kioskctl(t, "queue", "verify", "--db", db, "--tpm", "unix:"+sock); err != nil || !strings.Contains(out, "2 entries") || !strings.Contains(out, "ok") {
		t.Errorf("verify with the TPM: %v\n%s", err, out)
	}
	out, err := kioskctl(t, "queue", "verify", "--db", db, "--tpm", "off")
	if err == nil || !strings.Contains(out, "sealed") {
		t.Errorf("verify without the TPM: %v\n%s", err, out)
	}
	if !sameFiles(before, snapshot(t, data)) {
		t.Error("verify changed the data folder")
	}

	clear := t.TempDir()
	kioskQueue(t, clear, "", 1)
	before = snapshot(t, clear)
	if out, err := kioskctl(t, "queue", "verify", "--db", filepath.Join(clear, "queue.db"), "--tpm", "unix:"+sock); err != nil {
		t.Errorf("verify of clear keys with a TPM at hand: %v\n%s", err, out)
	}
	if !sameFiles(before, snapshot(t, clear)) {
		t.Error("kioskctl sealed the kiosk's clear keys: a kiosk with queue.tpm = off would no longer open them")
	}
}
