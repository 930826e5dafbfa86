package uplink

import (
	"testing"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/kiosk"
)

// TestAlarmForA4Printer: the A4 printer's paper and faults alarm staff as
// the receipt printer's do; low toner or a usable printer do not.
func TestAlarmForA4Printer(t *testing.T) {
	for _, tc := range []struct {
		st   kiosk.DeviceStatus
		want api.AlarmKind
	}{
		{kiosk.DeviceStatus{Kind: kiosk.DeviceA4Printer, State: kiosk.DeviceUserError, Paper: kiosk.PaperOut}, api.AlarmPaperOut},
		{kiosk.DeviceStatus{Kind: kiosk.DeviceA4Printer, State: kiosk.DeviceUserError, Paper: kiosk.PaperJammed}, api.AlarmPaperOut},
		{kiosk.DeviceStatus{Kind: kiosk.DeviceA4Printer, State: kiosk.DeviceHardwareError, Detail: "打印队列已停止 (queue stopped)"}, api.AlarmDeviceFault},
		{kiosk.DeviceStatus{Kind: kiosk.DeviceA4Printer, State: kiosk.DeviceOnline, Paper: kiosk.PaperFull, Detail: "墨粉不足 (toner low)"}, ""},
		{kiosk.DeviceStatus{Kind: kiosk.DevicePrinter, State: kiosk.DeviceOnline, Paper: kiosk.PaperOut}, api.AlarmPaperOut},
	} {
		got, ok := alarmFor(tc.st)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("alarmFor(%+v) = %q %v, want %q", tc.st, got, ok, tc.want)
		}
	}
}
