package staffdesk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/hardware"
	"github.com/tongban/tongban/kiosk/outbox"
)

type fakeDevices struct{ snap hardware.Snapshot }

func (f fakeDevices) Snapshot() hardware.Snapshot { return f.snap }

// fakePrinter keeps jobs as the hardware printer does: failed ones, and
// every receipt it was asked to print (failing when broken).
type fakePrinter struct {
	failed []hardware.PrintJob
	jobs   []hardware.PrintJob
	broken bool
}

func (f *fakePrinter) Failed() []hardware.PrintJob { return f.failed }
func (f *fakePrinter) Jobs() []hardware.PrintJob   { return append(f.jobs, f.failed...) }
func (f *fakePrinter) PrintReceipt(ctx context.Context, r kiosk.Receipt) error {
	j := hardware.PrintJob{ID: fmt.Sprintf("P%d", len(f.jobs)+len(f.failed)+1), Kind: hardware.JobReceipt, Label: r.LocalReceipt}
	if f.broken {
		f.failed = append(f.failed, j)
		return errors.New("paper out")
	}
	j.Printed = true
	f.jobs = append(f.jobs, j)
	return nil
}
func (f *fakePrinter) Reprint(ctx context.Context, id string) error {
	for i, j := range f.failed {
		if j.ID == id {
			if f.broken {
				return errors.New("paper out")
			}
			f.failed = append(f.failed[:i], f.failed[i+1:]...)
			j.Printed = true
			f.jobs = append(f.jobs, j)
			return nil
		}
	}
	return errors.New("no such job")
}
func (f *fakePrinter) PrintSelfTest(ctx context.Context, s kiosk.SelfTest) error { return nil }

type fakeQueue struct {
	entries  []outbox.Entry
	retried  []string
	stranded int // waiting in a damaged file moved aside
}

func (q *fakeQueue) Stats() (outbox.Stats, error) {
	st := outbox.Stats{Stranded: q.stranded}
	for _, e := range q.entries {
		switch e.State {
		case kiosk.StatePending:
			st.Pending++
		case kiosk.StateQuarantined:
			st.Quarantined++
		}
	}
	return st, nil
}
func (q *fakeQueue) List() ([]outbox.Entry, error) { return q.entries, nil }
func (q *fakeQueue) Retry(id string) error         { q.retried = append(q.retried, id); return nil }

func hashOf(code string) string {
	s := sha256.Sum256([]byte(code))
	return hex.EncodeToString(s[:])
}

func TestStaffCode(t *testing.T) {
	slow, err := HashCode("135790", 10_000)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := HashCode("135790", 10_000)
	if slow == again {
		t.Fatal("two hashes of one code are equal: no salt")
	}
	tests := []struct {
		name      string
		hash, old string
		simulated bool
		good, bad string // a code that opens, one that does not ("" none)
		noDesk    error
	}{
		{"real terminal without a code: no staff menu", "", "", false, "", "", ErrNoCode},
		{"simulated terminal without a code", "", "", true, SimulatedCode, "000000", nil},
		{"configured code", slow, "", false, "135790", SimulatedCode, nil},
		{"configured code on a simulated terminal wins", slow, "", true, "135790", SimulatedCode, nil},
		{"malformed hash: no staff menu", "12zz", "", false, "", "", ErrCodeHash},
		{"too few iterations", strings.Replace(slow, "$10000$", "$1000$", 1), "", false, "", "", ErrCodeHash},
		{"the old unsalted SHA-256 is refused", "", hashOf("135790"), false, "", "", ErrOldCodeHash},
		{"the old one on a simulated terminal too", "", hashOf("135790"), true, "", "", ErrOldCodeHash},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := New(Config{CodeHash: tt.hash, CodeSHA256: tt.old, Simulated: tt.simulated})
			if tt.noDesk != nil {
				if !errors.Is(err, tt.noDesk) {
					t.Fatalf("New = %v, %v; want %v", d, err, tt.noDesk)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := d.Check(tt.good); !ok {
				t.Errorf("code %q refused", tt.good)
			}
			if _, ok := d.Check(tt.bad); ok {
				t.Errorf("code %q accepted", tt.bad)
			}
		})
	}
}

func TestReportAndActions(t *testing.T) {
	q := &fakeQueue{entries: []outbox.Entry{
		{ID: "a", State: kiosk.StatePending}, {ID: "b", State: kiosk.StateQuarantined},
		{ID: "c", State: kiosk.StateAcknowledged}, {ID: "d", State: kiosk.StateQuarantined},
		// refused for its content: a retry would send the same rejected data
		{ID: "e", State: kiosk.StateQuarantined, Reason: kiosk.ReasonRefused + "holder_idno is not a valid resident ID number"},
	}}
	p := &fakePrinter{failed: []hardware.PrintJob{{ID: "j1"}, {ID: "j2"}}}
	snap := hardware.Snapshot{BackOffice: true, Devices: map[kiosk.DeviceKind]kiosk.DeviceStatus{
		kiosk.DevicePrinter: {Kind: kiosk.DevicePrinter}, kiosk.DeviceIDReader: {Kind: kiosk.DeviceIDReader}}}
	d, err := New(Config{Simulated: true, Devices: fakeDevices{snap}, Printer: p, Queue: q,
		Catalog: func() (string, string) { return "2026.07.01", "bundle v3" }})
	if err != nil {
		t.Fatal(err)
	}
	r := d.Report(context.Background())
	if r.Pending != 1 || r.Quarantined != 3 || r.Unprinted != 2 || !r.BackOffice || len(r.Devices) != 2 {
		t.Errorf("report %+v", r)
	}
	if r.Catalog != "2026.07.01 · bundle v3" {
		t.Errorf("catalog line %q, want the version and where it came from", r.Catalog)
	}
	if n, err := d.RetryQuarantined(context.Background()); n != 2 || err != nil || len(q.retried) != 2 || q.retried[0] != "b" || q.retried[1] != "d" {
		t.Errorf("retry: %d, %v, %v", n, err, q.retried)
	}
	if n, err := d.Reprint(context.Background()); n != 2 || err != nil || len(p.failed) != 0 {
		t.Errorf("reprint: %d, %v, left %d", n, err, len(p.failed))
	}
}

// TestReportCountsStrandedSubmissions: after a damaged queue file was
// moved aside the menu showed 0 waiting although the file held
// submissions never sent; they count as waiting until salvaged.
func TestReportCountsStrandedSubmissions(t *testing.T) {
	q := &fakeQueue{entries: []outbox.Entry{{ID: "a", State: kiosk.StatePending}}, stranded: 30}
	d, err := New(Config{Simulated: true, Devices: fakeDevices{hardware.Snapshot{}}, Printer: &fakePrinter{}, Queue: q,
		Catalog: func() (string, string) { return "v", "" }})
	if err != nil {
		t.Fatal(err)
	}
	if r := d.Report(context.Background()); r.Pending != 31 {
		t.Errorf("the menu counts %d waiting, want 31 (1 live + 30 in the moved-aside file)", r.Pending)
	}
}

// fakeReceipts is the queue's record of unprinted receipts.
type fakeReceipts struct{ unprinted []outbox.Entry }

func (f *fakeReceipts) Unprinted() ([]outbox.Entry, error) { return f.unprinted, nil }
func (f *fakeReceipts) Receipt(e outbox.Entry) (kiosk.Receipt, error) {
	return kiosk.Receipt{LocalReceipt: e.LocalReceipt, ItemName: e.ItemName}, nil
}

// TestReprintAfterRestart: receipts the queue records as unprinted, which
// no print job of this run knows (the kiosk was killed while printing),
// are listed and reprinted; those this run printed or holds as failed
// jobs are not counted twice; a printer failing half-way leaves the rest
// listed.
func TestReprintAfterRestart(t *testing.T) {
	rec := &fakeReceipts{unprinted: []outbox.Entry{
		{ID: "a", LocalReceipt: "T01-20260701-0001"}, // printing cut short by a kill
		{ID: "b", LocalReceipt: "T01-20260701-0002"}, // printed by this run, mark not yet seen
		{ID: "c", LocalReceipt: "T01-20260701-0003"}, // failed in this run: a failed job
		{ID: "d", LocalReceipt: "T01-20260701-0004"}, // never reached the printer
	}}
	p := &fakePrinter{
		jobs:   []hardware.PrintJob{{ID: "j1", Kind: hardware.JobReceipt, Label: "T01-20260701-0002", Printed: true}},
		failed: []hardware.PrintJob{{ID: "j2", Kind: hardware.JobReceipt, Label: "T01-20260701-0003"}},
		broken: true,
	}
	d, err := New(Config{Simulated: true, Devices: fakeDevices{hardware.Snapshot{}}, Printer: p, Queue: &fakeQueue{}, Receipts: rec})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if r := d.Report(ctx); r.Unprinted != 3 {
		t.Fatalf("the menu lists %d unprinted, want 3 (one failed job, two from before the restart)", r.Unprinted)
	}
	// The printer fails: nothing drops off the list.
	if n, err := d.Reprint(ctx); err == nil || n != 0 {
		t.Errorf("reprint with a broken printer: %d, %v; want 0 and an error", n, err)
	}
	if r := d.Report(ctx); r.Unprinted != 3 {
		t.Errorf("after the failed reprint the menu lists %d, want 3", r.Unprinted)
	}
	p.broken = false
	if n, err := d.Reprint(ctx); err != nil || n != 3 {
		t.Errorf("reprint: %d, %v; want 3", n, err)
	}
	var printed []string
	for _, j := range p.jobs {
		printed = append(printed, j.Label)
	}
	want := []string{"T01-20260701-0002", "T01-20260701-0003", "T01-20260701-0001", "T01-20260701-0004"}
	if fmt.Sprint(printed) != fmt.Sprint(want) {
		t.Errorf("printed %v, want %v", printed, want)
	}
	if r := d.Report(ctx); r.Unprinted != 0 {
		t.Errorf("after reprinting the menu still lists %d", r.Unprinted)
	}
}

// TestStaffLockoutEscalates: 30 wrong codes never open the menu; every 3
// lock it for longer, each raising an alarm; while locked the right code
// is refused too; after the lock it opens and the count starts again.
func TestStaffLockoutEscalates(t *testing.T) {
	now := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	var alarms []string
	d, err := New(Config{Simulated: true, Now: func() time.Time { return now }, Alarm: func(kind, detail string) { alarms = append(alarms, kind+": "+detail) }})
	if err != nil {
		t.Fatal(err)
	}
	var locks []time.Duration
	for i := 0; i < 30; i++ {
		if _, ok := d.Check("000000"); ok {
			t.Fatalf("wrong code %d opened the menu", i+1)
		}
		if until := d.LockedUntil(); until.After(now) {
			locks = append(locks, until.Sub(now))
			if _, ok := d.Check(SimulatedCode); ok {
				t.Fatalf("the right code opened a locked menu after %d wrong", i+1)
			}
			now = until
		}
	}
	want := []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 2 * time.Hour, 2 * time.Hour, 2 * time.Hour, 2 * time.Hour, 2 * time.Hour, 2 * time.Hour}
	if fmt.Sprint(locks) != fmt.Sprint(want) {
		t.Fatalf("lockouts %v, want %v", locks, want)
	}
	if len(alarms) != 10 || !strings.HasPrefix(alarms[0], "staff-lockout: 3 wrong") {
		t.Fatalf("alarms %q", alarms)
	}
	if who, ok := d.Check(SimulatedCode); !ok || who == "" {
		t.Fatal("the right code after the lock did not open the menu")
	}
	// The count starts again: two wrong codes do not lock.
	d.Check("1")
	d.Check("2")
	if d.LockedUntil().After(now) {
		t.Fatal("locked after 2 wrong codes following a right one")
	}
}
