package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/staffdesk"
	"github.com/tongban/tongban/kiosk/terminal"
	"github.com/tongban/tongban/kiosk/ui/widgets"
)

const (
	techCode   = "tech-2468"
	centerName = "徐汇区测试街道社区事务受理服务中心"
)

// runningKiosk is the kiosk as main wires it, on a configuration file with
// a technician code, its devices absent and its back office not enrolled,
// on the headless Fyne driver.
type runningKiosk struct {
	conf, data string
	t          *terminal.Terminal
	w          fyne.Window
	tech       *techEntry
	restarted  bool
}

func startKiosk(t *testing.T) *runningKiosk {
	t.Helper()
	dir := t.TempDir()
	return startKioskOn(t, dir, filepath.Join(dir, "no-idreader"), filepath.Join(dir, "no-printer"), filepath.Join(dir, "no-scanner"))
}

// startKioskOn is startKiosk with its devices on the given ports.
func startKioskOn(t *testing.T, dir, reader, printer, scanner string) *runningKiosk {
	t.Helper()
	data := filepath.Join(dir, "data")
	techHash, err := staffdesk.HashCode(techCode, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	staffHash, _ := staffdesk.HashCode("135790", 10_000)
	conf := filepath.Join(dir, "kiosk.conf")
	lines := fmt.Sprintf(`center.name = %s
center.code = XH01
terminal.code = XH0107
backoffice.url = https://127.0.0.1:1
idreader.port = %s
printer.port = %s
scanner.port = %s
screen.fullscreen = false
staff.code_hash = %s
technician.code_hash = %s
`, centerName, reader, printer, scanner, staffHash, techHash)
	if err := os.WriteFile(conf, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := parseFlags([]string{"-config", conf, "-data", data}, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	log := slog.New(slog.DiscardHandler)
	term, err := terminal.New(ctx, cfg, terminal.Options{Logger: log, Version: version, Exit: cancel})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { term.Close() })
	k := &runningKiosk{conf: conf, data: data, t: term}
	test.NewTempApp(t)
	k.w = test.NewTempWindow(t, nil)
	_, k.tech = buildScreens(ctx, k.w, cfg, conf, term, &simSlot{}, log, func() { k.restarted = true })
	if k.tech == nil {
		t.Fatal("no technician mode with technician.code_hash configured")
	}
	k.w.Resize(fyne.NewSize(1920, 1080))
	fyne.DoAndWait(k.tech.redraw)
	return k
}

// tapCenterName taps the attract screen's center name as a finger would.
func (k *runningKiosk) tapCenterName(t *testing.T) {
	t.Helper()
	var target fyne.Tappable
	walk(k.w.Content(), func(o fyne.CanvasObject) {
		if tp, ok := o.(fyne.Tappable); ok && target == nil {
			if wd, ok := o.(fyne.Widget); ok {
				for _, c := range test.WidgetRenderer(wd).Objects() {
					if tx, ok := c.(*canvas.Text); ok && tx.Text == centerName {
						target = tp
					}
				}
			}
		}
	})
	if target == nil {
		t.Fatalf("no tappable center name on the screen: %q", texts(k.w.Content()))
	}
	test.Tap(target)
}

func walk(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	f(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walk(c, f)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walk(c, f)
		}
	}
}

func texts(o fyne.CanvasObject) []string {
	var out []string
	walk(o, func(c fyne.CanvasObject) {
		if tx, ok := c.(*canvas.Text); ok && strings.TrimSpace(tx.Text) != "" {
			out = append(out, tx.Text)
		}
	})
	return out
}

func (k *runningKiosk) shows(part string) bool {
	for _, s := range k.tech.shown.Texts() {
		if strings.Contains(s, part) {
			return true
		}
	}
	return false
}

func (k *runningKiosk) typeCode(t *testing.T, code string) {
	t.Helper()
	for _, r := range strings.ToLower(code) {
		b := k.tech.shown.Key(string(r))
		if b == nil {
			t.Fatalf("no key %q", r)
		}
		test.Tap(b)
	}
	k.tap(t, "ok")
}

func (k *runningKiosk) tap(t *testing.T, name string) *widgets.Button {
	t.Helper()
	b := k.tech.shown.Button(name)
	if b == nil {
		t.Fatalf("no %q button; the page shows %q", name, k.tech.shown.Texts())
	}
	test.Tap(b)
	return b
}

// fakeNow is a clock the test moves past the gate's lockout.
type fakeNow struct {
	mu sync.Mutex
	at time.Time
}

func (c *fakeNow) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.at }
func (c *fakeNow) Add(d time.Duration) {
	c.mu.Lock()
	c.at = c.at.Add(d)
	c.mu.Unlock()
}

// TestTechnicianModeInTheRunningKiosk drives the kiosk as main wires it
// into technician mode: five taps on the center's name; the staff code and
// wrong codes refused, the fifth wrong one shutting the gate so that even
// the right code is refused until the lockout ends; then the right code
// opens the diagnostics of this very terminal (its absent devices in
// words, its queue, its back office not enrolled), the export lands on the
// chosen stick without the queued resident, the reset is refused while the
// submission waits, and leaving puts the resident screens back. Every step
// is in the terminal's audit trail.
func TestTechnicianModeInTheRunningKiosk(t *testing.T) {
	k := startKiosk(t)
	stick := t.TempDir()
	k.tech.sticks = func() []string { return []string{stick} }
	clock := &fakeNow{at: time.Now()}
	k.tech.gate.Now = clock.Now
	queued := kiosktest.Submission(1, "", "", "XH0107", time.Now().Add(-20*time.Minute))
	if _, err := k.t.Queue().Add(context.Background(), queued); err != nil {
		t.Fatal(err)
	}
	attract := k.w.Content()

	for range 4 {
		k.tapCenterName(t)
	}
	if k.tech.shown != nil {
		t.Fatal("four taps opened technician mode")
	}
	k.tapCenterName(t)
	if k.tech.shown == nil || k.w.Content() == attract {
		t.Fatal("five taps on the center's name did not open technician mode")
	}
	if !k.shows("技术员模式") {
		t.Fatalf("technician mode's login: %q", k.tech.shown.Texts())
	}

	k.typeCode(t, "135790")
	if !k.shows("这是工作人员密码") {
		t.Fatalf("the staff code: %q", k.tech.shown.Texts())
	}
	for i := range 4 {
		k.typeCode(t, fmt.Sprintf("wrong-%d", i))
	}
	if !k.shows("之前不能再试") {
		t.Fatalf("after five wrong codes: %q", k.tech.shown.Texts())
	}
	k.typeCode(t, techCode)
	if !k.shows("之前不能再试") || k.tech.shown.Button("export") != nil {
		t.Fatalf("the right code during the lockout: %q", k.tech.shown.Texts())
	}
	clock.Add(6 * time.Minute)
	k.typeCode(t, techCode)
	waitFor(t, "the diagnostics", func() bool { return k.tech.shown.Button("export") != nil })
	for _, want := range []string{"身份证读卡器：", "小票打印机：", "待发送：1 份", "本终端尚未注册", "Tongban " + version, "数据分区：剩余"} {
		if !k.shows(want) {
			t.Errorf("the diagnostics do not show %q: %q", want, k.tech.shown.Texts())
		}
	}
	for _, raw := range []string{"no-device", "offline", "not-enrolled"} {
		if k.shows(raw) {
			t.Errorf("the diagnostics show the wire name %q: %q", raw, k.tech.shown.Texts())
		}
	}
	if size := k.w.Canvas().Size(); size.Width > 1920 || size.Height > 1080 {
		t.Errorf("the diagnostics grew the window to %v: past the 1920x1080 panel", size)
	}
	k.tap(t, "export")
	files, _ := filepath.Glob(filepath.Join(stick, "tongban-diag-XH0107-*.json"))
	if len(files) != 1 {
		t.Fatalf("the stick holds %v; the page shows %q", files, k.tech.shown.Texts())
	}
	bundle, _ := os.ReadFile(files[0])
	for _, who := range []string{queued.Applicant.Name, queued.Applicant.Number, queued.Applicant.Address} {
		if who != "" && bytes.Contains(bundle, []byte(who)) {
			t.Errorf("the diagnostics bundle holds %q", who)
		}
	}
	if !bytes.Contains(bundle, []byte(`"waiting": 1`)) {
		t.Errorf("the bundle does not count the waiting submission:\n%s", bundle)
	}

	k.tap(t, "reset")
	if !k.shows("还有 1 份申请没有送达后台") || k.tech.shown.Button("do") != nil {
		t.Fatalf("reset with a submission waiting: %q", k.tech.shown.Texts())
	}
	if _, err := os.Stat(k.conf); err != nil {
		t.Fatalf("a refused reset touched the configuration: %v", err)
	}
	k.tap(t, "back")
	waitFor(t, "the diagnostics", func() bool { return k.tech.shown.Button("leave") != nil })
	k.tap(t, "leave")
	if k.tech.shown != nil || k.w.Content() != attract {
		t.Fatal("leaving technician mode did not put the resident screens back")
	}
	if k.restarted {
		t.Fatal("the kiosk restarted without a reset")
	}

	var got []string
	for _, e := range auditEntries(t, filepath.Join(k.data, "audit.log")) {
		if strings.HasPrefix(string(e.Kind), "technician.") {
			got = append(got, string(e.Kind)+" "+e.Detail)
		}
	}
	want := []string{
		"technician.login refused: the staff code was tried",
		"technician.login refused: wrong code",
		"technician.login refused: wrong code",
		"technician.login refused: wrong code",
		"technician.login refused: wrong code; locked",
		"technician.login refused: locked",
		"technician.login ",
		"technician.action diagnostics exported",
		"technician.action reset refused: 1 submissions not yet at the back office",
		"technician.logout ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit trail:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTechnicianModeInEnglish: a session in English opens technician mode
// in English, its devices' states in English words.
func TestTechnicianModeInEnglish(t *testing.T) {
	k := startKiosk(t)
	k.t.Session().SetLanguage(kiosk.LangEN)
	fyne.DoAndWait(k.tech.redraw)
	for range 5 {
		k.tapCenterName(t)
	}
	if k.tech.shown == nil || !k.shows("Technician mode") {
		t.Fatal("no technician mode in English")
	}
	k.typeCode(t, techCode)
	waitFor(t, "the diagnostics", func() bool { return k.tech.shown.Button("export") != nil })
	if !k.shows("ID card reader: ") || !k.shows("this terminal is not enrolled") {
		t.Fatalf("diagnostics: %q", k.tech.shown.Texts())
	}
}

// TestNoTechnicianCodeNoTechnicianMode: without technician.code_hash, or
// with the staff code's hash as it, there is no technician mode.
func TestNoTechnicianCodeNoTechnicianMode(t *testing.T) {
	staffHash, _ := staffdesk.HashCode("135790", 10_000)
	for name, hashes := range map[string][2]string{"none": {"", staffHash}, "the staff code's": {staffHash, staffHash}} {
		k := startKiosk(t)
		cfg, err := loadConfig(flags{configPath: k.conf, dataDir: k.data})
		if err != nil {
			t.Fatal(err)
		}
		cfg.TechnicianCodeHash, cfg.StaffCodeHash = hashes[0], hashes[1]
		if e := newTechEntry(context.Background(), k.w, cfg, k.conf, k.t, slog.New(slog.DiscardHandler), nil); e != nil {
			t.Errorf("%s technician code: technician mode opens", name)
		}
	}
}

func auditEntries(t *testing.T, path string) []audit.Entry {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []audit.Entry
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		_, body, _ := bytes.Cut(line, []byte(" "))
		var e audit.Entry
		if err := json.Unmarshal(body, &e); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		out = append(out, e)
	}
	return out
}

// A simulated terminal (make run) with no technician.code_hash has
// technician mode on the documented code, and only on it.
func TestSimulatedTechnicianCode(t *testing.T) {
	k := startKiosk(t)
	cfg, err := loadConfig(flags{configPath: k.conf, dataDir: k.data})
	if err != nil {
		t.Fatal(err)
	}
	cfg.TechnicianCodeHash, cfg.Simulate = "", true
	e := newTechEntry(context.Background(), k.w, cfg, k.conf, k.t, slog.New(slog.DiscardHandler), nil)
	if e == nil {
		t.Fatal("no technician mode on a simulated terminal")
	}
	if _, err := e.gate.Login(context.Background(), "wrong-code"); err == nil {
		t.Error("a wrong code opened the simulated terminal's technician mode")
	}
	if _, err := e.gate.Login(context.Background(), simTechnicianCode); err != nil {
		t.Errorf("the simulated terminal's technician code: %v", err)
	}
}

// Technician mode finds the running kiosk's own devices again: their ports
// are held by the device manager, and are probed and tested through it
// (lent between its polls), so the ports page names each device in words
// and the printer's test prints the self-test receipt.
func TestTechnicianFindsTheKiosksOwnDevices(t *testing.T) {
	printer, err := sim.NewPrinter(sim.PrinterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, dev := range []sim.Device{sim.NewIDCardReader(sim.IDCardOptions{}), printer, sim.NewScanner(sim.ScannerOptions{})} {
		path, closeFn, err := sim.ServePTY(t.Context(), dev)
		if err != nil {
			t.Skipf("no pseudo-terminal here: %v", err)
		}
		t.Cleanup(func() { closeFn() })
		paths = append(paths, path)
	}
	k := startKioskOn(t, t.TempDir(), paths[0], paths[1], paths[2])
	k.tech.list = func() ([]serialport.Port, error) { return nil, nil }
	waitFor(t, "the devices online", func() bool {
		snap := k.t.Manager().Snapshot()
		for _, kind := range []kiosk.DeviceKind{kiosk.DeviceIDReader, kiosk.DevicePrinter, kiosk.DeviceScanner} {
			if st, _ := snap.Status(kind); st.State != kiosk.DeviceOnline {
				return false
			}
		}
		return true
	})
	for range 5 {
		k.tapCenterName(t)
	}
	k.typeCode(t, techCode)
	waitFor(t, "the diagnostics", func() bool { return k.tech.shown.Button("redetect") != nil })
	k.tap(t, "redetect")
	waitFor(t, "the ports", func() bool { return k.tech.shown.Button("save") != nil })
	for i, want := range []string{"身份证读卡器 · 正常", "小票打印机 · 正常，纸张充足", "扫码器 · 正常"} {
		if !k.shows(paths[i]) || !k.shows(want) {
			t.Errorf("the ports page does not show %s with %q: %q", paths[i], want, k.tech.shown.Texts())
		}
	}
	k.tap(t, "test:printer")
	waitFor(t, "the printer's test", func() bool { return k.tech.shown.Button("save") != nil })
	if !k.shows("小票打印机测试通过") || !strings.Contains(strings.Join(printer.Lines(), "\n"), "XH0107") {
		t.Fatalf("the printer's test: %q; printed %q", k.tech.shown.Texts(), printer.Lines())
	}
}
