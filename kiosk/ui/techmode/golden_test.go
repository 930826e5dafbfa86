package techmode

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/technician"
	"github.com/tongban/tongban/kiosk/ui/internal/golden"
)

// fixedDiagnostics is a terminal with a paper-low printer, a reader that
// failed, three submissions waiting and the clock a little off.
func fixedDiagnostics() technician.Diagnostics {
	at := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	return technician.Diagnostics{
		TakenAt: at, Center: "CS01", Terminal: "CS0101",
		Versions: []kiosk.Component{{Name: "Tongban", Version: "0.1.0"}, {Name: "catalog", Version: "2026-12-01"}},
		Devices: []technician.DeviceDiag{
			{Kind: kiosk.DeviceIDReader, State: kiosk.DeviceHardwareError, Port: "/dev/ttyUSB0", USBID: "0400:c35a", Serial: "SAM42", Detail: "SAM self-test failed"},
			{Kind: kiosk.DevicePrinter, State: kiosk.DeviceOnline, Paper: kiosk.PaperLow, Port: "/dev/ttyUSB1", USBID: "0fe6:811e"},
			{Kind: kiosk.DeviceScanner, State: kiosk.DeviceOnline, Port: "/dev/ttyACM0", USBID: "1eab:0d10"},
		},
		Queue:      technician.QueueDiag{Waiting: 3, Quarantined: 1, OldestWaiting: at.Add(-42 * time.Minute)},
		LastSync:   at.Add(-40 * time.Minute),
		BackOffice: technician.NetDiag{Reachable: true, SkewKnown: true, SkewSeconds: 2},
		Disk:       technician.DiskDiag{FreeBytes: 27 << 30, TotalBytes: 32 << 30},
	}
}

// The technician's screens, each language: login, diagnostics, the reset
// refused while submissions wait, and the devices found again.
func TestTechnicianScreensGolden(t *testing.T) {
	time.Local = time.UTC
	for lang, name := range []string{"zh", "en"} {
		t.Run(name, func(t *testing.T) {
			kioskApp(t)
			tm := newTerminal(t, 3)
			o := tm.options
			o.Lang = lang
			o.Collect = func(context.Context) technician.Diagnostics { return fixedDiagnostics() }
			o.Detect = func(context.Context) ([]technician.Finding, error) { return sampleFindings(), nil }
			o.Tester = testerFunc(func(context.Context, kiosk.DeviceKind, string) (string, error) {
				return "self-test receipt printed", nil
			})
			w := test.NewTempWindow(t, nil)
			w.Resize(fyne.NewSize(1920, 1080))
			m := Show(context.Background(), w, o)
			typeKeys(t, m, "tech")
			golden.Assert(t, "login-"+name, w.Canvas().Capture(), *update)
			typeKeys(t, m, "-246810")
			tap(t, m.Button("ok"), "OK")
			waitFor(t, "the diagnostics", func() bool { return m.Button("export") != nil })
			golden.Assert(t, "diagnostics-"+name, w.Canvas().Capture(), *update)
			// The devices' states in the technician's language, in the
			// words staff see; never the states' wire names.
			want := map[string][]string{
				"zh": {"身份证读卡器：故障", "小票打印机：正常，纸张快用完了", "42 分钟"},
				"en": {"ID card reader: faulty", "Receipt printer: working, paper running low", "42 min"},
			}[name]
			for _, part := range want {
				if !shows(m, part) {
					t.Errorf("the diagnostics do not say %q: %q", part, m.Texts())
				}
			}
			for _, raw := range []string{"hardware-error", "online", "paper low"} {
				if shows(m, raw) {
					t.Errorf("the diagnostics show the wire name %q: %q", raw, m.Texts())
				}
			}
			tap(t, m.Button("reset"), "reset")
			golden.Assert(t, "reset-refused-"+name, w.Canvas().Capture(), *update)
			tap(t, m.Button("back"), "back")
			waitFor(t, "the diagnostics", func() bool { return m.Button("redetect") != nil })
			tap(t, m.Button("redetect"), "find devices again")
			waitFor(t, "the ports", func() bool { return m.Button("save") != nil })
			golden.Assert(t, "devices-"+name, w.Canvas().Capture(), *update)
			printer := map[string]string{"zh": "小票打印机 · 正常，纸张快用完了", "en": "Receipt printer · working, paper running low"}[name]
			if !shows(m, printer) || shows(m, "online, paper low") {
				t.Errorf("the ports do not say %q: %q", printer, m.Texts())
			}
			// A passed test in the technician's words; the driver's
			// English report only on the English screen.
			tap(t, m.Button("test:printer"), "test the printer")
			waitFor(t, "the test", func() bool { return m.Button("save") != nil })
			passed := map[string]string{"zh": "小票打印机测试通过", "en": "Receipt printer test passed: self-test receipt printed"}[name]
			if !shows(m, passed) || (name == "zh" && shows(m, "self-test receipt printed")) {
				t.Errorf("after the printer's test: %q", m.Texts())
			}
		})
	}
}
