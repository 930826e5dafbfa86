package technician

import (
	"errors"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk"
)

// rig is the three simulated devices on pseudo-terminals, as the set-up
// finds them on a terminal (plus a port where nothing answers).
type rig struct {
	reader  *sim.IDCardReader
	printer *sim.Printer
	scanner *sim.Scanner
	paths   map[string]string // name → pty path
	ports   []serialport.Port
}

func newRig(t *testing.T) *rig {
	t.Helper()
	p, err := sim.NewPrinter(sim.PrinterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{reader: sim.NewIDCardReader(sim.IDCardOptions{}), printer: p, scanner: sim.NewScanner(sim.ScannerOptions{}), paths: map[string]string{}}
	// The listing order a machine might give, with USB identities as the
	// enumerator reports them (the simulators are pseudo-terminals).
	for _, d := range []struct {
		name string
		dev  sim.Device
		usb  serialport.Port
	}{
		{"scanner", r.scanner, serialport.Port{IsUSB: true, VID: "1eab", PID: "0d10", SerialNumber: "SCN01"}},
		{"printer", r.printer, serialport.Port{IsUSB: true, VID: "0fe6", PID: "811e"}},
		{"reader", r.reader, serialport.Port{IsUSB: true, VID: "0400", PID: "c35a", SerialNumber: "SAM42"}},
	} {
		path, closeFn, err := sim.ServePTY(t.Context(), d.dev)
		if err != nil {
			t.Skipf("no pseudo-terminal here: %v", err)
		}
		t.Cleanup(func() { closeFn() })
		d.usb.Path = path
		r.paths[d.name] = path
		r.ports = append(r.ports, d.usb)
	}
	return r
}

func (r *rig) list() ([]serialport.Port, error) {
	return append([]serialport.Port(nil), r.ports...), nil
}

// Detection lists every port with its USB identity, names each device and
// assigns each role its port; a port that is gone is reported, not fatal.
func TestDetectAssignsEachRole(t *testing.T) {
	r := newRig(t)
	found, err := Detect(t.Context(), r.list, []string{"/nonexistent/tty"}, OpenSerial, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 4 {
		t.Fatalf("%d findings", len(found))
	}
	kinds := map[string]kiosk.DeviceKind{}
	for _, f := range found {
		kinds[f.Port.Path] = f.Kind
	}
	if kinds[r.paths["reader"]] != kiosk.DeviceIDReader || kinds[r.paths["printer"]] != kiosk.DevicePrinter || kinds[r.paths["scanner"]] != kiosk.DeviceScanner {
		t.Fatalf("kinds %v", kinds)
	}
	if found[0].Port.USBID() != "1eab:0d10" || found[0].Port.SerialNumber != "SCN01" {
		t.Errorf("USB identity lost: %+v", found[0].Port)
	}
	if found[3].Err == nil || found[3].Summary() == "" {
		t.Errorf("a missing port: %+v", found[3])
	}
	a := Assign(found)
	if len(a.Missing()) != 0 || a[kiosk.DevicePrinter] != r.paths["printer"] {
		t.Fatalf("assignment %v", a)
	}
	// The technician moves the scanner's role along the ports.
	if got := a.Next(kiosk.DeviceScanner, found); got != r.paths["printer"] {
		t.Errorf("next port %q", got)
	}
}

// Each role's test on the simulators, each failing first and then passing
// on a retry: no card, then a card; a printer with its cover open, then
// closed; no code, then a code.
func TestRoleTestsFailThenPass(t *testing.T) {
	r := newRig(t)
	tester := SerialTester{Open: OpenSerial, Wait: 600 * time.Millisecond,
		SelfTest: func() kiosk.SelfTest { return kiosk.SelfTest{CenterName: "测试中心", Terminal: "CS0101"} }}
	ctx := t.Context()

	if _, err := tester.Test(ctx, kiosk.DeviceIDReader, r.paths["reader"]); !errors.Is(err, ErrNothingPresented) {
		t.Fatalf("reader with no card: %v", err)
	}
	r.reader.Place(sim.SampleResident())
	if got, err := tester.Test(ctx, kiosk.DeviceIDReader, r.paths["reader"]); err != nil || got != "card read" {
		t.Fatalf("reader with a card: %q, %v", got, err)
	}

	r.printer.OpenCover()
	if _, err := tester.Test(ctx, kiosk.DevicePrinter, r.paths["printer"]); err == nil {
		t.Fatal("printed with the cover open")
	}
	r.printer.CloseCover()
	if _, err := tester.Test(ctx, kiosk.DevicePrinter, r.paths["printer"]); err != nil {
		t.Fatalf("printer: %v", err)
	}
	if printed := r.printer.Stats(); printed.Cuts == 0 {
		t.Errorf("no receipt cut: %+v", printed)
	}

	if _, err := tester.Test(ctx, kiosk.DeviceScanner, r.paths["scanner"]); !errors.Is(err, ErrNothingPresented) {
		t.Fatalf("scanner with nothing shown: %v", err)
	}
	go func() { time.Sleep(150 * time.Millisecond); r.scanner.Present("TEST-CODE-1") }()
	if got, err := tester.Test(ctx, kiosk.DeviceScanner, r.paths["scanner"]); err != nil || got != "code read (11 characters)" {
		t.Fatalf("scanner: %q, %v", got, err)
	}
	if _, err := tester.Test(ctx, kiosk.DeviceScanner, ""); err == nil {
		t.Error("a test with no port assigned")
	}
}

// The configuration finds each device by its USB identity when that is
// unique, by path when two adapters look the same or a port has none.
func TestAssignmentConfigLines(t *testing.T) {
	found := []Finding{
		{Port: serialport.Port{Path: "/dev/ttyUSB0", IsUSB: true, VID: "1a86", PID: "7523"}},
		{Port: serialport.Port{Path: "/dev/ttyUSB1", IsUSB: true, VID: "1a86", PID: "7523"}},
		{Port: serialport.Port{Path: "/dev/ttyACM0", IsUSB: true, VID: "0400", PID: "c35a", SerialNumber: "SAM42"}},
		{Port: serialport.Port{Path: "/dev/ttyS0"}},
	}
	a := Assignment{kiosk.DeviceIDReader: "/dev/ttyACM0", kiosk.DevicePrinter: "/dev/ttyUSB1", kiosk.DeviceScanner: "/dev/ttyS0"}
	want := "idreader.usb = 0400:c35a\nidreader.serial = SAM42\nprinter.port = /dev/ttyUSB1\nscanner.port = /dev/ttyS0\n"
	if got := a.ConfigLines(found); got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}
}

// A probe's answer comes as a device status too, so that screens can say it
// in words of their language: the printer's paper as it reports it, the
// reader and scanner online.
func TestProbeReportsTheStatus(t *testing.T) {
	r := newRig(t)
	r.printer.LoadPaper(0)
	found, err := Detect(t.Context(), r.list, nil, OpenSerial, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	got := map[kiosk.DeviceKind]kiosk.DeviceStatus{}
	for _, f := range found {
		got[f.Kind] = f.Status
	}
	if p := got[kiosk.DevicePrinter]; p.Paper != kiosk.PaperOut || p.Kind != kiosk.DevicePrinter {
		t.Errorf("printer without paper: %+v", p)
	}
	for _, k := range []kiosk.DeviceKind{kiosk.DeviceIDReader, kiosk.DeviceScanner} {
		if got[k].State != kiosk.DeviceOnline {
			t.Errorf("%s: %+v", k, got[k])
		}
	}
}
