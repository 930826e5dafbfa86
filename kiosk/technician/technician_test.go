package technician

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/outbox"
	"github.com/tongban/tongban/kiosk/provision"
	"github.com/tongban/tongban/kiosk/staffdesk"
)

// recorder is a hand-written Auditor that keeps what it is given.
type recorder struct {
	events []audit.Event
	fail   error
}

func (r *recorder) Append(ev audit.Event) error {
	if r.fail != nil {
		return r.fail
	}
	r.events = append(r.events, ev)
	return nil
}

func openQueue(t *testing.T, now time.Time) *outbox.Outbox {
	t.Helper()
	q, _, err := outbox.Open(filepath.Join(t.TempDir(), "queue.db"), outbox.Options{Key: bytes.Repeat([]byte{3}, outbox.KeySize), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	return q
}

// enqueue puts n synthetic residents' submissions in q and returns them.
func enqueue(t *testing.T, q *outbox.Outbox, n int, now time.Time) []kiosk.Submission {
	t.Helper()
	var out []kiosk.Submission
	for i := range n {
		s := kiosktest.Submission(i+1, "", "", "CS0101", now)
		got, err := q.Add(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, got)
	}
	return out
}

// The exported bundle carries the counts and states a technician needs
// and none of the residents whose submissions wait in the queue, even when
// a device's status text leaks a name and an ID number.
func TestDiagnosticsBundleHoldsNoPersonalData(t *testing.T) {
	now := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	q := openQueue(t, now.Add(-time.Hour))
	subs := enqueue(t, q, 3, now.Add(-time.Hour))
	elder := kiosktest.Elder()
	leak := "读卡失败 姓名：" + elder.Name + " " + elder.Number + " 手机 13800012345"
	d := Collect(context.Background(), Sources{
		Center: "CS01", Terminal: "CS0101",
		Versions: func() []kiosk.Component {
			return []kiosk.Component{{Name: "Tongban", Version: "1.4.0"}, {Name: "catalog", Version: "2026-12-01"}}
		},
		Devices: func() []kiosk.DeviceStatus {
			return []kiosk.DeviceStatus{
				{Kind: kiosk.DeviceIDReader, State: kiosk.DeviceHardwareError, Detail: leak},
				{Kind: kiosk.DevicePrinter, State: kiosk.DeviceOnline, Paper: kiosk.PaperLow},
			}
		},
		Found: func() []Finding {
			return []Finding{{Port: portAt("/dev/ttyUSB0", "0400", "c35a", "SAM42"), Kind: kiosk.DeviceIDReader}}
		},
		Assigned: func() Assignment { return Assignment{kiosk.DeviceIDReader: "/dev/ttyUSB0"} },
		Queue:    q,
		LastSync: func() time.Time { return now.Add(-10 * time.Minute) },
		Net: func(context.Context) NetResult {
			return NetResult{Reachable: true, SkewKnown: true, Skew: 3 * time.Second}
		},
		DataDir:    t.TempDir(),
		Now:        func() time.Time { return now },
		KeysAtRest: func() string { return "tpm /dev/tpmrm0" },
	})
	stick := t.TempDir()
	path, err := Export(stick, d)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "tongban-diag-CS0101-20261205T090000Z.json" {
		t.Errorf("file %s", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bundle := string(data)
	for _, want := range []string{`"waiting": 3`, `"usb_id": "0400:c35a"`, `"Version": "1.4.0"`, `"clock_skew_seconds": 3`, `"free_bytes"`, `"paper": "low"`, `"last_sync": "2026-12-05T08:50:00Z"`, `"keys_at_rest": "tpm /dev/tpmrm0"`} {
		if !strings.Contains(bundle, want) {
			t.Errorf("the bundle lacks %s:\n%s", want, bundle)
		}
	}
	var identities []string
	for _, s := range subs {
		identities = append(identities, s.Applicant.Name, s.Applicant.Number, s.Applicant.Address, s.Answers["phone"])
	}
	identities = append(identities, elder.Name, elder.Number, "13800012345")
	for _, who := range identities {
		if strings.Contains(bundle, who) {
			t.Errorf("the bundle holds %q", who)
		}
	}
	if _, err := Export(filepath.Join(stick, "no-such-mount"), d); !errors.Is(err, ErrNoStick) {
		t.Errorf("export with no stick: %v", err)
	}
}

func portAt(path, vid, pid, serial string) (p serialport.Port) {
	p.Path, p.IsUSB, p.VID, p.PID, p.SerialNumber = path, true, vid, pid, serial
	return p
}

// A reset while submissions wait is refused with the count and what to
// do; so is one whose confirmation is mistyped; once the queue is empty the
// typed confirmation resets the terminal to its set-up, and every attempt
// is in the audit trail.
func TestResetRefusedWhileQueued(t *testing.T) {
	now := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	q := openQueue(t, now)
	subs := enqueue(t, q, 2, now)
	data := t.TempDir()
	for _, name := range []string{provision.ConfigName, "identity/terminal.pem"} {
		os.MkdirAll(filepath.Dir(filepath.Join(data, name)), 0o700)
		if err := os.WriteFile(filepath.Join(data, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	rec := &recorder{}
	r := Reset{DataDir: data, Terminal: "CS0101", Queue: q, Audit: rec, Actor: "technician"}

	var qe QueuedError
	if err := r.Run("RESET CS0101"); !errors.As(err, &qe) || qe.Waiting != 2 || !strings.Contains(err.Error(), "2 submissions") || !strings.Contains(err.Error(), "wait until none wait") {
		t.Fatalf("reset with two queued: %v", err)
	}
	batch, err := q.NextBatch(10)
	if err != nil || len(batch) != 2 {
		t.Fatalf("batch %d, %v", len(batch), err)
	}
	if err := q.Acknowledge(subs[0].ID, "OFF-1"); err != nil {
		t.Fatal(err)
	}
	if err := r.Run("RESET CS0101"); !errors.As(err, &qe) || qe.Total() != 1 {
		t.Fatalf("reset with one being sent: %v", err)
	}
	if err := q.Quarantine(subs[1].ID, "refused by the back office"); err != nil {
		t.Fatal(err)
	}
	if err := r.Run("RESET CS0101"); !errors.As(err, &qe) || qe.Quarantined != 1 || !strings.Contains(err.Error(), "resolve") {
		t.Fatalf("reset with one set aside: %v", err)
	}
	if !provision.Provisioned(data) {
		t.Fatal("a refused reset removed the configuration")
	}
	// An empty queue, but the confirmation mistyped.
	empty := openQueue(t, now)
	r.Queue = empty
	if err := r.Run("RESET CS0102"); !errors.Is(err, ErrConfirmation) {
		t.Fatalf("mistyped confirmation: %v", err)
	}
	if err := r.Run(" RESET CS0101 "); err != nil {
		t.Fatalf("reset: %v", err)
	}
	if provision.Provisioned(data) {
		t.Fatal("still configured after the reset")
	}
	if _, err := os.Stat(filepath.Join(data, "identity")); !os.IsNotExist(err) {
		t.Fatalf("identity kept: %v", err)
	}
	var details []string
	for _, ev := range rec.events {
		if ev.Kind != audit.TechnicianAction || ev.Actor != "technician" {
			t.Errorf("event %+v", ev)
		}
		details = append(details, ev.Detail)
	}
	want := "reset refused: 2 submissions not yet at the back office|reset refused: 1 submissions not yet at the back office|reset refused: 1 submissions not yet at the back office|reset refused: " + ErrConfirmation.Error() + "|reset"
	if got := strings.Join(details, "|"); got != want {
		t.Errorf("audit:\n%s\nwant\n%s", got, want)
	}
}

// The technician's code opens technician mode and the staff code does not,
// even if someone set both to the same code; wrong codes in a row shut the
// gate for a while, and every attempt is recorded.
func TestGateTechnicianCode(t *testing.T) {
	techHash, _ := staffdesk.HashCode("tech-246810", 10_000)
	staffHash, _ := staffdesk.HashCode("135790", 10_000)
	cred, err := NewSecretHash(techHash, staffHash)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewSecretHash(staffHash, staffHash); !errors.Is(err, ErrStaffCode) {
		t.Errorf("the staff hash as the technician's: %v", err)
	}
	if _, err := NewSecretHash("", staffHash); err == nil {
		t.Error("no technician code accepted")
	}
	now := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	rec := &recorder{}
	g := &Gate{Cred: cred, Audit: rec, Now: func() time.Time { return now }, MaxTries: 3, Lockout: time.Minute}
	ctx := context.Background()
	for i, code := range []string{"135790", "000000", "tech-246811"} {
		_, err := g.Login(ctx, code)
		if err == nil {
			t.Fatalf("%q opened technician mode", code)
		}
		// The third wrong code shuts the gate and says so at once.
		if locks := errors.As(err, new(LockedError)); locks != (i == 2) {
			t.Fatalf("wrong code %d: %v", i+1, err)
		}
	}
	if _, err := g.Login(ctx, "tech-246810"); !errors.As(err, new(LockedError)) {
		t.Fatalf("the right code while locked: %v", err)
	}
	now = now.Add(61 * time.Second)
	actor, err := g.Login(ctx, "tech-246810")
	if err != nil || actor != "technician" {
		t.Fatalf("login: %q, %v", actor, err)
	}
	var got []string
	for _, ev := range rec.events {
		got = append(got, string(ev.Kind)+" "+ev.Detail)
	}
	want := "technician.login refused: the staff code was tried|technician.login refused: wrong code|technician.login refused: wrong code; locked|technician.login refused: locked|technician.login "
	if strings.Join(got, "|") != want {
		t.Errorf("audit %q", strings.Join(got, "|"))
	}
	// A login the audit trail cannot record does not open technician mode.
	rec.fail = errors.New("disk full")
	if _, err := g.Login(ctx, "tech-246810"); err == nil {
		t.Error("an unrecorded login opened technician mode")
	}
	// Same code for both: refused as the staff code.
	both, _ := staffdesk.HashCode("135790", 10_000)
	c2, _ := NewSecretHash(both, staffHash)
	if _, err := c2.Check(ctx, "135790"); !errors.Is(err, ErrStaffCode) {
		t.Errorf("the staff code as the technician's: %v", err)
	}
}
