package techmode

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/outbox"
	"github.com/tongban/tongban/kiosk/provision"
	"github.com/tongban/tongban/kiosk/staffdesk"
	"github.com/tongban/tongban/kiosk/technician"
	"github.com/tongban/tongban/kiosk/ui/keyboard"
	kiosktheme "github.com/tongban/tongban/kiosk/ui/theme"
	"github.com/tongban/tongban/kiosk/ui/widgets"
)

var update = flag.Bool("update", false, "rewrite the golden screenshots")

type recorder struct{ events []audit.Event }

func (r *recorder) Append(ev audit.Event) error { r.events = append(r.events, ev); return nil }

func (r *recorder) String() string {
	var s []string
	for _, ev := range r.events {
		s = append(s, string(ev.Kind)+" "+ev.Actor+" "+ev.Detail)
	}
	return strings.Join(s, "\n")
}

func kioskApp(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(kiosktheme.New(kiosktheme.Normal, kiosktheme.EmbeddedFonts()))
}

func tap(t *testing.T, b *widgets.Button, what string) {
	t.Helper()
	if b == nil {
		t.Fatalf("no %s on screen", what)
	}
	test.Tap(b)
}

func typeKeys(t *testing.T, m *Mode, s string) {
	t.Helper()
	for _, r := range strings.ToLower(s) {
		name := string(r)
		if r == ' ' {
			name = keyboard.KeySpace
		}
		tap(t, m.Key(name), "key "+name)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func shows(m *Mode, part string) bool {
	for _, s := range m.Texts() {
		if strings.Contains(s, part) {
			return true
		}
	}
	return false
}

// terminal is a data folder with a configuration, a queue holding
// synthetic residents' submissions, and technician mode over them.
type terminal struct {
	data, stick string
	queue       *outbox.Outbox
	subs        []kiosk.Submission
	audit       *recorder
	restarted   bool
	options     Options
}

func newTerminal(t *testing.T, queued int) *terminal {
	t.Helper()
	tm := &terminal{data: t.TempDir(), stick: t.TempDir(), audit: &recorder{}}
	q, _, err := outbox.Open(filepath.Join(tm.data, "queue.db"), outbox.Options{Key: bytes.Repeat([]byte{3}, outbox.KeySize)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	tm.queue = q
	for i := range queued {
		s, err := q.Add(context.Background(), kiosktest.Submission(i+1, "", "", "CS0101", time.Now().Add(-30*time.Minute)))
		if err != nil {
			t.Fatal(err)
		}
		tm.subs = append(tm.subs, s)
	}
	if err := os.WriteFile(filepath.Join(tm.data, provision.ConfigName), []byte("terminal.code = CS0101\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	techHash, _ := staffdesk.HashCode("tech-246810", 10_000)
	staffHash, _ := staffdesk.HashCode("135790", 10_000)
	cred, err := technician.NewSecretHash(techHash, staffHash)
	if err != nil {
		t.Fatal(err)
	}
	elder := kiosktest.Elder()
	tm.options = Options{
		Gate: &technician.Gate{Cred: cred, Audit: tm.audit, Now: time.Now},
		Collect: func(ctx context.Context) technician.Diagnostics {
			return technician.Collect(ctx, technician.Sources{
				Center: "CS01", Terminal: "CS0101",
				Versions: func() []kiosk.Component { return []kiosk.Component{{Name: "Tongban", Version: "0.1.0"}} },
				Devices: func() []kiosk.DeviceStatus {
					return []kiosk.DeviceStatus{{Kind: kiosk.DeviceIDReader, State: kiosk.DeviceHardwareError, Detail: "读卡失败 " + elder.Number}}
				},
				Queue:    q,
				LastSync: func() time.Time { return time.Now().Add(-5 * time.Minute) },
				Net: func(context.Context) technician.NetResult {
					return technician.NetResult{Reachable: true, SkewKnown: true}
				},
				DataDir: tm.data,
			})
		},
		Sticks: func() []string { return []string{tm.stick} },
		Export: func(dir string, d technician.Diagnostics) (string, error) { return technician.Export(dir, d) },
		Reset: func(actor string) technician.Reset {
			return technician.Reset{DataDir: tm.data, Terminal: "CS0101", Queue: q, Audit: tm.audit, Actor: actor}
		},
		Audit:   tm.audit,
		Restart: func() { tm.restarted = true },
	}
	return tm
}

// A technician's visit by taps: the staff code does not open technician
// mode, the technician's does; the diagnostics show the queue in counts
// and no resident; the export on the stick holds no resident either; a
// reset is refused while two submissions wait (saying so and what to do),
// again once one has gone and one is set aside, refused when the
// confirmation is mistyped, and done once the queue is empty and the
// confirmation typed; every step is in the audit trail.
func TestTechnicianVisitByTaps(t *testing.T) {
	kioskApp(t)
	tm := newTerminal(t, 2)
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1920, 1080))
	m := Show(context.Background(), w, tm.options)

	typeKeys(t, m, "135790")
	tap(t, m.Button("ok"), "OK")
	if !shows(m, words["staffcode"][0]) {
		t.Fatalf("the staff code: %v", m.Texts())
	}
	typeKeys(t, m, "tech-246810")
	tap(t, m.Button("ok"), "OK")
	waitFor(t, "the diagnostics", func() bool { return m.Button("export") != nil })
	if !shows(m, "待发送：2 份") || !shows(m, "Tongban 0.1.0") || !shows(m, "数据分区：剩余") {
		t.Fatalf("diagnostics: %v", m.Texts())
	}
	screen := strings.Join(m.Texts(), "\n")
	tap(t, m.Button("export"), "export")
	files, _ := filepath.Glob(filepath.Join(tm.stick, "tongban-diag-CS0101-*.json"))
	if len(files) != 1 || !shows(m, "已导出到") {
		t.Fatalf("exported %v; %v", files, m.Texts())
	}
	bundle, _ := os.ReadFile(files[0])
	elder := kiosktest.Elder()
	for _, s := range append(tm.subs, kiosk.Submission{Applicant: elder}) {
		for _, who := range []string{s.Applicant.Name, s.Applicant.Number, s.Applicant.Address} {
			if who == "" {
				continue
			}
			if strings.Contains(string(bundle), who) {
				t.Errorf("the bundle holds %q", who)
			}
			if strings.Contains(screen, s.Applicant.Name) {
				t.Errorf("the screen shows %q", s.Applicant.Name)
			}
		}
	}

	tap(t, m.Button("reset"), "reset")
	if !shows(m, "还有 2 份申请没有送达后台") || !shows(m, "2 份待发送：请接通网络") || m.Button("do") != nil {
		t.Fatalf("reset with two waiting: %v", m.Texts())
	}
	tap(t, m.Button("back"), "back")
	waitFor(t, "the diagnostics", func() bool { return m.Button("reset") != nil })
	if _, err := tm.queue.NextBatch(5); err != nil {
		t.Fatal(err)
	}
	tm.queue.Acknowledge(tm.subs[0].ID, "OFF-1")
	tm.queue.Quarantine(tm.subs[1].ID, "refused")
	tap(t, m.Button("reset"), "reset")
	if !shows(m, "还有 1 份申请") || !shows(m, "1 份被后台退回") {
		t.Fatalf("reset with one set aside: %v", m.Texts())
	}
	tap(t, m.Button("back"), "back")
	waitFor(t, "the diagnostics", func() bool { return m.Button("reset") != nil })
	if err := tm.queue.Retry(tm.subs[1].ID); err != nil {
		t.Fatal(err)
	}
	tm.queue.NextBatch(5)
	tm.queue.Acknowledge(tm.subs[1].ID, "OFF-2")

	tap(t, m.Button("reset"), "reset")
	typeKeys(t, m, "reset cs0102")
	tap(t, m.Button("do"), "reset")
	if !shows(m, "输入的不是 RESET CS0101") || !provision.Provisioned(tm.data) {
		t.Fatalf("mistyped: %v", m.Texts())
	}
	typeKeys(t, m, "reset cs0101")
	tap(t, m.Button("do"), "reset")
	if !tm.restarted || provision.Provisioned(tm.data) {
		t.Fatalf("not reset: %v", m.Texts())
	}
	want := `technician.login technician refused: the staff code was tried
technician.login technician 
technician.action technician diagnostics exported
technician.action technician reset refused: 2 submissions not yet at the back office
technician.action technician reset refused: 1 submissions not yet at the back office
technician.action technician reset refused: ` + technician.ErrConfirmation.Error() + `
technician.action technician reset`
	if got := tm.audit.String(); got != want {
		t.Errorf("audit:\n%s\nwant:\n%s", got, want)
	}
}

// Finding the devices again from technician mode: the ports with their USB
// identities, 换端口 and a role's test, and the assignment saved.
func TestTechnicianDevices(t *testing.T) {
	kioskApp(t)
	tm := newTerminal(t, 0)
	var saved string
	var tested []string
	o := tm.options
	o.Lang = 1
	o.Detect = func(context.Context) ([]technician.Finding, error) { return sampleFindings(), nil }
	o.Assigned = func() technician.Assignment { return technician.Assignment{kiosk.DevicePrinter: "/dev/ttyUSB1"} }
	o.Tester = testerFunc(func(_ context.Context, role kiosk.DeviceKind, path string) (string, error) {
		tested = append(tested, string(role)+"@"+path)
		return "self-test receipt printed", nil
	})
	o.SaveAssignment = func(lines string) error { saved = lines; return nil }
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1920, 1080))
	m := Show(context.Background(), w, o)
	typeKeys(t, m, "tech-246810")
	tap(t, m.Button("ok"), "OK")
	waitFor(t, "the diagnostics", func() bool { return m.Button("redetect") != nil })
	tap(t, m.Button("redetect"), "find devices again")
	waitFor(t, "the ports", func() bool { return m.Button("save") != nil })
	if !shows(m, "/dev/ttyUSB0  USB 0400:c35a S/N SAM42  ID card reader · working") || !shows(m, "Receipt printer → /dev/ttyUSB1") ||
		!shows(m, "/dev/ttyUSB1  USB 0fe6:811e  Receipt printer · working, paper running low") || shows(m, "online, paper low") {
		t.Fatalf("devices: %v", m.Texts())
	}
	tap(t, m.Button("port:printer"), "next port")
	tap(t, m.Button("test:printer"), "test")
	waitFor(t, "the test", func() bool { return m.Button("save") != nil })
	if !shows(m, "Receipt printer test passed") || strings.Join(tested, " ") != "printer@/dev/ttyACM0" {
		t.Fatalf("test: %v %v", tested, m.Texts())
	}
	tap(t, m.Button("port:printer"), "next port") // round to the reader's port…
	tap(t, m.Button("port:printer"), "next port") // …and back to the printer's
	tap(t, m.Button("save"), "save")
	if saved != "idreader.usb = 0400:c35a\nidreader.serial = SAM42\nprinter.usb = 0fe6:811e\nscanner.usb = 1eab:0d10\n" {
		t.Errorf("saved %q", saved)
	}
}

func sampleFindings() []technician.Finding {
	return []technician.Finding{
		{Port: serialport.Port{Path: "/dev/ttyUSB0", IsUSB: true, VID: "0400", PID: "c35a", SerialNumber: "SAM42"}, Kind: kiosk.DeviceIDReader, Answer: "SAM ready",
			Status: kiosk.DeviceStatus{Kind: kiosk.DeviceIDReader, State: kiosk.DeviceOnline}},
		{Port: serialport.Port{Path: "/dev/ttyUSB1", IsUSB: true, VID: "0fe6", PID: "811e"}, Kind: kiosk.DevicePrinter, Answer: "online, paper low",
			Status: kiosk.DeviceStatus{Kind: kiosk.DevicePrinter, State: kiosk.DeviceOnline, Paper: kiosk.PaperLow}},
		{Port: serialport.Port{Path: "/dev/ttyACM0", IsUSB: true, VID: "1eab", PID: "0d10"}, Kind: kiosk.DeviceScanner,
			Status: kiosk.DeviceStatus{Kind: kiosk.DeviceScanner, State: kiosk.DeviceOnline}},
	}
}

type testerFunc func(ctx context.Context, role kiosk.DeviceKind, path string) (string, error)

func (f testerFunc) Test(ctx context.Context, role kiosk.DeviceKind, path string) (string, error) {
	return f(ctx, role, path)
}

// The export goes to the stick the technician chooses when several are
// plugged in, says so when none is, and the install hook shows as a
// button only when the terminal sets it; each is in the audit trail.
func TestExportChoiceAndInstallHook(t *testing.T) {
	kioskApp(t)
	tm := newTerminal(t, 0)
	other := t.TempDir()
	sticks := []string{}
	o := tm.options
	o.Sticks = func() []string { return sticks }
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1920, 1080))
	m := Show(context.Background(), w, o)
	typeKeys(t, m, "tech-246810")
	tap(t, m.Button("ok"), "OK")
	waitFor(t, "the diagnostics", func() bool { return m.Button("export") != nil })
	if m.Button("install") != nil {
		t.Fatal("an install button without an install hook")
	}
	tap(t, m.Button("export"), "export")
	if !shows(m, words["nostick"][0]) {
		t.Fatalf("no stick: %v", m.Texts())
	}
	sticks = []string{tm.stick, other}
	tap(t, m.Button("export"), "export")
	tap(t, m.Button("stick:1"), "the second stick")
	if files, _ := filepath.Glob(filepath.Join(other, "tongban-diag-*.json")); len(files) != 1 {
		t.Fatalf("the chosen stick holds %v", files)
	}
	if files, _ := filepath.Glob(filepath.Join(tm.stick, "*")); len(files) != 0 {
		t.Fatalf("the stick not chosen holds %v", files)
	}
	tap(t, m.Button("leave"), "leave")

	installed := 0
	var back func()
	o.Install = func(actor string, b func()) {
		if !strings.HasPrefix(actor, "technician") {
			t.Errorf("the install screen is opened for %q", actor)
		}
		installed++
		back = b
	}
	m = Show(context.Background(), w, o)
	typeKeys(t, m, "tech-246810")
	tap(t, m.Button("ok"), "OK")
	waitFor(t, "the diagnostics", func() bool { return m.Button("install") != nil })
	tap(t, m.Button("install"), "install")
	if installed != 1 {
		t.Fatal("the install button did not open the install screen")
	}
	// The install screen hands back: the diagnostics again, still logged in.
	fyne.DoAndWait(back)
	waitFor(t, "the diagnostics again", func() bool { return m.Button("install") != nil })
	if !strings.Contains(tm.audit.String(), "diagnostics export failed: no USB stick") ||
		!strings.Contains(tm.audit.String(), "install to the internal disk opened") ||
		!strings.Contains(tm.audit.String(), "technician.logout") {
		t.Errorf("audit:\n%s", tm.audit)
	}
}
