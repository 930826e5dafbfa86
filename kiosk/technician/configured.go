package technician

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"time"

	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/config"
)

// ConfiguredPorts is each device's port as the configuration names it: the
// path, or the listed port whose USB identity (and serial number) it gives.
func ConfiguredPorts(cfg config.Config, listed []serialport.Port) Assignment {
	a := Assignment{}
	for kind, d := range map[kiosk.DeviceKind]config.DeviceConfig{
		kiosk.DeviceIDReader: cfg.IDReader, kiosk.DevicePrinter: cfg.Printer, kiosk.DeviceScanner: cfg.Scanner,
	} {
		if d.Port != "" {
			a[kind] = d.Port
			continue
		}
		for _, p := range listed {
			if d.USB != "" && p.USBID() == d.USB && (d.Serial == "" || d.Serial == p.SerialNumber) {
				a[kind] = p.Path
				break
			}
		}
	}
	return a
}

// DeviceStates probes each role's assigned port from outside the kiosk
// (kioskctl diag): online when the role's protocol answers there, no-device
// when the port is not there (or none is assigned), busy when it cannot be
// opened (the running kiosk holds it), offline when nothing or another
// device answers.
func DeviceStates(ctx context.Context, a Assignment, open Opener, timeout time.Duration) []kiosk.DeviceStatus {
	var out []kiosk.DeviceStatus
	for _, role := range Roles {
		st := kiosk.DeviceStatus{Kind: role, State: kiosk.DeviceNoDevice}
		path := a[role]
		if path == "" {
			st.Detail = "no port configured"
			out = append(out, st)
			continue
		}
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			st.Detail = "the port is not there: " + path
			out = append(out, st)
			continue
		}
		f := Probe(ctx, open, serialport.Port{Path: path}, timeout)
		switch {
		case f.Err != nil:
			st.State, st.Detail = kiosk.DeviceBusy, "the port cannot be opened (the running kiosk holds it): "+f.Err.Error()
		case f.Kind == role:
			st.State, st.Detail = kiosk.DeviceOnline, f.Answer
		case f.Kind != "":
			st.State, st.Detail = kiosk.DeviceOffline, "another device answers there: "+string(f.Kind)
		default:
			st.State, st.Detail = kiosk.DeviceOffline, "nothing answers"
		}
		out = append(out, st)
	}
	return out
}
