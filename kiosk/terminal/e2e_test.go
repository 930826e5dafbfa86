package terminal

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban/internal/sealed"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/catalog"
	"github.com/tongban/tongban/kiosk/config"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/form"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/outbox"
	"github.com/tongban/tongban/kiosk/scancode"
	"github.com/tongban/tongban/kiosk/simulation"
	"github.com/tongban/tongban/kiosk/uplink"
	servicescatalog "github.com/tongban/tongban/services-catalog"
)

// The end-to-end tests build the whole terminal as `make run` does, without
// a screen: simulated devices on pseudo-terminals, the device manager, the
// bbolt queue, the intake, the back office and the uplink. The resident's
// taps are the session's methods, as the screens call them.

// e2eItem is the item applied for; it needs the ID reader and the printer.
const e2eItem kiosk.ItemCode = "social-security-card"

const e2ePhone = "13800138000"

// e2eWait bounds every wait for something the terminal does by itself
// (the kill loops' child process, which runs beside a loaded make test,
// waits longer).
var e2eWait = 5 * time.Second

// lockedBuffer collects the terminal's JSON log from many goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// simTerminal is a wired terminal under test with its log and data folder.
type simTerminal struct {
	*Terminal
	cfg  config.Config
	log  *lockedBuffer
	sims *simulation.Surroundings

	mu     sync.Mutex
	states []flow.State // every state the session published, in order
}

func newSimTerminal(t *testing.T, change func(*config.Config)) *simTerminal {
	t.Helper()
	cfg := config.DefaultConfig()
	cfg.DataDir = t.TempDir()
	cfg.Simulate = true
	cfg.SyncEvery = time.Second
	if change != nil {
		change(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return startSimTerminal(t, cfg)
}

// startSimTerminal wires a terminal on cfg (simulated devices; the
// in-process back office unless cfg names one).
func startSimTerminal(t *testing.T, cfg config.Config) *simTerminal {
	t.Helper()
	buf := &lockedBuffer{}
	st := &simTerminal{cfg: cfg, log: buf}
	term, err := New(context.Background(), cfg, Options{
		Logger: slog.New(slog.NewJSONHandler(buf, nil)), Version: "test",
		Simulate: func(ctx context.Context, dir string, log *slog.Logger) (Surroundings, error) {
			s, err := simulation.Start(ctx, simulation.Options{Dir: dir, Center: cfg.Center, Terminal: cfg.Terminal, Logger: log, NoBackOffice: cfg.BackOffice != ""})
			if err != nil {
				return nil, err
			}
			st.sims = s
			return s, nil
		},
	})
	if err != nil {
		t.Fatalf("New: %v\nlog:\n%s", err, buf)
	}
	st.Terminal = term
	t.Cleanup(func() { _ = term.Close() })
	term.session.Observe(func(v flow.View) {
		st.mu.Lock()
		defer st.mu.Unlock()
		if n := len(st.states); n == 0 || st.states[n-1] != v.State {
			st.states = append(st.states, v.State)
		}
	})
	return st
}

// eventually polls cond until it holds or e2eWait passes; what describes
// the last state seen in the failure.
func eventually(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(e2eWait)
	for {
		ok, seen := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v; last seen: %s", what, e2eWait, seen)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (st *simTerminal) waitState(t *testing.T, want flow.State) flow.View {
	t.Helper()
	var v flow.View
	eventually(t, "session on "+want.String(), func() (bool, string) {
		v = st.session.View()
		return v.State == want, fmt.Sprintf("state %v, notice %q", v.State, v.Notice.ZH)
	})
	return v
}

// visit walks one resident through an application for e2eItem with the
// sample resident's card and returns the done screen's view.
func (st *simTerminal) visit(t *testing.T) flow.View {
	t.Helper()
	st.visitToSign(t)
	st.session.Signed(smallPNG(t))
	return st.waitState(t, flow.Done)
}

// visitToSign walks the resident of visit up to the signature screen.
func (st *simTerminal) visitToSign(t *testing.T) {
	t.Helper()
	s := st.session
	st.waitState(t, flow.Attract)
	s.Start()
	st.waitState(t, flow.Identify)
	st.sims.Reader.Place(sim.SampleResident())
	v := st.waitState(t, flow.Browse)
	if v.Greeting != "测*甲" {
		t.Errorf("greeting %q, want the masked name 测*甲", v.Greeting)
	}
	s.SelectItem(e2eItem)
	v = st.waitState(t, flow.ItemDetail)
	if !s.CanApply() {
		t.Fatalf("cannot apply for %s: %q", e2eItem, v.Notice.ZH)
	}
	s.Apply()
	fillForm(t, s)
	st.waitState(t, flow.Review)
	s.SetConsent(true)
	s.Confirm()
	st.waitState(t, flow.Sign)
}

// fillForm answers every visible field of every page by its type, then
// moves on until the review.
func fillForm(t *testing.T, s *flow.Session) {
	t.Helper()
	places, err := form.LoadPlaces()
	if err != nil {
		t.Fatal(err)
	}
	for pages := 0; ; pages++ {
		v := s.View()
		if v.State != flow.FormPage {
			return
		}
		if pages > 20 {
			t.Fatalf("the form never ends: still on page %d of %d", v.Page+1, v.Pages)
		}
		// Answers can reveal fields on the same page (visible_if), so fill
		// until the page shows nothing unanswered.
		for round := 0; ; round++ {
			filled := 0
			for _, f := range v.Fields {
				if v.Prefilled[f.ID] || v.Answers[f.ID] != "" {
					continue
				}
				s.SetAnswer(f.ID, answerFor(t, f, places))
				filled++
			}
			if filled == 0 || round > 5 {
				break
			}
			v = s.View()
		}
		page := v.Page
		s.Next()
		if after := s.View(); after.State == flow.FormPage && after.Page == page {
			t.Fatalf("page %d not accepted: %q %v", page+1, after.Notice.ZH, after.FieldErrors)
		}
	}
}

func answerFor(t *testing.T, f kiosk.Field, places *form.Places) string {
	t.Helper()
	switch f.Type {
	case kiosk.FieldPhone:
		return e2ePhone
	case kiosk.FieldChoice:
		return f.Options[0].Value
	case kiosk.FieldYesNo, kiosk.FieldConsent:
		return "yes"
	case kiosk.FieldAddress:
		b, _ := json.Marshal(map[string]string{"district": "徐汇区", "street": places.Streets("徐汇区")[0], "detail": "测试路1号"})
		return string(b)
	case kiosk.FieldText:
		n := 2
		if f.Min != nil && *f.Min > n {
			n = *f.Min
		}
		return strings.Repeat("测", n)
	case kiosk.FieldNumber:
		if f.Min != nil {
			return fmt.Sprint(*f.Min)
		}
		return "1"
	case kiosk.FieldDate:
		return "2020-01-01"
	}
	t.Fatalf("field %s has type %s, which this test does not fill", f.ID, f.Type)
	return ""
}

// smallPNG is a signature: a short stroke on white.
func smallPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 64, 32))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	for x := 8; x < 56; x++ {
		img.Pix[16*img.Stride+x] = 0
		img.Pix[17*img.Stride+x] = 0
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestWalkingSkeleton is one resident's whole visit on simulated devices,
// then the printer running out of paper and being unplugged.
func TestWalkingSkeleton(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: starts simulators, the back office and the uplink")
	}
	st := newSimTerminal(t, nil)
	card := sim.SampleResident()
	done := st.visit(t)

	t.Run("receipt with the official number", func(t *testing.T) {
		r := done.Receipt
		if r == nil || r.LocalReceipt == "" {
			t.Fatalf("done screen without a receipt: %+v", done)
		}
		if r.Queued || r.Official == "" {
			t.Fatalf("receipt %+v: want the back office's official number, not queued", r)
		}
		if r.IDNumber != "310104********0017" {
			t.Errorf("receipt ID number %q, want it masked as 310104********0017", r.IDNumber)
		}
	})
	r := done.Receipt
	if r == nil {
		t.FailNow()
	}

	t.Run("outbox holds it acknowledged", func(t *testing.T) {
		e, err := st.queue.Find(r.LocalReceipt)
		if err != nil {
			t.Fatal(err)
		}
		if e.State != kiosk.StateAcknowledged || e.Official != r.Official || e.Item != e2eItem {
			t.Errorf("queue entry %+v: want acknowledged as %s for %s", e, r.Official, e2eItem)
		}
		status, err := st.queue.Status(context.Background(), r.Official)
		if err != nil || status.LocalReceipt != r.LocalReceipt || status.State != kiosk.StateAcknowledged {
			t.Errorf("status by official number: %+v, %v", status, err)
		}
		entries, err := st.queue.List()
		if err != nil || len(entries) != 1 {
			t.Errorf("queue holds %d entries (%v), want 1", len(entries), err)
		}
	})

	t.Run("back office holds it exactly once", func(t *testing.T) {
		ctx := context.Background()
		db, err := store.OpenSQLite(ctx, filepath.Join(st.cfg.DataDir, "backoffice", "backoffice.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		// Residents' data is sealed at rest under keys kept beside the other keys.
		if err := backoffice.SealStore(db, filepath.Join(st.cfg.DataDir, "backoffice", "keys")); err != nil {
			t.Fatal(err)
		}
		e, err := st.queue.Find(r.LocalReceipt)
		if err != nil {
			t.Fatal(err)
		}
		counts, err := db.CountSubmissions(ctx, st.cfg.Terminal)
		if err != nil {
			t.Fatal(err)
		}
		if len(counts) != 1 || counts[e.ID] != 1 {
			t.Errorf("back office rows per submission: %v, want exactly one of %s", counts, e.ID)
		}
		sub, err := db.SubmissionByReceipt(ctx, r.Official)
		if err != nil {
			t.Fatal(err)
		}
		if sub.LocalReceipt != r.LocalReceipt || sub.OfficialReceipt != r.Official {
			t.Errorf("back office holds %s/%s, want %s/%s", sub.LocalReceipt, sub.OfficialReceipt, r.LocalReceipt, r.Official)
		}
	})

	t.Run("printed receipt", func(t *testing.T) {
		var text string
		eventually(t, "receipt printed", func() (bool, string) {
			text = strings.Join(st.sims.Printer.Lines(), "\n")
			return strings.Contains(text, r.LocalReceipt) && strings.Contains(text, "310104********0017"), text
		})
		for _, secret := range []string{card.Name, card.Number, e2ePhone} {
			if strings.Contains(text, secret) {
				t.Errorf("the receipt prints %q in clear", secret)
			}
		}
		got, err := decodeQR(st.sims.Printer.Image())
		if err != nil {
			t.Fatalf("the receipt's QR code does not decode: %v", err)
		}
		queued, err := st.queue.Find(r.LocalReceipt)
		if err != nil {
			t.Fatal(err)
		}
		if want := scancode.ProgressLink(r.LocalReceipt, queued.ID); got != want || !strings.Contains(got, "?k=") {
			t.Errorf("QR code says %q, want %q", got, want)
		}
		// A reprint after a restart rebuilds the same receipt from the queue.
		e, err := st.queue.Find(r.LocalReceipt)
		if err != nil {
			t.Fatal(err)
		}
		again, err := queueReceipts{st.Terminal}.Receipt(e)
		if err != nil {
			t.Fatal(err)
		}
		if !again.SubmittedAt.Equal(r.SubmittedAt) {
			t.Errorf("rebuilt receipt submitted at %v, want %v", again.SubmittedAt, r.SubmittedAt)
		}
		again.SubmittedAt = r.SubmittedAt
		if !reflect.DeepEqual(again, *r) {
			t.Errorf("rebuilt receipt\n%+v\nwant the printed one\n%+v", again, *r)
		}
		// The queue records it printed, so no restart lists it for reprint.
		eventually(t, "receipt marked printed in the queue", func() (bool, string) {
			list, err := st.queue.Unprinted()
			return err == nil && len(list) == 0, fmt.Sprintf("%d unprinted, %v", len(list), err)
		})
	})

	t.Run("audit log", func(t *testing.T) {
		path := filepath.Join(st.cfg.DataDir, "audit.log")
		rep, err := audit.Verify(path)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() {
			t.Errorf("audit chain broken: %v", rep.Problems)
		}
		kinds := auditKinds(t, path)
		for _, k := range []audit.Kind{audit.SessionStarted, audit.SubmissionAccepted, audit.ReceiptPrinted} {
			if !slices.Contains(kinds, k) {
				t.Errorf("audit log lacks %s; has %v", k, kinds)
			}
		}
	})

	t.Run("session path", func(t *testing.T) {
		st.mu.Lock()
		got := slices.Clone(st.states)
		st.mu.Unlock()
		want := []flow.State{flow.Attract, flow.Identify, flow.Browse, flow.ItemDetail, flow.FormPage, flow.Review, flow.Sign, flow.Submitting, flow.Done}
		if !containsInOrder(got, want) {
			t.Errorf("states %v, want %v in order", got, want)
		}
	})

	t.Run("paper out greys the item, paper back restores it", func(t *testing.T) {
		it := catalogItem(t, e2eItem)
		st.sims.Printer.LoadPaper(0)
		eventually(t, "printer paper out", func() (bool, string) {
			snap := st.manager.Snapshot()
			p, _ := snap.Status(kiosk.DevicePrinter)
			a := snap.Availability(it)
			return p.Paper == kiosk.PaperOut && !a.Available, fmt.Sprintf("%+v, available %v", p, a.Available)
		})
		a := st.manager.Snapshot().Availability(it)
		if r := kiosktest.Words(t, a.Reason); !strings.Contains(r.ZH, "纸") || !strings.Contains(r.ZH, "人工窗口") || r.EN == r.ZH {
			t.Errorf("reason %+v: want plain words about paper and the staffed counter", r)
		}
		st.sims.Printer.LoadPaper(40 * 1000 * 8)
		eventually(t, "item available again", func() (bool, string) {
			a := st.manager.Snapshot().Availability(it)
			return a.Available, a.Reason.ZH
		})
	})

	t.Run("printer unplugged and replugged", func(t *testing.T) {
		printerState := func(want kiosk.DeviceState) func() (bool, string) {
			return func() (bool, string) {
				p, _ := st.manager.Snapshot().Status(kiosk.DevicePrinter)
				return p.State == want, fmt.Sprintf("%+v", p)
			}
		}
		st.sims.SetPlugged(simulation.NamePrinter, false)
		eventually(t, "printer no-device", printerState(kiosk.DeviceNoDevice))
		st.sims.SetPlugged(simulation.NamePrinter, true)
		eventually(t, "printer online", printerState(kiosk.DeviceOnline))
	})

	t.Run("the back office anchors the sealed audit chain", func(t *testing.T) {
		ctx := context.Background()
		db, err := store.OpenSQLite(ctx, filepath.Join(st.cfg.DataDir, "backoffice", "backoffice.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var a store.AuditAnchor
		eventually(t, "an audit anchor", func() (bool, string) {
			a, err = db.AuditAnchorOf(ctx, st.cfg.Terminal)
			return err == nil, fmt.Sprint(err)
		})
		key, err := outbox.LoadKey(filepath.Join(st.cfg.DataDir, auditKeyFile))
		if err != nil {
			t.Fatal(err)
		}
		rep, err := audit.VerifyWith(filepath.Join(st.cfg.DataDir, "audit.log"), audit.VerifyOptions{Key: key, Anchor: &audit.Anchor{Seq: a.Seq, Head: a.Head}})
		if err != nil || !rep.OK() || !rep.Anchored || rep.Sealed == 0 {
			t.Errorf("the terminal's log against the back office's anchor %d: %+v, %v", a.Seq, rep, err)
		}
	})

	t.Run("no personal data in the log", func(t *testing.T) {
		assertLogClean(t, st.log.String(), card)
	})
}

// TestBackOfficeDown: residents are served while the back office cannot be
// reached; the queue holds their work.
func TestBackOfficeDown(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: starts simulators and the uplink")
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, cfg *config.Config)
	}{
		{"not enrolled", func(t *testing.T, cfg *config.Config) {
			cfg.BackOffice = "https://" + closedPort(t)
		}},
		{"enrolled, back office stopped", func(t *testing.T, cfg *config.Config) {
			cfg.BackOffice = enrolThenStop(t, cfg)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newSimTerminal(t, func(cfg *config.Config) { tt.setup(t, cfg) })
			done := st.visit(t)
			r := done.Receipt
			if r == nil || !r.Queued || r.Official != "" || r.LocalReceipt == "" {
				t.Fatalf("receipt %+v: want a queued receipt with only the local number", r)
			}
			e, err := st.queue.Find(r.LocalReceipt)
			if err != nil {
				t.Fatal(err)
			}
			if e.State != kiosk.StatePending && e.State != kiosk.StateSending {
				t.Errorf("queue entry %s: want it pending", e.State)
			}
			status, err := st.queue.Status(context.Background(), r.LocalReceipt)
			if err != nil || status.State != kiosk.StatePending {
				t.Errorf("the terminal's own status: %+v, %v; want pending", status, err)
			}
			eventually(t, "queued receipt printed", func() (bool, string) {
				text := strings.Join(st.sims.Printer.Lines(), "\n")
				return strings.Contains(text, r.LocalReceipt), text
			})
			assertLogClean(t, st.log.String(), sim.SampleResident())
		})
	}
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// enrolThenStop enrols the terminal with a back office over mutual TLS,
// writing its identity into the data folder, then stops that back office.
// It returns the back office's (now dead) address.
func enrolThenStop(t *testing.T, cfg *config.Config) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	db, err := store.OpenSQLite(ctx, filepath.Join(dir, "bo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	keys, err := backoffice.LoadOrCreateKeys(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	srv := backoffice.New(db, backoffice.Options{CA: keys.CA, Signer: keys.Signer, HashKey: keys.HashKey})
	tlsCfg, err := keys.CA.ServerTLSConfig([]string{"127.0.0.1"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "https://" + ln.Addr().String()
	served := make(chan error, 1)
	go func() { served <- backoffice.Serve(ctx, ln, srv, tlsCfg, nil) }()
	token, err := srv.IssueEnrolmentToken(ctx, cfg.Terminal, cfg.Center, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := uplink.Enrol(ctx, uplink.EnrolOptions{Server: url, Token: token,
		Dir: filepath.Join(cfg.DataDir, "identity"), CAFile: filepath.Join(dir, "keys", "ca.pem"),
		CAFingerprint: sealed.Fingerprint(keys.CA.Cert.Raw)}); err != nil {
		t.Fatal(err)
	}
	cancel()
	<-served
	return url
}

func assertLogClean(t *testing.T, log string, card sim.SyntheticCard) {
	t.Helper()
	if !strings.Contains(log, "submission accepted") {
		t.Fatalf("the log was not captured: %.500s", log)
	}
	for _, secret := range []string{card.Name, card.Number, e2ePhone, card.Address} {
		if strings.Contains(log, secret) {
			for _, line := range strings.Split(log, "\n") {
				if strings.Contains(line, secret) {
					t.Errorf("the log holds personal data %q: %s", secret, line)
				}
			}
		}
	}
}

func catalogItem(t *testing.T, code kiosk.ItemCode) kiosk.Item {
	t.Helper()
	cat, err := catalog.Load(servicescatalog.FS())
	if err != nil {
		t.Fatal(err)
	}
	it, ok := cat.Item(code)
	if !ok {
		t.Fatalf("no item %s in the catalog", code)
	}
	return it
}

func auditKinds(t *testing.T, path string) []audit.Kind {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []audit.Kind
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		// Each line is the entry's hash, a space, and the entry as JSON.
		_, body, _ := bytes.Cut(line, []byte(" "))
		var e audit.Entry
		if err := json.Unmarshal(body, &e); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		kinds = append(kinds, e.Kind)
	}
	return kinds
}

func containsInOrder(got, want []flow.State) bool {
	i := 0
	for _, s := range got {
		if i < len(want) && s == want[i] {
			i++
		}
	}
	return i == len(want)
}

// decodeQR finds and decodes the QR code on the printed paper.
func decodeQR(img image.Image) (string, error) {
	// A white margin around the paper gives the decoder its quiet zone.
	b := img.Bounds()
	framed := image.NewGray(image.Rect(0, 0, b.Dx()+64, b.Dy()+64))
	for i := range framed.Pix {
		framed.Pix[i] = 0xFF
	}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r, _, _, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			framed.Pix[(y+32)*framed.Stride+x+32] = uint8(r >> 8)
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(framed)
	if err != nil {
		return "", err
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}
