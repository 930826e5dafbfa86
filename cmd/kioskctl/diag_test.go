package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/outbox"
	"github.com/tongban/tongban/kiosk/technician"
)

// kioskctl diag writes technician mode's diagnostics file from a shell:
// the queue counted (its waiting submission, never its resident: the file
// is searched for the synthetic applicant's every field), the devices'
// ports probed (gone here), the terminal not enrolled; then again while
// another process holds the queue, which the file names instead of
// failing. Each run is in the terminal's audit trail.
func TestDiagWritesTheBundleWithoutPersonalData(t *testing.T) {
	data, stick := t.TempDir(), t.TempDir()
	key, err := outbox.LoadOrCreateKey(filepath.Join(data, "terminal.key"))
	if err != nil {
		t.Fatal(err)
	}
	q, _, err := outbox.Open(filepath.Join(data, "queue.db"), outbox.Options{Key: key})
	if err != nil {
		t.Fatal(err)
	}
	sub := kiosktest.Submission(7, "", "", "XH0107", time.Now().Add(-15*time.Minute))
	if _, err := q.Add(context.Background(), sub); err != nil {
		t.Fatal(err)
	}
	q.Close()
	conf := filepath.Join(t.TempDir(), "kiosk.conf")
	gone := filepath.Join(t.TempDir(), "ttyGONE")
	if err := os.WriteFile(conf, []byte("center.name = 测试中心\ncenter.code = XH01\nterminal.code = XH0107\nbackoffice.url = https://127.0.0.1:1\n"+
		"idreader.port = "+gone+"\nprinter.port = "+gone+"\nscanner.port = "+gone+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	out, err := kioskctl(t, "diag", "-data", data, "-config", conf, "-out", stick)
	if err != nil {
		t.Fatalf("diag: %v\n%s", err, out)
	}
	path := strings.TrimSpace(out)
	if filepath.Dir(path) != stick || !strings.HasPrefix(filepath.Base(path), "tongban-diag-XH0107-") {
		t.Fatalf("diag wrote %q", path)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a := sub.Applicant
	for _, personal := range []string{a.Name, a.Number, a.Address, a.Issuer} {
		if personal != "" && bytes.Contains(raw, []byte(personal)) {
			t.Errorf("the bundle holds the applicant's %q", personal)
		}
	}
	for _, v := range sub.Answers {
		if len([]rune(v)) > 2 && bytes.Contains(raw, []byte(v)) {
			t.Errorf("the bundle holds the form's %q", v)
		}
	}
	var d struct {
		Format string `json:"format"`
		technician.Diagnostics
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("the bundle is not the screen's format: %v\n%s", err, raw)
	}
	if d.Format != "tongban-diagnostics/1" || d.Terminal != "XH0107" || d.Queue.Waiting != 1 || d.Queue.OldestWaiting.IsZero() {
		t.Errorf("bundle: %+v", d)
	}
	if d.BackOffice.Problem != technician.ProblemNotEnrolled || len(d.Devices) != 3 || d.Devices[0].State != "no-device" || d.Devices[0].Port != gone {
		t.Errorf("back office %+v, devices %+v", d.BackOffice, d.Devices)
	}

	// The running kiosk holds the queue: the file says so, and is written.
	held, _, err := outbox.Open(filepath.Join(data, "queue.db"), outbox.Options{Key: key})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	time.Sleep(time.Second) // a second file name
	out, err = kioskctl(t, "diag", "-data", data, "-config", conf, "-out", stick)
	if err != nil {
		t.Fatalf("diag with the queue held: %v\n%s", err, out)
	}
	raw, _ = os.ReadFile(strings.TrimSpace(out))
	if !bytes.Contains(raw, []byte("the running kiosk may hold it")) {
		t.Errorf("the held queue is not named:\n%s", raw)
	}
	audit, _ := os.ReadFile(filepath.Join(data, "audit.log"))
	if n := bytes.Count(audit, []byte(`"ref":"kioskctl diag"`)); n != 2 {
		t.Errorf("%d diag runs in the audit trail, want 2:\n%s", n, audit)
	}
}

func TestTechHash(t *testing.T) {
	var out bytes.Buffer
	if err := technicianCode.print(strings.NewReader("tech-2468-x\n"), &out); err != nil {
		t.Fatal(err)
	}
	h, ok := strings.CutPrefix(strings.TrimSpace(out.String()), "technician.code_hash = ")
	if !ok {
		t.Fatalf("printed %q", out.String())
	}
	cred, err := technician.NewSecretHash(h, "")
	if err != nil {
		t.Fatalf("the printed hash does not configure technician mode: %v", err)
	}
	if _, err := cred.Check(context.Background(), "tech-2468-x"); err != nil {
		t.Errorf("the code does not open technician mode: %v", err)
	}
	if err := technicianCode.print(strings.NewReader("short\n"), &out); err == nil {
		t.Error("a 5-character code was hashed")
	}
}
