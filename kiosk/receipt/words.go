package receipt

import (
	"fmt"

	"github.com/tongban/tongban/kiosk"
)

// words are the printed words of one language.
type words struct {
	titleReceipt, titleTicket, titleSelfTest                   string
	terminal, center, item, localReceipt, official, applicant  string
	idNumber, submitted, promise, stillToBring, nothing        string
	afterDone, scanProgress, queued, keep                      string
	service, issued, ticketNote, nobodyAhead                   string
	printedAt, versions, devices, testPattern, bold, underline string
	large, selfTestFoot                                        string
}

// wordsIn returns the printed words in lang (Chinese unless English).
func wordsIn(lang kiosk.Lang) words {
	if lang == kiosk.LangEN {
		return words{
			titleReceipt: "Acceptance Receipt", titleTicket: "Queue Ticket", titleSelfTest: "Printer Self-Test",
			terminal: "Terminal: ", center: "Center: ", item: "Service: ", localReceipt: "Receipt no.: ",
			official: "Case no.: ", applicant: "Applicant: ", idNumber: "ID number: ", submitted: "Submitted: ",
			promise: "Time limit: ", stillToBring: "Still to bring: ", nothing: "nothing",
			afterDone: "When done: ", scanProgress: "Scan to check progress\nor call 12345",
			queued:  "It will be sent when the network is back; your receipt number stays valid.",
			keep:    "Please keep this receipt.",
			service: "Service: ", issued: "Issued: ",
			ticketNote:  "Please watch the screen for your number. If you miss it, take a new ticket.",
			nobodyAhead: "Nobody is ahead of you",
			printedAt:   "Printed: ", versions: "Versions", devices: "Devices", testPattern: "Test pattern",
			bold: "Bold 粗体", underline: "Underline 下划线", large: "Large",
			selfTestFoot: "QR code, barcode and bars\nshould all be sharp.",
		}
	}
	return words{
		titleReceipt: "受 理 回 执", titleTicket: "取 号 单", titleSelfTest: "打印机自检页",
		terminal: "终端：", center: "中心：", item: "事项：", localReceipt: "回执编号：",
		official: "受理编号：", applicant: "申请人：", idNumber: "证件号码：", submitted: "提交时间：",
		promise: "承诺时限：", stillToBring: "还需提供：", nothing: "无",
		afterDone: "办好后：", scanProgress: "扫码查进度  或拨打 12345",
		queued:  "网络恢复后将自动提交，\n回执编号同样有效。",
		keep:    "请妥善保管本回执",
		service: "业务：", issued: "取号时间：",
		ticketNote:  "请留意叫号，过号请重新取号。",
		nobodyAhead: "前面没有人等候",
		printedAt:   "打印时间：", versions: "软件版本", devices: "设备状态", testPattern: "打印测试",
		bold: "粗体 Bold", underline: "下划线 Underline", large: "大字",
		selfTestFoot: "二维码、条码、黑条均应清晰。",
	}
}

// cjkTestLine fills a line with Chinese characters on any paper width.
const cjkTestLine = "汉字满行测试汉字满行测试汉字满行测试汉字满行测试"

// waiting says how many people are ahead in the queue.
func waiting(n int, lang kiosk.Lang) string {
	switch {
	case n <= 0:
		return wordsIn(lang).nobodyAhead
	case lang == kiosk.LangEN && n == 1:
		return "1 person is ahead of you"
	case lang == kiosk.LangEN:
		return fmt.Sprintf("%d people are ahead of you", n)
	}
	return fmt.Sprintf("您前面还有 %d 人等候", n)
}

// promise says a time limit in plain words.
func promise(t kiosk.TimeLimit, lang kiosk.Lang) string {
	if t.Days == 0 {
		return kiosk.Text{ZH: "当场办结", EN: "done on the spot"}.In(lang)
	}
	unit := map[string]kiosk.Text{
		"":              {ZH: "个工作日", EN: "working days"},
		"working-days":  {ZH: "个工作日", EN: "working days"},
		"calendar-days": {ZH: "个自然日", EN: "calendar days"},
		"months":        {ZH: "个月", EN: "months"},
	}[t.Unit]
	if unit.ZH == "" {
		unit = kiosk.Text{ZH: "个工作日", EN: "working days"}
	}
	if lang == kiosk.LangEN {
		if t.Days == 1 {
			unit.EN = unit.EN[:len(unit.EN)-1]
		}
		return fmt.Sprintf("%d %s", t.Days, unit.EN)
	}
	return fmt.Sprintf("%d%s", t.Days, unit.ZH)
}

// deviceWords names a device and its state for the self-test page.
func deviceWords(d kiosk.DeviceStatus, lang kiosk.Lang) (name, state string) {
	name = map[kiosk.DeviceKind]kiosk.Text{
		kiosk.DeviceIDReader: {ZH: "身份证读卡器", EN: "ID card reader"},
		kiosk.DevicePrinter:  {ZH: "回执打印机", EN: "Receipt printer"},
		kiosk.DeviceScanner:  {ZH: "扫码器", EN: "QR scanner"},
	}[d.Kind].In(lang)
	if name == "" {
		name = string(d.Kind)
	}
	state = map[kiosk.DeviceState]kiosk.Text{
		kiosk.DeviceOnline:        {ZH: "正常", EN: "online"},
		kiosk.DeviceOffline:       {ZH: "离线", EN: "offline"},
		kiosk.DeviceNoDevice:      {ZH: "未连接", EN: "not connected"},
		kiosk.DeviceHardwareError: {ZH: "硬件故障", EN: "hardware error"},
		kiosk.DeviceUserError:     {ZH: "需要处理", EN: "needs attention"},
		kiosk.DeviceBusy:          {ZH: "忙", EN: "busy"},
	}[d.State].In(lang)
	if state == "" {
		state = string(d.State)
	}
	if d.Paper != kiosk.PaperUnknown {
		paper := map[kiosk.Paper]kiosk.Text{
			kiosk.PaperFull:   {ZH: "纸充足", EN: "paper full"},
			kiosk.PaperLow:    {ZH: "纸将尽", EN: "paper low"},
			kiosk.PaperOut:    {ZH: "缺纸", EN: "paper out"},
			kiosk.PaperJammed: {ZH: "卡纸", EN: "paper jammed"},
		}[d.Paper].In(lang)
		if paper != "" {
			sep := "，"
			if lang == kiosk.LangEN {
				sep = ", "
			}
			state += sep + paper
		}
	}
	return name, state
}
