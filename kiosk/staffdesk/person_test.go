package staffdesk

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/api"
)

// credential issues a synthetic credential the way the console does.
func credential(t *testing.T, number, center, secret, pin string) api.StaffCredential {
	t.Helper()
	h, err := HashCode(pin, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(secret))
	return api.StaffCredential{Number: number, Name: "测试甲", Center: center, BadgeSHA256: hex.EncodeToString(sum[:]), PINHash: h}
}

const (
	secretA = "0123456789abcdef0123456789abcdef"
	secretB = "fedcba9876543210fedcba9876543210"
)

func TestCheckBadge(t *testing.T) {
	a := credential(t, "S0042", "XH01", secretA, "482916")
	b := credential(t, "S0043", "XH01", secretB, "771203")
	other := credential(t, "S0099", "PD02", secretB, "771203")
	d, err := New(Config{Badges: true, Center: "XH01", Staff: []api.StaffCredential{a, b, other}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, number, secret, pin string
		want                      string // "" refused
	}{
		{"right badge and PIN", "S0042", secretA, "482916", "S0042"},
		{"second person", "S0043", secretB, "771203", "S0043"},
		{"wrong PIN", "S0042", secretA, "482917", ""},
		{"someone else's PIN", "S0042", secretA, "771203", ""},
		{"forged badge: right number, made-up secret", "S0042", secretB, "482916", ""},
		{"unknown staff number", "S7777", secretA, "482916", ""},
		{"another centre's badge", "S0099", secretB, "771203", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d.lock = Lock{} // each case alone; the sequence is TestLockoutSequence's
			got, ok := d.CheckBadge(tt.number, tt.secret, tt.pin)
			if ok != (tt.want != "") || got != tt.want {
				t.Fatalf("CheckBadge = %q, %v; want %q", got, ok, tt.want)
			}
		})
	}
	if _, ok := d.Check(SimulatedCode); ok {
		t.Fatal("a terminal with badges and no shared code took a shared code")
	}
}

// TestRevokedAfterNextBundle: a badge that works stops working once the
// next configuration bundle marks it revoked, or leaves it out.
func TestRevokedAfterNextBundle(t *testing.T) {
	a := credential(t, "S0042", "XH01", secretA, "482916")
	b := credential(t, "S0043", "XH01", secretB, "771203")
	d, err := New(Config{Badges: true, Center: "XH01", Staff: []api.StaffCredential{a, b}})
	if err != nil {
		t.Fatal(err)
	}
	if id, ok := d.CheckBadge("S0042", secretA, "482916"); !ok || id != "S0042" {
		t.Fatalf("before revocation: %q, %v", id, ok)
	}
	revoked := a
	revoked.Revoked = true
	if err := d.SetStaff([]api.StaffCredential{revoked, b}); err != nil {
		t.Fatal(err)
	}
	if _, ok := d.CheckBadge("S0042", secretA, "482916"); ok {
		t.Fatal("revoked badge still opens the staff menu")
	}
	if id, ok := d.CheckBadge("S0043", secretB, "771203"); !ok || id != "S0043" {
		t.Fatalf("the other badge stopped working: %q, %v", id, ok)
	}
	if err := d.SetStaff([]api.StaffCredential{a}); err != nil { // S0043 left out
		t.Fatal(err)
	}
	if _, ok := d.CheckBadge("S0043", secretB, "771203"); ok {
		t.Fatal("a badge left out of the bundle still opens the staff menu")
	}
}

func TestSetStaffSkipsMalformed(t *testing.T) {
	a := credential(t, "S0042", "XH01", secretA, "482916")
	bad := a
	bad.Number, bad.PINHash = "S0050", "sha256$x"
	d, err := New(Config{Badges: true, Center: "XH01"})
	if err != nil {
		t.Fatal(err)
	}
	err = d.SetStaff([]api.StaffCredential{bad, a})
	if err == nil || !strings.Contains(err.Error(), "S0050") {
		t.Fatalf("SetStaff = %v; want an error naming S0050", err)
	}
	if _, ok := d.CheckBadge("S0042", secretA, "482916"); !ok {
		t.Fatal("one malformed credential locked the others out")
	}
}

// TestSharedCodeDeprecated: the shared code opens only where configured,
// and then the audit says it was the shared code, not a person.
func TestSharedCodeDeprecated(t *testing.T) {
	h, err := HashCode("135790", 10_000)
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(Config{Badges: true, CodeHash: h})
	if err != nil {
		t.Fatal(err)
	}
	if id, ok := d.Check("135790"); !ok || id != SharedCodeID {
		t.Fatalf("Check = %q, %v; want %q", id, ok, SharedCodeID)
	}
}

// TestLockoutSequence: wrong, wrong, wrong locks for a minute (alarm);
// a right badge is refused while locked; after the minute, three more
// wrong lock for longer; a restart in between keeps the count and the
// lock; a right badge after the lock clears it.
func TestLockoutSequence(t *testing.T) {
	a := credential(t, "S0042", "XH01", secretA, "482916")
	now := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	var alarms []string
	locks := LockFile(filepath.Join(t.TempDir(), "staff-lock.json"))
	open := func() *Desk {
		d, err := New(Config{Badges: true, Center: "XH01", Staff: []api.StaffCredential{a}, Locks: locks,
			Now: func() time.Time { return now }, Alarm: func(kind, detail string) { alarms = append(alarms, detail) }})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	d := open()
	type step struct {
		wait      time.Duration
		restart   bool
		pin       string
		wantOK    bool
		wantLock  time.Duration // the lock left after the step (0: none)
		wantAlarm int           // alarms so far
	}
	wrong, right := "000000", "482916"
	steps := []step{
		{pin: wrong}, {pin: wrong},
		{pin: wrong, wantLock: time.Minute, wantAlarm: 1},
		{pin: right, wantLock: time.Minute, wantAlarm: 1},                                             // locked: even the right PIN
		{wait: 30 * time.Second, restart: true, pin: right, wantLock: 30 * time.Second, wantAlarm: 1}, // the restart kept the lock
		{wait: 30 * time.Second, pin: wrong, wantAlarm: 1},
		{pin: wrong, wantAlarm: 1},
		{restart: true, pin: wrong, wantLock: 5 * time.Minute, wantAlarm: 2}, // the restart kept the count: longer
		{wait: 5 * time.Minute, pin: right, wantOK: true, wantAlarm: 2},
		{pin: wrong, wantAlarm: 2}, {pin: wrong, wantAlarm: 2},
		{pin: wrong, wantLock: time.Minute, wantAlarm: 3}, // a right PIN started the escalation again
	}
	for i, s := range steps {
		now = now.Add(s.wait)
		if s.restart {
			d = open()
		}
		_, ok := d.CheckBadge("S0042", secretA, s.pin)
		left := max(d.LockedUntil().Sub(now), 0)
		if ok != s.wantOK || left != s.wantLock || len(alarms) != s.wantAlarm {
			t.Fatalf("step %d: ok %v, locked %s, %d alarms; want %v, %s, %d", i, ok, left, len(alarms), s.wantOK, s.wantLock, s.wantAlarm)
		}
	}
	if !strings.Contains(alarms[1], "badge S0042") || strings.Contains(alarms[1], wrong) {
		t.Fatalf("alarm %q should name the badge tried and never the PIN", alarms[1])
	}
}

// TestDamagedLockFileLocks: a lockout record that cannot be read locks
// the menu (closed, not open) and raises an alarm.
func TestDamagedLockFileLocks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "staff-lock.json")
	if err := os.WriteFile(path, []byte("{garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	var alarms int
	d, err := New(Config{Simulated: true, Locks: LockFile(path), Now: func() time.Time { return now }, Alarm: func(string, string) { alarms++ }})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := d.Check(SimulatedCode); ok || alarms != 1 {
		t.Fatalf("damaged lock file: code taken %v, %d alarms; want refused and 1 alarm", ok, alarms)
	}
	now = now.Add(LockoutSteps[0])
	if _, ok := d.Check(SimulatedCode); !ok {
		t.Fatal("still locked after the first lockout step")
	}
}

// FuzzSetStaff: whatever the staff section of a configuration bundle
// holds, SetStaff never panics, and every credential it keeps has a
// well-formed staff number, badge hash and PIN hash.
func FuzzSetStaff(f *testing.F) {
	f.Add([]byte(`[{"number":"S0042","center":"XH01","badge_sha256":"` + strings.Repeat("ab", 32) + `","pin_hash":"pbkdf2-sm3$10000$` + strings.Repeat("00", 16) + `$` + strings.Repeat("11", 32) + `"}]`))
	f.Add([]byte(`[{"number":"s 42","center":"XH01","badge_sha256":"zz","pin_hash":"pbkdf2-sm3$1$$"}]`))
	f.Add([]byte(`[{"number":"S0042","revoked":true}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var creds []api.StaffCredential
		if json.Unmarshal(b, &creds) != nil {
			return
		}
		d, _ := New(Config{Badges: true, Center: "XH01"})
		_ = d.SetStaff(creds)
		for n, p := range d.staff {
			if !staffNumberPattern.MatchString(n) || len(p.badge) != sha256.Size || p.pin.iter < 10_000 || len(p.pin.hash) != 32 {
				t.Fatalf("kept a malformed credential %q: %+v", n, p)
			}
		}
	})
}
