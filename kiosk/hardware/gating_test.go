package hardware

import (
	"testing"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

func TestAvailability(t *testing.T) {
	online := func(k kiosk.DeviceKind) kiosk.DeviceStatus {
		return kiosk.DeviceStatus{Kind: k, State: kiosk.DeviceOnline}
	}
	printer := func(state kiosk.DeviceState, paper kiosk.Paper) kiosk.DeviceStatus {
		return kiosk.DeviceStatus{Kind: kiosk.DevicePrinter, State: state, Paper: paper}
	}
	all := func(p kiosk.DeviceStatus) map[kiosk.DeviceKind]kiosk.DeviceStatus {
		return map[kiosk.DeviceKind]kiosk.DeviceStatus{
			kiosk.DeviceIDReader: online(kiosk.DeviceIDReader), kiosk.DevicePrinter: p, kiosk.DeviceScanner: online(kiosk.DeviceScanner),
		}
	}
	apply := kiosk.Item{Needs: []kiosk.Need{kiosk.NeedIDReader, kiosk.NeedPrinter}}
	onlineOnly := kiosk.Item{Needs: []kiosk.Need{kiosk.NeedIDReader, kiosk.NeedBackOffice}}
	guide := kiosk.Item{}
	verified := kiosk.Item{Identity: kiosk.IdentityVerified, Needs: []kiosk.Need{kiosk.NeedIDReader, kiosk.NeedFace, kiosk.NeedPrinter}}
	tests := []struct {
		name       string
		devices    map[kiosk.DeviceKind]kiosk.DeviceStatus
		backOffice bool
		terminal   kiosk.TerminalState
		item       kiosk.Item
		wantZH     string // "" means available
	}{
		{"all well", all(printer(kiosk.DeviceOnline, kiosk.PaperFull)), true, kiosk.TerminalState{Available: true}, apply, ""},
		{"paper low still serves", all(printer(kiosk.DeviceOnline, kiosk.PaperLow)), true, kiosk.TerminalState{Available: true}, apply, ""},
		{"busy printer still serves", all(printer(kiosk.DeviceBusy, kiosk.PaperFull)), true, kiosk.TerminalState{Available: true}, apply, ""},
		{"paper out", all(printer(kiosk.DeviceUserError, kiosk.PaperOut)), true, kiosk.TerminalState{Available: true}, apply, "打印机缺纸，暂不能办理此事项，请到人工窗口"},
		{"paper jammed", all(printer(kiosk.DeviceOnline, kiosk.PaperJammed)), true, kiosk.TerminalState{Available: true}, apply, "打印机卡纸，暂不能办理此事项，请到人工窗口"},
		{"printer unplugged", all(printer(kiosk.DeviceNoDevice, "")), true, kiosk.TerminalState{Available: true}, apply, "打印机暂时不能使用，暂不能办理此事项，请到人工窗口"},
		{"paper out does not grey items that do not print", all(printer(kiosk.DeviceUserError, kiosk.PaperOut)), true, kiosk.TerminalState{Available: true}, onlineOnly, ""},
		{"back office down", all(printer(kiosk.DeviceOnline, kiosk.PaperFull)), false, kiosk.TerminalState{Available: true}, onlineOnly, "此事项需要联网，现在网络不通，请到人工窗口"},
		{"back office down does not grey offline items", all(printer(kiosk.DeviceOnline, kiosk.PaperFull)), false, kiosk.TerminalState{Available: true}, apply, ""},
		{"reader in hardware error", map[kiosk.DeviceKind]kiosk.DeviceStatus{kiosk.DeviceIDReader: {Kind: kiosk.DeviceIDReader, State: kiosk.DeviceHardwareError}}, true, kiosk.TerminalState{Available: true}, onlineOnly, "身份证读卡器暂时不能用，暂不能办理此事项，请到人工窗口"},
		{"device this terminal lacks", map[kiosk.DeviceKind]kiosk.DeviceStatus{kiosk.DeviceIDReader: online(kiosk.DeviceIDReader)}, true, kiosk.TerminalState{Available: true}, apply, "本机没有打印机，此事项请到人工窗口办理"},
		{"first unmet need gives the reason", map[kiosk.DeviceKind]kiosk.DeviceStatus{kiosk.DevicePrinter: printer(kiosk.DeviceUserError, kiosk.PaperOut)}, true, kiosk.TerminalState{Available: true}, apply, "本机没有身份证读卡器，此事项请到人工窗口办理"},
		{"terminal out of service greys everything", all(printer(kiosk.DeviceOnline, kiosk.PaperFull)), true, kiosk.TerminalState{Reason: ReasonHardware}, guide, "本机暂停服务，请到人工窗口办理，或拨打12345咨询。"},
		{"out of hours", all(printer(kiosk.DeviceOnline, kiosk.PaperFull)), true, kiosk.TerminalState{Reason: ReasonHours}, guide, "现在不在服务时间，请在服务时间内再来，或拨打12345咨询。"},
		{"a verified identity goes to the counter even with all devices well", all(printer(kiosk.DeviceOnline, kiosk.PaperFull)), true, kiosk.TerminalState{Available: true}, verified, "此事项需要核验是本人，本机不能核验，请到人工窗口办理"},
		{"item needing nothing", nil, false, kiosk.TerminalState{Available: true}, guide, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Snapshot{Devices: tt.devices, BackOffice: tt.backOffice, Terminal: tt.terminal}
			a := s.Availability(tt.item)
			a.Reason = kiosktest.Words(t, a.Reason)
			if a.Available != (tt.wantZH == "") || a.Reason.ZH != tt.wantZH {
				t.Errorf("Availability = %+v, want reason %q", a, tt.wantZH)
			}
			if !a.Available && a.Reason.EN == "" {
				t.Error("no English reason")
			}
		})
	}
}

func TestTerminalState(t *testing.T) {
	st := func(k kiosk.DeviceKind, s kiosk.DeviceState, p kiosk.Paper) kiosk.DeviceStatus {
		return kiosk.DeviceStatus{Kind: k, State: s, Paper: p}
	}
	tests := []struct {
		name      string
		devices   []kiosk.DeviceStatus
		essential []kiosk.DeviceKind
		want      kiosk.TerminalState
	}{
		{"all well", []kiosk.DeviceStatus{st(kiosk.DevicePrinter, kiosk.DeviceOnline, kiosk.PaperFull)}, []kiosk.DeviceKind{kiosk.DevicePrinter}, kiosk.TerminalState{Available: true}},
		{"essential printer out of paper", []kiosk.DeviceStatus{st(kiosk.DevicePrinter, kiosk.DeviceUserError, kiosk.PaperOut)}, []kiosk.DeviceKind{kiosk.DevicePrinter}, kiosk.TerminalState{Reason: ReasonConsumables}},
		{"non-essential printer out of paper", []kiosk.DeviceStatus{st(kiosk.DevicePrinter, kiosk.DeviceUserError, kiosk.PaperOut)}, nil, kiosk.TerminalState{Available: true}},
		{"essential printer gone", []kiosk.DeviceStatus{st(kiosk.DevicePrinter, kiosk.DeviceNoDevice, "")}, []kiosk.DeviceKind{kiosk.DevicePrinter}, kiosk.TerminalState{Reason: ReasonHardware}},
		{"hardware outranks consumables", []kiosk.DeviceStatus{st(kiosk.DevicePrinter, kiosk.DeviceOnline, kiosk.PaperOut), st(kiosk.DeviceIDReader, kiosk.DeviceHardwareError, "")}, []kiosk.DeviceKind{kiosk.DevicePrinter, kiosk.DeviceIDReader}, kiosk.TerminalState{Reason: ReasonHardware}},
		{"essential scanner offline", []kiosk.DeviceStatus{st(kiosk.DeviceScanner, kiosk.DeviceOffline, "")}, []kiosk.DeviceKind{kiosk.DeviceScanner}, kiosk.TerminalState{Reason: ReasonHardware}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			devices := map[kiosk.DeviceKind]kiosk.DeviceStatus{}
			for _, d := range tt.devices {
				devices[d.Kind] = d
			}
			essential := map[kiosk.DeviceKind]bool{}
			for _, k := range tt.essential {
				essential[k] = true
			}
			if got := terminalState(devices, essential); got != tt.want {
				t.Errorf("terminalState = %+v, want %+v", got, tt.want)
			}
		})
	}
	if !TerminalWords(kiosk.TerminalState{Available: true}).IsZero() || kiosktest.Words(t, TerminalWords(kiosk.TerminalState{Reason: ReasonConsumables})).ZH != "本机打印纸用完了，暂停服务，请到人工窗口办理。" {
		t.Error("TerminalWords")
	}
}

func TestBackoff(t *testing.T) {
	b := Backoff{}.withDefaults()
	var got []int64
	for i := 0; i < 6; i++ {
		got = append(got, b.next(i).Milliseconds())
	}
	want := []int64{100, 200, 400, 800, 1000, 1000}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("waits = %v ms, want %v", got, want)
		}
	}
}
