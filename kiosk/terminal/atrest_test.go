package terminal

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/config"
	"github.com/tongban/tongban/kiosk/keystore"
	"github.com/tongban/tongban/kiosk/keystore/keystoretest"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/outbox"
	"github.com/tongban/tongban/kiosk/uplink"
)

func TestMain(m *testing.M) { os.Exit(keystoretest.Main(m)) }

// keyParts is the part of a terminal that holds keys: the audit log, the
// TPM, the queue and the enrolled identity, opened as New opens them.
func keyParts(t *testing.T, cfg config.Config, tpm keystore.Sealer, clock kiosk.Clock) (*Terminal, *lockedBuffer, error) {
	t.Helper()
	buf := &lockedBuffer{}
	tm := &Terminal{cfg: cfg, opts: Options{Clock: clock, TPM: tpm}, log: slog.New(slog.NewTextHandler(buf, nil)), catalogs: &catalogs{}}
	t.Cleanup(func() { closeParts(tm) })
	for _, step := range []func() error{tm.openAudit, tm.openTPM, tm.openQueue, tm.prepareUplink} {
		if err := step(); err != nil {
			closeParts(tm)
			return tm, buf, err
		}
	}
	return tm, buf, nil
}

func closeParts(tm *Terminal) {
	for i := len(tm.closers) - 1; i >= 0; i-- {
		tm.closers[i]()
	}
	tm.closers = nil
}

// copyDisk is the thief's copy of the data folder, every file of it with
// its mode (as an image of the disk keeps them).
func copyDisk(t *testing.T, data string) string {
	t.Helper()
	stolen := filepath.Join(t.TempDir(), "data")
	err := filepath.WalkDir(data, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		to := filepath.Join(stolen, strings.TrimPrefix(p, data))
		if d.IsDir() {
			return os.MkdirAll(to, info.Mode().Perm())
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
	return stolen
}

// grepDisk returns the files under dir that hold any of needles.
func grepDisk(t *testing.T, dir string, needles ...string) []string {
	t.Helper()
	var hits []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		for _, n := range needles {
			if bytes.Contains(b, []byte(n)) {
				hits = append(hits, strings.TrimPrefix(p, dir)+" holds "+n)
			}
		}
		return nil
	})
	return hits
}

// TestStolenDiskWithTPM: a terminal with a TPM (swtpm) is enrolled and
// queues submissions while its back office is away; a thief copies the
// whole data folder (queue, key folder, identity, the old terminal.key).
// Started on the copy without a TPM, or with another TPM, the kiosk opens
// neither the queue nor the TLS key, and nothing on the copy is in clear;
// with the terminal's own TPM, restarted from its state (a reboot), the
// same copy opens and every submission is there to send.
func TestStolenDiskWithTPM(t *testing.T) {
	state := t.TempDir()
	own := keystoretest.Start(t, state)
	clock := kiosktest.NewClock(time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC))
	cfg := config.DefaultConfig()
	cfg.DataDir, cfg.QueueTPM = t.TempDir(), "off" // never the host's TPM
	cfg.BackOffice = enrolThenStop(t, &cfg)        // enrolled in clear, as the set-up does

	tm, log, err := keyParts(t, cfg, own.TPM(), clock)
	if err != nil {
		t.Fatal(err)
	}
	if tm.KeysAtRest() != "tpm" || tm.client == nil || !strings.Contains(log.String(), "sealed by the TPM") {
		t.Fatalf("keys %q, uplink %v; log:\n%s", tm.KeysAtRest(), tm.client != nil, log)
	}
	var secrets []string
	for i := range 3 {
		s, err := tm.queue.Add(context.Background(), kiosktest.Submission(i, "", "", cfg.Terminal, clock.Now()))
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, s.Applicant.Number, s.Applicant.Name, s.Answers["phone"])
	}
	closeParts(tm)

	stolen := copyDisk(t, cfg.DataDir)
	if hits := grepDisk(t, stolen, append(secrets, "PRIVATE KEY", "sm2-private:", "\nv1 ")...); len(hits) > 0 {
		t.Errorf("the stolen disk holds in clear: %v", hits)
	}
	thiefCfg := cfg
	thiefCfg.DataDir = stolen
	other := keystoretest.Start(t, t.TempDir())
	for name, tpm := range map[string]keystore.Sealer{"no TPM": nil, "another TPM": other.TPM()} {
		_, log, err := keyParts(t, thiefCfg, tpm, clock)
		if err == nil || !strings.Contains(err.Error(), "do not open") {
			t.Errorf("%s: the kiosk started on the stolen disk: %v", name, err)
		}
		if !strings.Contains(log.String(), "no queue key opens") {
			t.Errorf("%s: the log does not say why:\n%s", name, log)
		}
		if _, err := uplink.LoadIdentityWith(filepath.Join(stolen, "identity"), sealerOrNil(tpm)); err == nil {
			t.Errorf("%s: the TLS key of the stolen disk loads: the thief can act as the terminal", name)
		}
		// The thief's own tools: the old terminal key is on the disk, the
		// epoch keys too, and still no record opens.
		legacy, _ := outbox.LoadKey(filepath.Join(stolen, "terminal.key"))
		keys, err := keystore.Open(filepath.Join(stolen, keystore.DirName), keystore.Options{Sealer: tpm, Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := outbox.VerifyEpochs(filepath.Join(stolen, "queue.db"), legacy, keys)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Problems) != 3 {
			t.Errorf("%s: %d of 3 records refused (%v): the rest opened", name, len(rep.Problems), rep.Problems)
		}
	}
	// The stolen-disk refusals left the copy as it was: the terminal's
	// own TPM, after a reboot, opens it whole.
	own.Stop()
	again := keystoretest.Start(t, state)
	back, log, err := keyParts(t, thiefCfg, again.TPM(), clock)
	if err != nil {
		t.Fatalf("the terminal's own TPM: %v\n%s", err, log)
	}
	if back.client == nil {
		t.Errorf("the identity did not load with the terminal's TPM:\n%s", log)
	}
	batch, err := back.queue.NextBatch(10)
	if err != nil || len(batch) != 3 {
		t.Fatalf("the queue with the terminal's TPM: %d submissions, %v", len(batch), err)
	}
	for i, s := range batch {
		if s.Applicant.Number != secrets[3*i] {
			t.Errorf("submission %d: the number does not match what was queued", i)
		}
	}
}

func sealerOrNil(s keystore.Sealer) uplink.KeySealer {
	if s == nil {
		return nil
	}
	return keystore.Envelope{Sealer: s}
}

// TestNoTPMSaysSo: without a TPM the kiosk works as before, keys in
// files, and says so in the log and to the technician; the same copy of
// the disk then opens (README, "At rest").
func TestNoTPMSaysSo(t *testing.T) {
	clock := kiosktest.NewClock(time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC))
	cfg := config.DefaultConfig()
	cfg.DataDir, cfg.QueueTPM = t.TempDir(), "off"
	tm, log, err := keyParts(t, cfg, nil, clock)
	if err != nil {
		t.Fatal(err)
	}
	if tm.KeysAtRest() != "files" || !strings.Contains(log.String(), "no TPM") {
		t.Errorf("keys %q; log:\n%s", tm.KeysAtRest(), log)
	}
	if got := tm.TechnicianSources(nil).KeysAtRest(); got != "files" {
		t.Errorf("diagnostics say %q", got)
	}
	s, err := tm.queue.Add(context.Background(), kiosktest.Submission(1, "", "", cfg.Terminal, clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	closeParts(tm)
	stolen := copyDisk(t, cfg.DataDir)
	keys, _ := keystore.Open(filepath.Join(stolen, keystore.DirName), keystore.Options{Now: clock.Now})
	rep, err := outbox.VerifyEpochs(filepath.Join(stolen, "queue.db"), nil, keys)
	if err != nil || !rep.OK() || rep.Entries != 1 {
		t.Errorf("without a TPM the copy should open (that is what is documented): %+v %v; %s", rep, err, s.ID)
	}
}

// TestEpochShreddedAfterAckWithTPM: day 1's submissions are acknowledged;
// after the grace and once day 2's epoch has begun, the purge shreds day
// 1's key (in the TPM's NV memory). An image of the whole data folder
// taken on day 1, key folder included, then opens none of day 1's
// submissions, even brought back to the same terminal and its TPM.
func TestEpochShreddedAfterAckWithTPM(t *testing.T) {
	clock := kiosktest.NewClock(time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC))
	cfg := config.DefaultConfig()
	cfg.DataDir, cfg.QueueTPM, cfg.Retention = t.TempDir(), "off", 10*time.Minute
	tpm := keystoretest.Start(t, t.TempDir()).TPM() // its NV slots are this test's only
	tm, _, err := keyParts(t, cfg, tpm, clock)
	if err != nil {
		t.Fatal(err)
	}
	var day1 []kiosk.Submission
	for i := range 3 {
		s, err := tm.queue.Add(context.Background(), kiosktest.Submission(i, "", "", cfg.Terminal, clock.Now()))
		if err != nil {
			t.Fatal(err)
		}
		day1 = append(day1, s)
	}
	keyDir := filepath.Join(cfg.DataDir, keystore.DirName)
	epoch1, _ := os.ReadFile(filepath.Join(keyDir, "epoch-00000001.key"))
	if !bytes.HasPrefix(epoch1, []byte("v1n ")) {
		t.Fatalf("day 1's key is not in the TPM: %.8q", epoch1)
	}
	image := copyDisk(t, cfg.DataDir) // queue, key folder and all

	// Day 1 acknowledged but within the grace, day 2 begun: nothing is
	// shredded yet (an outage that lasts keeps its keys).
	for i, s := range day1[:2] {
		if err := tm.queue.Acknowledge(s.ID, "SQ-TEST-"+string(rune('A'+i))); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(25 * time.Hour)
	if _, err := tm.queue.Add(context.Background(), kiosktest.Submission(9, "", "", cfg.Terminal, clock.Now())); err != nil {
		t.Fatal(err)
	}
	if _, err := tm.queue.Purge(clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(keyDir, "epoch-00000001.key")); err != nil {
		t.Fatalf("day 1's key went while one of its submissions still waited: %v", err)
	}
	// The last one acknowledged; after the grace the key goes.
	if err := tm.queue.Acknowledge(day1[2].ID, "SQ-TEST-C"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(cfg.Retention)
	if _, err := tm.queue.Purge(clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(keyDir, "epoch-00000001.key")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("day 1's key was not shredded: %v", err)
	}
	t.Logf("shredded: epoch 1, a %d-byte key file naming its TPM slot, and the 16-byte key in the TPM; %d submissions of it unreadable anywhere", len(epoch1), len(day1))
	keys, err := keystore.Open(filepath.Join(image, keystore.DirName), keystore.Options{Sealer: tpm, Vault: tpm, Now: clock.Now, LeaveAsIs: true})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := outbox.VerifyEpochs(filepath.Join(image, "queue.db"), nil, keys)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 3 {
		t.Errorf("the day-1 image on the same TPM: %d of 3 records refused: %v", len(rep.Problems), rep.Problems)
	}
	for _, p := range rep.Problems {
		if !strings.Contains(p, "shredded") {
			t.Errorf("refused for another reason than the shred: %s", p)
		}
	}
}
