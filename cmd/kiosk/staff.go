package main

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"github.com/tongban/tongban/kiosk/config"
	"sort"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/catalog"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/hardware"
	"github.com/tongban/tongban/kiosk/outbox"
)

// simulatedStaffCode opens the staff menu of a simulated terminal only; a
// real terminal's code comes from staff.code_sha256 in its configuration.
const simulatedStaffCode = "246810"

// staffDesk is the staff menu's view of the terminal.
type staffDesk struct {
	codeHash []byte // SHA-256 of the staff code
	cfg      config.Config
	manager  *hardware.Manager
	printer  *hardware.ManagedPrinter
	queue    *outbox.Outbox
	catalog  *catalog.Catalog
	exit     func()
}

var _ flow.StaffDesk = (*staffDesk)(nil)

// newStaffDesk returns nil when no staff code is configured: the terminal
// then has no staff menu, and stops only from the system.
func newStaffDesk(cfg config.Config, t *terminal, printer *hardware.ManagedPrinter, cat *catalog.Catalog) flow.StaffDesk {
	hash, err := hex.DecodeString(cfg.StaffCodeSHA256)
	if cfg.StaffCodeSHA256 == "" && cfg.Simulate {
		sum := sha256.Sum256([]byte(simulatedStaffCode))
		hash, err = sum[:], nil
	}
	if err != nil || len(hash) != sha256.Size {
		return nil
	}
	return &staffDesk{codeHash: hash, cfg: cfg, manager: t.manager, printer: printer, queue: t.queue, catalog: cat, exit: t.exit}
}

func (d *staffDesk) Check(code string) (string, bool) {
	sum := sha256.Sum256([]byte(code))
	if subtle.ConstantTimeCompare(sum[:], d.codeHash) != 1 {
		return "", false
	}
	return "staff", true
}

func (d *staffDesk) devices() []kiosk.DeviceStatus {
	snap := d.manager.Snapshot()
	var ds []kiosk.DeviceStatus
	for _, s := range snap.Devices {
		ds = append(ds, s)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i].Kind < ds[j].Kind })
	return ds
}

func (d *staffDesk) Report(ctx context.Context) flow.StaffReport {
	snap := d.manager.Snapshot()
	r := flow.StaffReport{Devices: d.devices(), Terminal: snap.Terminal, BackOffice: snap.BackOffice,
		Unprinted: len(d.printer.Failed()), Catalog: d.catalog.Version()}
	if st, err := d.queue.Stats(); err == nil {
		r.Pending, r.Quarantined = st.Pending+st.Sending, st.Quarantined
	}
	return r
}

func (d *staffDesk) Reprint(ctx context.Context) (int, error) {
	n := 0
	for _, job := range d.printer.Failed() {
		if err := d.printer.Reprint(ctx, job.ID); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (d *staffDesk) SelfTest(ctx context.Context) error {
	return d.printer.PrintSelfTest(ctx, kiosk.SelfTest{
		CenterName: d.cfg.CenterName, Terminal: d.cfg.Terminal,
		Versions: []kiosk.Component{{Name: "Tongban", Version: version}, {Name: "catalog", Version: d.catalog.Version()}},
		Devices:  d.devices(), PrintedAt: time.Now(), Lang: kiosk.LangZH,
	})
}

func (d *staffDesk) RetryQuarantined(ctx context.Context) (int, error) {
	entries, err := d.queue.List()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if e.State != kiosk.StateQuarantined {
			continue
		}
		if err := d.queue.Retry(e.ID); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (d *staffDesk) Exit() { d.exit() }
