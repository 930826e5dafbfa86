package setup

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/backoffice/backofficetest"
	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/provision"
	"github.com/tongban/tongban/kiosk/technician"
	"github.com/tongban/tongban/kiosk/ui/internal/golden"
	"github.com/tongban/tongban/kiosk/ui/keyboard"
)

// fillForm types every field and taps 开始设置.
func fillForm(t *testing.T, z *Wizard, url, token string) {
	t.Helper()
	tap(t, z.Button("pick:center.name"), "center name")
	if z.lang == 0 {
		typeKeys(t, z, "ceshi")
		tap(t, z.Key("candidate-0"), "the candidate 测试")
	} else {
		typeKeys(t, z, "test center")
	}
	fields := []struct{ key, text string }{{"center.code", "cs01"}, {"terminal", "cs0101"}, {"url", url}, {"token", token}}
	if !z.caPinned() { // no CA file on the stick: the fingerprint is typed
		fields = append(fields, struct{ key, text string }{"fingerprint", "sm3:" + strings.Repeat("ab", 32)})
	}
	for _, f := range fields {
		tap(t, z.Button("pick:"+f.key), f.key)
		tap(t, z.Key(keyboard.KeyClear), "clear")
		typeKeys(t, z, f.text)
	}
	tap(t, z.Button("start"), "start")
}

// waitChecks waits until the checks stop: a failure offers 重试, or the
// checks are done and the enrolment runs.
func waitChecks(t *testing.T, z *Wizard) {
	t.Helper()
	waitFor(t, "the checks to stop", func() bool {
		if z.Button("retry") != nil {
			return true
		}
		z.mu.Lock()
		defer z.mu.Unlock()
		return len(z.results) > 0 || z.running
	})
}

func lineOf(z *Wizard, key string) string {
	for _, l := range z.CheckLines() {
		if strings.Contains(l, words[key][z.lang]) {
			return l
		}
	}
	return ""
}

// A technician sets a terminal up with the real back office on loopback
// and the simulated devices on pseudo-terminals, and every check fails
// once before it passes: the clock is ten minutes fast, the printer is not
// plugged in, no card is on the reader, the printer's cover is open, no
// code is shown. Each failure says what to check; 重试 runs that step
// again and nothing before it; the terminal ends enrolled with the devices
// found.
func TestChecksFailThenPassWithDevices(t *testing.T) {
	kioskApp(t)
	bo := backofficetest.TLS(t)
	r := newRig(t)
	copyCA(t, bo.CAFile, filepath.Join(r.stick, "backoffice-ca.pem"))
	token, err := bo.Server.IssueEnrolmentToken(context.Background(), "CS0101", "CS01", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	reader := sim.NewIDCardReader(sim.IDCardOptions{})
	printer, err := sim.NewPrinter(sim.PrinterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	scanner := sim.NewScanner(sim.ScannerOptions{})
	var ports []serialport.Port
	var mu sync.Mutex
	plug := func(dev sim.Device) string {
		path, closeFn, err := sim.ServePTY(t.Context(), dev)
		if err != nil {
			t.Skipf("no pseudo-terminal here: %v", err)
		}
		t.Cleanup(func() { closeFn() })
		mu.Lock()
		ports = append(ports, serialport.Port{Path: path})
		mu.Unlock()
		return path
	}
	readerPath, scannerPath := plug(reader), plug(scanner)
	clockOff := 10 * time.Minute
	var calls []string
	o := r.options()
	o.Checks = &Checks{
		Net: func(ctx context.Context, url, ca string) technician.NetResult {
			calls = append(calls, "net")
			off := clockOff
			return technician.NetCheck{CAFile: ca, Now: func() time.Time { return time.Now().Add(off) }}.Check(ctx, url)
		},
		Detect: func(ctx context.Context) ([]technician.Finding, error) {
			calls = append(calls, "detect")
			mu.Lock()
			list := append([]serialport.Port(nil), ports...)
			mu.Unlock()
			return technician.Detect(ctx, func() ([]serialport.Port, error) { return list, nil }, nil, technician.OpenSerial, 300*time.Millisecond)
		},
		Tester: technician.SerialTester{Open: technician.OpenSerial, Wait: 700 * time.Millisecond,
			SelfTest: func() kiosk.SelfTest { return kiosk.SelfTest{CenterName: "test center", Terminal: "CS0101"} }},
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1920, 1080))
	z := Show(context.Background(), w, o)
	tap(t, z.Button("lang:en"), "English")
	fillForm(t, z, strings.TrimPrefix(bo.URL, "https://"), token)

	waitChecks(t, z)
	if l := lineOf(z, "check.network"); !strings.HasPrefix(l, "✗") {
		t.Fatalf("network line %q", l)
	}
	clockOff = 0 // the technician sets the clock
	tap(t, z.Button("retry"), "retry")
	waitChecks(t, z)
	if l := lineOf(z, "check.detect"); !strings.HasPrefix(l, "✗") || z.Button("redetect") != nil {
		t.Fatalf("detection with no printer: %q, %v", lineOf(z, "check.detect"), z.CheckLines())
	}
	printerPath := plug(printer) // the printer's USB cable goes in
	tap(t, z.Button("retry"), "retry")
	waitChecks(t, z)
	if l := lineOf(z, "check.idreader"); !strings.HasPrefix(l, "✗") {
		t.Fatalf("reader with no card: %v", z.CheckLines())
	}
	reader.Place(sim.SampleResident())
	printer.OpenCover()
	tap(t, z.Button("retry"), "retry")
	waitChecks(t, z)
	if l := lineOf(z, "check.printer"); !strings.HasPrefix(l, "✗") {
		t.Fatalf("printer with its cover open: %v", z.CheckLines())
	}
	printer.CloseCover()
	tap(t, z.Button("retry"), "retry")
	waitChecks(t, z)
	if l := lineOf(z, "check.scanner"); !strings.HasPrefix(l, "✗") {
		t.Fatalf("scanner with no code: %v", z.CheckLines())
	}
	go func() { time.Sleep(200 * time.Millisecond); scanner.Present("ANY-CODE") }()
	tap(t, z.Button("retry"), "retry")
	select {
	case <-r.done:
	case <-time.After(30 * time.Second):
		t.Fatalf("not set up: %v %v", z.CheckLines(), z.Results())
	}
	if got := strings.Join(calls, " "); got != "net net detect detect" {
		t.Errorf("checks run: %s", got)
	}
	if printer.Stats().Cuts != 1 {
		t.Errorf("self-test receipts cut: %d", printer.Stats().Cuts)
	}
	conf, _ := os.ReadFile(filepath.Join(r.data, provision.ConfigName))
	for _, want := range []string{"idreader.port = " + readerPath, "printer.port = " + printerPath, "scanner.port = " + scannerPath} {
		if !strings.Contains(string(conf), want) {
			t.Errorf("configuration lacks %q:\n%s", want, conf)
		}
	}
}

// fakeChecks fail each step a scripted number of times.
type fakeChecks struct {
	mu    sync.Mutex
	fails map[technician.Step]int
	runs  map[technician.Step]int
}

func (f *fakeChecks) run(s technician.Step) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.runs[s]++
	return f.runs[s] > f.fails[s]
}

func (f *fakeChecks) checks() *Checks {
	return &Checks{
		Net: func(context.Context, string, string) technician.NetResult {
			if f.run(technician.StepNetwork) {
				return technician.NetResult{Reachable: true}
			}
			return technician.NetResult{Problem: technician.ProblemTimeout, Err: errors.New("timeout")}
		},
		Detect: func(context.Context) ([]technician.Finding, error) {
			found := []technician.Finding{
				{Port: serialport.Port{Path: "/dev/ttyUSB0", IsUSB: true, VID: "0400", PID: "c35a", SerialNumber: "SAM42"}, Kind: kiosk.DeviceIDReader, Name: "ID card reader (SAM status)", Baud: 115200, Answer: "SAM ready",
					Status: kiosk.DeviceStatus{Kind: kiosk.DeviceIDReader, State: kiosk.DeviceOnline}},
				{Port: serialport.Port{Path: "/dev/ttyUSB1", IsUSB: true, VID: "0fe6", PID: "811e"}, Kind: kiosk.DevicePrinter, Name: "printer (DLE EOT status)", Baud: 115200, Answer: "online, paper low",
					Status: kiosk.DeviceStatus{Kind: kiosk.DevicePrinter, State: kiosk.DeviceOnline, Paper: kiosk.PaperLow}},
				{Port: serialport.Port{Path: "/dev/ttyACM0", IsUSB: true, VID: "1eab", PID: "0d10"}, Kind: kiosk.DeviceScanner, Name: "scanner (GM65 register read)", Baud: 9600,
					Status: kiosk.DeviceStatus{Kind: kiosk.DeviceScanner, State: kiosk.DeviceOnline}},
			}
			if f.run(technician.StepDetect) {
				return found, nil
			}
			return found[:2], nil
		},
		Tester: f,
	}
}

var testStep = map[kiosk.DeviceKind]technician.Step{kiosk.DeviceIDReader: technician.StepIDReader, kiosk.DevicePrinter: technician.StepPrinter, kiosk.DeviceScanner: technician.StepScanner}

func (f *fakeChecks) Test(_ context.Context, role kiosk.DeviceKind, path string) (string, error) {
	if f.run(testStep[role]) {
		return "ok at " + path, nil
	}
	return "", errors.New("did not answer")
}

// Generated sequences on the real widgets: each check fails 0 to 2 times,
// and the technician taps 重试 after each failure (sometimes 重新查找设备
// first, once detection has passed). Each check runs exactly once more
// than it failed, except when detection is redone, and the set-up then
// enrols with the USB identities found.
func TestChecksGeneratedRetries(t *testing.T) {
	kioskApp(t)
	for seed := uint64(1); seed <= 12; seed++ {
		rnd := rand.New(rand.NewPCG(seed, 13))
		f := &fakeChecks{fails: map[technician.Step]int{}, runs: map[technician.Step]int{}}
		for _, s := range technician.SetupSteps {
			f.fails[s] = rnd.IntN(3)
		}
		r := newRig(t)
		var drafts []string
		o := r.options()
		o.Checks = f.checks()
		o.Apply = func(ctx context.Context, path string, progress func(provision.Step, error)) error {
			data, _ := os.ReadFile(path)
			drafts = append(drafts, string(data))
			progress(provision.StepConfig, nil)
			return nil
		}
		w := test.NewTempWindow(t, nil)
		w.Resize(fyne.NewSize(1920, 1080))
		z := Show(context.Background(), w, o)
		tap(t, z.Button("lang:zh"), "中文")
		fillForm(t, z, "bo.example:8443", "tbe_x")
		redone := 0
		for i := 0; ; i++ {
			waitChecks(t, z)
			if z.Button("retry") == nil {
				break
			}
			if i > 20 {
				t.Fatalf("seed %d: no end: %v", seed, z.CheckLines())
			}
			if z.Button("redetect") != nil && rnd.IntN(4) == 0 {
				redone++
				tap(t, z.Button("redetect"), "redetect")
				continue
			}
			tap(t, z.Button("retry"), "retry")
		}
		select {
		case <-r.done:
		case <-time.After(10 * time.Second):
			t.Fatalf("seed %d: not done: %v", seed, z.CheckLines())
		}
		if f.runs[technician.StepNetwork] != f.fails[technician.StepNetwork]+1 {
			t.Errorf("seed %d: network ran %d times, failed %d", seed, f.runs[technician.StepNetwork], f.fails[technician.StepNetwork])
		}
		if redone == 0 {
			for _, s := range technician.SetupSteps {
				if f.runs[s] != f.fails[s]+1 {
					t.Errorf("seed %d: %s ran %d times, failed %d", seed, s, f.runs[s], f.fails[s])
				}
			}
		}
		if len(drafts) != 1 || !strings.Contains(drafts[0], "idreader.usb = 0400:c35a\nidreader.serial = SAM42\nprinter.usb = 0fe6:811e\nscanner.usb = 1eab:0d10\n") {
			t.Errorf("seed %d: drafts %q", seed, drafts)
		}
	}
}

// 换端口 gives a role the next port when the probe guessed wrong, and
// tests it there at once.
func TestChecksNextPort(t *testing.T) {
	kioskApp(t)
	f := &fakeChecks{fails: map[technician.Step]int{technician.StepPrinter: 1}, runs: map[technician.Step]int{}}
	var tested []string
	ch := f.checks()
	ch.Tester = testerFunc(func(ctx context.Context, role kiosk.DeviceKind, path string) (string, error) {
		if role == kiosk.DevicePrinter {
			tested = append(tested, path)
		}
		return f.Test(ctx, role, path)
	})
	r := newRig(t)
	o := r.options()
	o.Checks = ch
	o.Apply = func(ctx context.Context, path string, progress func(provision.Step, error)) error { return nil }
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1920, 1080))
	z := Show(context.Background(), w, o)
	tap(t, z.Button("lang:zh"), "中文")
	f.fails[technician.StepDetect] = 0
	fillForm(t, z, "bo.example:8443", "tbe_x")
	waitChecks(t, z)
	tap(t, z.Button("port:printer"), "next port")
	select {
	case <-r.done:
	case <-time.After(10 * time.Second):
		t.Fatalf("not done: %v", z.CheckLines())
	}
	if fmt.Sprint(tested) != "[/dev/ttyUSB1 /dev/ttyACM0]" {
		t.Errorf("printer tested on %v", tested)
	}
}

type testerFunc func(ctx context.Context, role kiosk.DeviceKind, path string) (string, error)

func (f testerFunc) Test(ctx context.Context, role kiosk.DeviceKind, path string) (string, error) {
	return f(ctx, role, path)
}

var update = flag.Bool("update", false, "rewrite the golden screenshots")

// The checks page as a technician sees it when the printer's test failed:
// the steps with their marks, the advice, the ports with their USB
// identities and the roles assigned, in each language.
func TestChecksPageGolden(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			kioskApp(t)
			f := &fakeChecks{fails: map[technician.Step]int{technician.StepPrinter: 1}, runs: map[technician.Step]int{}}
			r := newRig(t)
			o := r.options()
			o.Checks = f.checks()
			w := test.NewTempWindow(t, nil)
			w.Resize(fyne.NewSize(1920, 1080))
			z := Show(context.Background(), w, o)
			tap(t, z.Button("lang:"+lang), lang)
			fillForm(t, z, "bo.example:8443", "tbe_x")
			waitChecks(t, z)
			golden.Assert(t, "checks-printer-failed-"+lang, w.Canvas().Capture(), *update)
			// The ports' states in words of the chosen language, never
			// the printer protocol's English.
			z.mu.Lock()
			shown := strings.Join(canvasTexts(w.Content()), "\n")
			z.mu.Unlock()
			want := map[string]string{"zh": "小票打印机 · 正常，纸张快用完了", "en": "receipt printer · working, paper running low"}[lang]
			if !strings.Contains(shown, want) || strings.Contains(shown, "online, paper low") || (lang == "zh" && strings.Contains(shown, "ok at")) {
				t.Errorf("the ports do not say %q:\n%s", want, shown)
			}
		})
	}
}

// canvasTexts is every text drawn under o.
func canvasTexts(o fyne.CanvasObject) []string {
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *canvas.Text:
			out = append(out, x.Text)
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}
