package terminal

import (
	"context"
	"maps"
	"net/http"
	"path/filepath"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/outbox"
	"github.com/tongban/tongban/kiosk/uplink"
)

// prepareUplink makes the client of the back office: the simulated one
// when the surroundings bring one, else the enrolled one over mutual TLS.
// When the terminal is not enrolled residents are still served: the queue
// holds their work, and the client stays nil. It runs in run.
func (t *Terminal) prepareUplink() error {
	var base string
	var httpClient *http.Client
	var keys []bundle.PublicKey
	var seal func(string, []byte) ([]byte, error)
	var signAudit func(uint64, string) ([]byte, error)
	if url, k, ok := t.simulatedBackOffice(); ok {
		base, keys = url, k
	} else {
		id, err := uplink.LoadIdentityWith(filepath.Join(t.cfg.DataDir, "identity"), t.keySealer())
		if err != nil {
			t.log.Error("this terminal is not enrolled with the back office; submissions stay queued until it is (kioskctl enrol)", "err", err)
			return nil
		}
		base, httpClient, keys = id.Server, id.HTTPClient(nil), []bundle.PublicKey{id.BundlePublicKey()}
		seal, signAudit = id.Sealer(), id.CheckpointSigner()
		// Signed time and certificate renewal, in the background.
		if t.ctx != nil {
			go id.Maintain(t.ctx, nil, 0, t.log)
		}
	}
	t.catalogs.keys = keys
	var queue uplink.Queue = noQueue{}
	if t.queue != nil {
		queue = auditedQueue{t.queue, t.record, func(localReceipt string) {
			if s := t.session; s != nil {
				s.SubmissionRejected(localReceipt)
			}
		}}
	}
	c, err := uplink.New(uplink.Config{
		BaseURL: base, HTTP: httpClient, BundleKeys: keys, Seal: seal,
		Terminal: t.cfg.Terminal, Center: t.cfg.Center, Version: t.opts.Version,
		AuditHead: t.audit.Head, SignAudit: signAudit, CheckAuditAnchor: t.checkAuditAnchor,
		Queue: queue, Clock: t.opts.Clock, Logger: t.log,
		BundleDir:   t.bundleDir(),
		CheckBundle: t.checkBundle,
		OnBundle:    t.takeBundle,
		Devices: func() []kiosk.DeviceStatus {
			var ds []kiosk.DeviceStatus
			for _, d := range t.manager.Snapshot().Devices {
				ds = append(ds, d)
			}
			return ds
		},
		State:          func() kiosk.TerminalState { return t.manager.Snapshot().Terminal },
		Reachable:      t.manager.SetBackOffice,
		OnConnected:    t.connectedChanged,
		HeartbeatEvery: t.opts.HeartbeatEvery,
		SyncEvery:      t.cfg.SyncEvery,
	})
	if err != nil {
		t.log.Error("the uplink did not start; submissions stay queued", "err", err)
		return nil
	}
	t.client = c
	return nil
}

// connectedChanged is told when a heartbeat changes what this center has
// connected to department services. The screen showing is checked again
// at once, as when a device changes (forwardDevices does it, in order with
// the devices' changes): an item screen greys its query or document
// button with the reason, or enables it again, without waiting for the
// resident's next tap.
func (t *Terminal) connectedChanged(kiosk.Connected) {
	select {
	case t.connChanged <- struct{}{}:
	default: // a check is pending already
	}
}

// simulatedBackOffice is the surroundings' back office, when they have one
// and the configuration names none.
func (t *Terminal) simulatedBackOffice() (string, []bundle.PublicKey, bool) {
	if t.sims == nil || t.cfg.BackOffice != "" {
		return "", nil, false
	}
	return t.sims.BackOffice()
}

func (t *Terminal) bundleDir() string { return filepath.Join(t.cfg.DataDir, "bundles") }

// alarmKind maps the terminal's alarm names to the wire's.
func alarmKind(kind string) api.AlarmKind { return api.AlarmKind(kind) }

const (
	alarmBundleRefused   = api.AlarmBundleRefused
	alarmAuditUnwritable = api.AlarmAuditUnwritable
	alarmAuditRewritten  = api.AlarmAuditRewritten
)

// tickets issues counter numbers from the back office.
type tickets struct{ c *uplink.Client }

func (t tickets) Take(ctx context.Context, service kiosk.Text) (kiosk.Ticket, error) {
	return t.c.Ticket(ctx, flow.QueueOf(service), service, kiosk.LangZH) // the business's queue; A: the general counter
}

// statusQuery asks the back office, and falls back to what the terminal
// knows when it cannot be reached (or there is none).
type statusQuery struct {
	c *uplink.Client
	q *outbox.Outbox
}

func (s statusQuery) Status(ctx context.Context, receipt string) (kiosk.SubmissionStatus, error) {
	return s.StatusWithKey(ctx, receipt, "")
}

// StatusWithKey passes the progress key from a receipt's QR code to the
// back office, which shows another terminal's submission only with it.
func (s statusQuery) StatusWithKey(ctx context.Context, receipt, key string) (kiosk.SubmissionStatus, error) {
	if s.c != nil {
		if st, err := s.c.StatusWithKey(ctx, receipt, key); err == nil {
			return st, nil
		}
	}
	return s.q.Status(ctx, receipt)
}

// appointments books counter times with the back office.
type appointments struct{ c *uplink.Client }

func (a appointments) Slots(ctx context.Context, item kiosk.ItemCode, from time.Time, days int) ([]kiosk.Slot, error) {
	var out []kiosk.Slot
	for d := range days {
		slots, err := a.c.Slots(ctx, from.AddDate(0, 0, d))
		if err != nil {
			return nil, err
		}
		for _, s := range slots {
			if s.Available > 0 && s.Start.After(from) {
				out = append(out, kiosk.Slot{ID: s.ID, Start: s.Start, Available: s.Available})
			}
		}
	}
	return out, nil
}

func (a appointments) Book(ctx context.Context, slotID string, item kiosk.Item, who kiosk.Identity) (kiosk.Appointment, error) {
	ap, err := a.c.Book(ctx, slotID, item.Code, who.Number)
	if err != nil {
		return kiosk.Appointment{}, err
	}
	return kiosk.Appointment{ID: ap.ID, Center: ap.Center, Item: item.Name, Start: ap.Start}, nil
}

var _ flow.PlaceBooking = appointments{}

// SlotsAt lists the free times for item at the places of kind at the
// terminal may book, each with its place (name, address, hours).
func (a appointments) SlotsAt(ctx context.Context, item kiosk.ItemCode, at kiosk.BookAt, from time.Time, days int) ([]kiosk.Slot, error) {
	var out []kiosk.Slot
	for d := range days {
		r, err := a.c.SlotsAt(ctx, from.AddDate(0, 0, d), item, at)
		if err != nil {
			return nil, err
		}
		places := map[string]kiosk.Place{}
		for _, p := range r.Places {
			places[p.ID] = placeOf(p)
		}
		for _, s := range r.Slots {
			if s.Available > 0 && s.Start.After(from) {
				out = append(out, kiosk.Slot{ID: s.ID, Start: s.Start, Available: s.Available, Place: places[s.Place]})
			}
		}
	}
	return out, nil
}

// BookWith books a slot for the resident with the form's answers; the
// partner is sent as such when the answers name one.
func (a appointments) BookWith(ctx context.Context, slotID string, item kiosk.Item, who kiosk.Identity, answers kiosk.Answers) (kiosk.Appointment, error) {
	req := api.BookRequest{SlotID: slotID, ItemCode: string(item.Code), HolderIDNo: who.Number}
	if len(answers) > 0 {
		req.Answers = map[string]string(maps.Clone(answers))
	}
	if id := answers[kiosk.PartnerIDField]; id != "" {
		req.Partner = &api.Party{Name: answers[kiosk.PartnerNameField], IDNo: id}
	}
	ap, err := a.c.BookWith(ctx, req)
	if err != nil {
		return kiosk.Appointment{}, err
	}
	out := kiosk.Appointment{ID: ap.ID, Center: ap.Center, Item: item.Name, Start: ap.Start}
	if ap.Place != nil {
		out.Place = placeOf(*ap.Place)
	}
	return out, nil
}

// placeOf is a place as the terminal shows it; hours it cannot read are
// left unknown (the back office keeps its slots inside them).
func placeOf(p api.Place) kiosk.Place {
	h, _ := kiosk.ParseHours(p.Hours)
	return kiosk.Place{ID: p.ID, Kind: kiosk.BookAt(p.Kind), Name: kiosk.Text{ZH: p.NameZH, EN: p.NameEN},
		Address: kiosk.Text{ZH: p.AddressZH, EN: p.AddressEN}, Hours: h}
}
