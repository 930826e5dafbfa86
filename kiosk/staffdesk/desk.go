package staffdesk

import (
	"context"
	"errors"
	"sort"
	"sync"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/hardware"
	"github.com/tongban/tongban/kiosk/outbox"
)

// SimulatedCode opens the staff menu of a simulated terminal only; a real
// terminal's code comes from staff.code_sha256 in its configuration.
const SimulatedCode = "246810"

// Devices is the device manager's latest snapshot.
type Devices interface {
	Snapshot() hardware.Snapshot
}

// Printer reprints and prints the self-test page.
type Printer interface {
	Failed() []hardware.PrintJob
	Jobs() []hardware.PrintJob
	Reprint(ctx context.Context, id string) error
	PrintReceipt(ctx context.Context, r kiosk.Receipt) error
	PrintSelfTest(ctx context.Context, s kiosk.SelfTest) error
}

// Receipts are the receipts the queue still records as not printed whole
// (kiosk/outbox Unprinted): a kiosk killed or stopped while printing
// forgets its print jobs, the queue does not.
type Receipts interface {
	Unprinted() ([]outbox.Entry, error)
	// Receipt rebuilds the receipt of a stored submission.
	Receipt(e outbox.Entry) (kiosk.Receipt, error)
}

// Queue is what staff see and do of the offline queue.
type Queue interface {
	Stats() (outbox.Stats, error)
	List() ([]outbox.Entry, error)
	Retry(id string) error
}

// Config wires a Desk. CodeSHA256 is the hex SHA-256 of the staff code;
// empty gives no staff menu, except on a simulated terminal, which then
// takes SimulatedCode.
type Config struct {
	// CodeHash is the staff code's salted slow hash (HashCode:
	// pbkdf2-sm3$ITER$SALT$HASH). CodeSHA256, the unsalted SHA-256 of
	// before, is refused: a 6-digit code falls to it in under a second.
	CodeHash   string
	CodeSHA256 string
	Simulated  bool
	CenterName string
	Terminal   string
	Version    string // the kiosk software's version
	Devices    Devices
	Printer    Printer
	Queue      Queue
	Receipts   Receipts // nil: only the print jobs of this run are listed
	// Catalog is the running catalog's version and where it came from
	// ("embedded", "bundle v3").
	Catalog func() (version, source string)
	Exit    func()
	Now     func() time.Time // nil: time.Now
	// Alarm raises an alarm to the back office (the kind is
	// api.AlarmStaffLockout's) when wrong codes lock the menu; nil: none.
	Alarm func(kind, detail string)

	// Badges lets staff sign in with their own badge and PIN
	// (CheckBadge); the roster comes from the configuration bundle
	// (SetStaff), Staff is the one installed at start. With badges, the
	// shared code (CodeHash) is deprecated: it still opens the menu where
	// it is configured, and the audit then says SharedCodeID.
	Badges bool
	Staff  []api.StaffCredential
	// Center is this terminal's centre: only its credentials are taken.
	Center string
	// Locks keeps the lockout across restarts; nil: in memory only.
	Locks LockStore
}

// Desk implements flow.StaffDesk.
type Desk struct {
	code    codeHash
	hasCode bool // a shared code is configured (deprecated with badges)
	cfg     Config

	mu    sync.Mutex
	lock  Lock
	staff map[string]person // by staff number
}

// Lockout escalation: every LockoutAfter wrong codes lock the menu, for
// the next of LockoutSteps (the last repeats), and raise an alarm.
const LockoutAfter = 3

// LockoutSteps are the lockout durations, one after another.
var LockoutSteps = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour}

var _ flow.StaffDesk = (*Desk)(nil)

// ErrNoCode is New's error when no staff code is configured: the terminal
// then has no staff menu, and stops only from the system.
var ErrNoCode = errors.New("staffdesk: no staff code configured (staff.code_hash)")

// ErrOldCodeHash refuses a configuration that still has only the unsalted
// SHA-256 of the staff code.
var ErrOldCodeHash = errors.New("staffdesk: staff.code_sha256 is no longer accepted (unsalted, fast); set staff.code_hash from kioskctl staff-hash")

// New returns the staff desk, or ErrNoCode.
func New(cfg Config) (*Desk, error) {
	var code codeHash
	hasCode := true
	switch {
	case cfg.CodeHash != "":
		c, err := parseCodeHash(cfg.CodeHash)
		if err != nil {
			return nil, err
		}
		code = c
	case cfg.CodeSHA256 != "":
		return nil, ErrOldCodeHash
	case cfg.Simulated:
		h, err := HashCode(SimulatedCode, 10_000)
		if err != nil {
			return nil, err
		}
		code, _ = parseCodeHash(h)
	case cfg.Badges:
		hasCode = false
	default:
		return nil, ErrNoCode
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Exit == nil {
		cfg.Exit = func() {}
	}
	d := &Desk{code: code, hasCode: hasCode, cfg: cfg}
	d.loadLock()
	if err := d.SetStaff(cfg.Staff); err != nil {
		return d, err
	}
	return d, nil
}

// Check tells whether code is the shared staff code, in constant time.
// While the menu is locked no code is taken, the right one neither; each
// LockoutAfter wrong tries (codes or badges) lock it for longer and raise
// an alarm. The shared code names nobody: it is deprecated once staff
// have badges, and refused where none is configured.
func (d *Desk) Check(code string) (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.cfg.Now()
	if now.Before(d.lock.Until) {
		return "", false
	}
	if !d.hasCode || !d.code.matches(code) {
		d.failed(now, "the shared code")
		return "", false
	}
	d.succeeded()
	if d.cfg.Badges {
		return SharedCodeID, true
	}
	return "staff", true
}

// LockedUntil is when the staff menu takes codes again (zero or past:
// now).
func (d *Desk) LockedUntil() time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.lock.Until
}

func (d *Desk) devices() []kiosk.DeviceStatus {
	snap := d.cfg.Devices.Snapshot()
	var ds []kiosk.DeviceStatus
	for _, s := range snap.Devices {
		ds = append(ds, s)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i].Kind < ds[j].Kind })
	return ds
}

// catalog is the catalog line: its version and where it came from.
func (d *Desk) catalog() (version, line string) {
	if d.cfg.Catalog == nil {
		return "", ""
	}
	v, src := d.cfg.Catalog()
	if src == "" {
		return v, v
	}
	return v, v + " · " + src
}

// Report is what the staff menu shows.
func (d *Desk) Report(ctx context.Context) flow.StaffReport {
	snap := d.cfg.Devices.Snapshot()
	_, line := d.catalog()
	r := flow.StaffReport{Devices: d.devices(), Terminal: snap.Terminal, BackOffice: snap.BackOffice,
		Unprinted: len(d.cfg.Printer.Failed()) + len(d.forgotten()), Catalog: line}
	if st, err := d.cfg.Queue.Stats(); err == nil {
		// What waits in a damaged queue file moved aside counts too: it is
		// not sent until a technician salvages it (kioskctl queue salvage).
		r.Pending, r.Quarantined = st.Pending+st.Sending+st.Stranded, st.Quarantined
	}
	return r
}

// forgotten are the queue's unprinted receipts that no print job of this
// run knows: those whose printing a kill or a stop cut short, or that
// never reached the printer.
func (d *Desk) forgotten() []outbox.Entry {
	if d.cfg.Receipts == nil {
		return nil
	}
	entries, err := d.cfg.Receipts.Unprinted()
	if err != nil {
		return nil
	}
	known := map[string]bool{}
	for _, j := range d.cfg.Printer.Jobs() {
		if j.Kind == hardware.JobReceipt {
			known[j.Label] = true
		}
	}
	var out []outbox.Entry
	for _, e := range entries {
		if !known[e.LocalReceipt] {
			out = append(out, e)
		}
	}
	return out
}

// Reprint prints again every receipt or ticket that did not print,
// including the receipts the queue records as unprinted from before a
// restart.
func (d *Desk) Reprint(ctx context.Context) (int, error) {
	n := 0
	for _, job := range d.cfg.Printer.Failed() {
		if err := d.cfg.Printer.Reprint(ctx, job.ID); err != nil {
			return n, err
		}
		n++
	}
	for _, e := range d.forgotten() {
		r, err := d.cfg.Receipts.Receipt(e)
		if err != nil {
			return n, err
		}
		if err := d.cfg.Printer.PrintReceipt(ctx, r); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// SelfTest prints the self-test page.
func (d *Desk) SelfTest(ctx context.Context) error {
	_, line := d.catalog()
	return d.cfg.Printer.PrintSelfTest(ctx, kiosk.SelfTest{
		CenterName: d.cfg.CenterName, Terminal: d.cfg.Terminal,
		Versions: []kiosk.Component{{Name: "Tongban", Version: d.cfg.Version}, {Name: "catalog", Version: line}},
		Devices:  d.devices(), PrintedAt: d.cfg.Now(), Lang: kiosk.LangZH,
	})
}

// RetryQuarantined puts the quarantined submissions back in the queue,
// except those the back office refused for their content: the same data
// would be refused again, so they stay quarantined with the reason.
func (d *Desk) RetryQuarantined(ctx context.Context) (int, error) {
	entries, err := d.cfg.Queue.List()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if e.State != kiosk.StateQuarantined || kiosk.RefusedForContent(e.Reason) {
			continue
		}
		if err := d.cfg.Queue.Retry(e.ID); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Exit stops the kiosk.
func (d *Desk) Exit() { d.cfg.Exit() }
