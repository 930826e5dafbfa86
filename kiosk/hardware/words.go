package hardware

import "github.com/tongban/tongban/kiosk"

// Plain words for greyed items and the out-of-service screen (UX.md §1:
// what happened, what to do now, where else to go).

var (
	backOfficeWords = kiosk.Text{
		ZH: "网络暂时中断，此事项需要联网办理，请到人工窗口。",
		EN: "The network is down and this service needs it. Please go to the staffed counter.",
	}
	genericWords = kiosk.Text{
		ZH: "本机暂不能办理此事项，请到人工窗口。",
		EN: "This service is not available on this terminal now. Please go to the staffed counter.",
	}
	paperOutWords = kiosk.Text{
		ZH: "打印机缺纸，暂不能办理此事项，请到人工窗口。",
		EN: "The printer is out of paper, so this service is not available here now. Please go to the staffed counter.",
	}
	paperJamWords = kiosk.Text{
		ZH: "打印机卡纸，暂不能办理此事项，请到人工窗口。",
		EN: "The printer has a paper jam, so this service is not available here now. Please go to the staffed counter.",
	}
	outOfServiceWords = kiosk.Text{
		ZH: "本机暂停服务，请到人工窗口办理，或拨打12345咨询。",
		EN: "This terminal is out of service. Please go to the staffed counter or call 12345.",
	}
	consumablesWords = kiosk.Text{
		ZH: "本机打印纸用完了，暂停服务，请到人工窗口办理。",
		EN: "This terminal has run out of paper and is out of service. Please go to the staffed counter.",
	}
	hoursWords = kiosk.Text{
		ZH: "现在不在服务时间，请在服务时间内再来，或拨打12345咨询。",
		EN: "The terminal is closed now. Please come back during opening hours or call 12345.",
	}
)

func name(kind kiosk.DeviceKind) kiosk.Text {
	switch kind {
	case kiosk.DeviceIDReader:
		return kiosk.Text{ZH: "身份证阅读器", EN: "ID card reader"}
	case kiosk.DevicePrinter:
		return kiosk.Text{ZH: "打印机", EN: "printer"}
	case kiosk.DeviceScanner:
		return kiosk.Text{ZH: "扫码器", EN: "code scanner"}
	}
	return kiosk.Text{ZH: "设备", EN: "device"}
}

// deviceWords explains an unusable device.
func deviceWords(st kiosk.DeviceStatus) kiosk.Text {
	if st.Kind == kiosk.DevicePrinter {
		switch st.Paper {
		case kiosk.PaperOut:
			return paperOutWords
		case kiosk.PaperJammed:
			return paperJamWords
		}
	}
	n := name(st.Kind)
	return kiosk.Text{
		ZH: n.ZH + "暂时不能使用，暂不能办理此事项，请到人工窗口。",
		EN: "The " + n.EN + " is not working now, so this service is not available here. Please go to the staffed counter.",
	}
}

// missingWords explains a device this terminal does not have.
func missingWords(kind kiosk.DeviceKind) kiosk.Text {
	n := name(kind)
	return kiosk.Text{
		ZH: "本机没有" + n.ZH + "，此事项请到人工窗口办理。",
		EN: "This terminal has no " + n.EN + ". Please go to the staffed counter for this service.",
	}
}

// terminalWords explains an unavailable terminal.
func terminalWords(reason string) kiosk.Text {
	switch reason {
	case ReasonConsumables:
		return consumablesWords
	case ReasonHours:
		return hoursWords
	}
	return outOfServiceWords
}

// TerminalWords is what the out-of-service screen says for a terminal
// state; empty while the terminal is available.
func TerminalWords(t kiosk.TerminalState) kiosk.Text {
	if t.Available {
		return kiosk.Text{}
	}
	return terminalWords(t.Reason)
}
