package technician

import (
	"errors"
	"testing"

	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
)

func TestFindingLine(t *testing.T) {
	sp := Speech{NoUSB: "非 USB", Silent: "无应答", CannotOpen: "打不开：", Paper: "，纸张%s",
		Role: func(k kiosk.DeviceKind) string {
			return map[kiosk.DeviceKind]string{kiosk.DevicePrinter: "小票打印机"}[k]
		},
		Said: func(id, fallback string) string {
			if w, ok := map[string]string{"device.state.online": "正常", "device.paper.low": "快用完了", "device.state.hardware-error": "故障"}[id]; ok {
				return w
			}
			return fallback
		}}
	usb := serialport.Port{Path: "/dev/ttyUSB1", IsUSB: true, VID: "0fe6", PID: "811e", SerialNumber: "P7"}
	for _, tc := range []struct {
		name  string
		f     Finding
		width int
		want  string
	}{
		{"silent, not USB", Finding{Port: serialport.Port{Path: "/dev/ttyS0"}}, 48, "/dev/ttyS0  非 USB  无应答"},
		{"cannot open", Finding{Port: usb, Err: errors.New("permission denied")}, 48, "/dev/ttyUSB1  USB 0fe6:811e S/N P7  打不开： permission denied"},
		{"online, paper low", Finding{Port: usb, Kind: kiosk.DevicePrinter, Answer: "online, paper low",
			Status: kiosk.DeviceStatus{State: kiosk.DeviceOnline, Paper: kiosk.PaperLow}}, 48, "/dev/ttyUSB1  USB 0fe6:811e S/N P7  小票打印机 · 正常，纸张快用完了"},
		{"faulty: the device's own words beside", Finding{Port: usb, Kind: kiosk.DevicePrinter, Answer: "cutter error",
			Status: kiosk.DeviceStatus{State: kiosk.DeviceHardwareError}}, 48, "/dev/ttyUSB1  USB 0fe6:811e S/N P7  小票打印机 · 故障 (cutter error)"},
		{"no state: the protocol's words", Finding{Port: usb, Kind: kiosk.DevicePrinter, Answer: "ok"}, 48, "/dev/ttyUSB1  USB 0fe6:811e S/N P7  小票打印机 · ok"},
		{"cut to width", Finding{Port: usb, Err: errors.New("a very long error from the driver")}, 10, "/dev/ttyUSB1  USB 0fe6:811e S/N P7  打不开： a ve…"},
	} {
		if got := tc.f.Line(sp, tc.width); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}
