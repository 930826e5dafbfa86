package technician

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/config"
)

// A device configured by USB identity is found on the listed port with
// that identity (and serial number); one by path keeps it; one whose
// identity is not listed has no port.
func TestConfiguredPorts(t *testing.T) {
	cfg := config.Config{
		IDReader: config.DeviceConfig{USB: "10c4:ea60", Serial: "B"},
		Printer:  config.DeviceConfig{Port: "/dev/kiosk-printer"},
		Scanner:  config.DeviceConfig{USB: "ffff:0001"},
	}
	listed := []serialport.Port{
		{Path: "/dev/ttyUSB0", VID: "10c4", PID: "ea60", SerialNumber: "A"},
		{Path: "/dev/ttyUSB1", VID: "10c4", PID: "ea60", SerialNumber: "B"},
	}
	a := ConfiguredPorts(cfg, listed)
	if len(a) != 2 || a[kiosk.DeviceIDReader] != "/dev/ttyUSB1" || a[kiosk.DevicePrinter] != "/dev/kiosk-printer" {
		t.Fatalf("assignment %v", a)
	}
}

// From outside the kiosk each role's port is probed: the printer answers
// on its port, the reader's port has the scanner (another device), the
// scanner's port is gone, and a port that cannot be opened is busy.
func TestDeviceStates(t *testing.T) {
	r := newRig(t)
	a := Assignment{kiosk.DevicePrinter: r.paths["printer"], kiosk.DeviceIDReader: r.paths["printer"] + "-x", kiosk.DeviceScanner: filepath.Join(t.TempDir(), "gone")}
	busy := r.paths["reader"]
	a[kiosk.DeviceIDReader] = busy
	open := func(path string, baud int) (Conn, error) {
		if path == busy {
			return nil, errors.New("device or resource busy")
		}
		return OpenSerial(path, baud)
	}
	got := DeviceStates(context.Background(), a, open, 300*time.Millisecond)
	want := map[kiosk.DeviceKind]kiosk.DeviceState{kiosk.DeviceIDReader: kiosk.DeviceBusy, kiosk.DevicePrinter: kiosk.DeviceOnline, kiosk.DeviceScanner: kiosk.DeviceNoDevice}
	if len(got) != 3 {
		t.Fatalf("states %+v", got)
	}
	for _, st := range got {
		if st.State != want[st.Kind] {
			t.Errorf("%s: %s (%s), want %s", st.Kind, st.State, st.Detail, want[st.Kind])
		}
	}
	a[kiosk.DeviceIDReader] = r.paths["printer"]
	a[kiosk.DevicePrinter] = ""
	for _, st := range DeviceStates(context.Background(), a, OpenSerial, 300*time.Millisecond) {
		switch st.Kind {
		case kiosk.DeviceIDReader:
			if st.State != kiosk.DeviceOffline {
				t.Errorf("the reader's port with the printer on it: %s", st.State)
			}
		case kiosk.DevicePrinter:
			if st.State != kiosk.DeviceNoDevice {
				t.Errorf("no printer port configured: %s", st.State)
			}
		}
	}
}
