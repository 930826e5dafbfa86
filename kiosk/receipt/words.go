package receipt

import (
	"github.com/tongban/tongban/kiosk"
)

// words are the printed words of one language.
type words struct {
	titleReceipt, titleTicket, titleSelfTest                   string
	reprinted                                                  string // 补打, on a staff reprint
	terminal, center, item, localReceipt, official, applicant  string
	idNumber, submitted, promise, stillToBring, nothing        string
	afterDone, scanProgress, queued, keep                      string
	service, issued, ticketNote                                string
	printedAt, versions, devices, testPattern, bold, underline string
	large, selfTestFoot, paperWidth                            string
	agent, agentIDNumber                                       string // 代办人
	parts                                                      string // 一件事: 分项

	lang kiosk.Lang
	w    Words
}

// Words translates a text, data or a message of the i18n catalogs, into a
// language (*i18n.Catalog does).
type Words interface {
	Text(lang kiosk.Lang, t kiosk.Text) string
}

// wordsIn returns the printed words in lang (Chinese unless English).
func wordsIn(lang kiosk.Lang, w Words) words {
	if lang != kiosk.LangEN {
		lang = kiosk.LangZH
	}
	say := func(t kiosk.Text) string { return w.Text(lang, t) }
	return words{
		titleReceipt: say(kiosk.Msg("receipt.title_receipt")), titleTicket: say(kiosk.Msg("receipt.title_ticket")),
		titleSelfTest: say(kiosk.Msg("receipt.title_selftest")),
		terminal:      say(kiosk.Msg("receipt.terminal")), center: say(kiosk.Msg("receipt.center")),
		item: say(kiosk.Msg("receipt.item")), localReceipt: say(kiosk.Msg("receipt.local_receipt")),
		official: say(kiosk.Msg("receipt.official")), applicant: say(kiosk.Msg("receipt.applicant")),
		idNumber: say(kiosk.Msg("receipt.id_number")), submitted: say(kiosk.Msg("receipt.submitted")),
		promise: say(kiosk.Msg("receipt.promise")), stillToBring: say(kiosk.Msg("receipt.still_to_bring")),
		nothing: say(kiosk.Msg("receipt.nothing")), afterDone: say(kiosk.Msg("receipt.after_done")),
		scanProgress: say(kiosk.Msg("receipt.scan_progress")), queued: say(kiosk.Msg("receipt.queued")),
		keep: say(kiosk.Msg("receipt.keep")), service: say(kiosk.Msg("receipt.service")),
		issued: say(kiosk.Msg("receipt.issued")), ticketNote: say(kiosk.Msg("receipt.ticket_note")),
		printedAt: say(kiosk.Msg("receipt.printed_at")), versions: say(kiosk.Msg("receipt.versions")),
		devices: say(kiosk.Msg("receipt.devices")), testPattern: say(kiosk.Msg("receipt.test_pattern")),
		bold: say(kiosk.Msg("receipt.bold")), underline: say(kiosk.Msg("receipt.underline")),
		large: say(kiosk.Msg("receipt.large")), selfTestFoot: say(kiosk.Msg("receipt.selftest_foot")),
		paperWidth: say(kiosk.Msg("receipt.paper_width")), reprinted: say(kiosk.Msg("receipt.reprinted")),
		agent: say(kiosk.Msg("receipt.agent")), agentIDNumber: say(kiosk.Msg("receipt.agent_id_number")),
		parts: say(kiosk.Msg("receipt.parts")),
		lang:  lang, w: w,
	}
}

// cjkTestLine fills a line with Chinese characters on any paper width.
const cjkTestLine = "汉字满行测试汉字满行测试汉字满行测试汉字满行测试"

// waitingLine says how many people are ahead in the queue.
func (w words) waitingLine(n int) string {
	if n <= 0 {
		return w.w.Text(w.lang, kiosk.Msg("receipt.nobody_ahead"))
	}
	return w.w.Text(w.lang, kiosk.Msg("receipt.waiting", "Count", n))
}

// promiseLine says a time limit in plain words.
func (w words) promiseLine(t kiosk.TimeLimit) string {
	var m kiosk.Text
	switch {
	case t.Days == 0:
		m = kiosk.Msg("item.on_the_spot")
	case t.Unit == "calendar-days":
		m = kiosk.Msg("item.calendar_days", "Count", t.Days)
	case t.Unit == "months":
		m = kiosk.Msg("item.months", "Count", t.Days)
	default: // "", "working-days" and any unit this terminal does not know
		m = kiosk.Msg("item.working_days", "Count", t.Days)
	}
	return w.w.Text(w.lang, m)
}

// deviceLine names a device and its state for the self-test page.
func (w words) deviceLine(d kiosk.DeviceStatus) (name, state string) {
	say := func(t kiosk.Text) string { return w.w.Text(w.lang, t) }
	name = string(d.Kind)
	switch d.Kind {
	case kiosk.DeviceIDReader:
		name = say(kiosk.Msg("device.kind.id-reader"))
	case kiosk.DevicePrinter:
		name = say(kiosk.Msg("device.kind.printer"))
	case kiosk.DeviceScanner:
		name = say(kiosk.Msg("device.kind.scanner"))
	}
	st := map[kiosk.DeviceState]kiosk.Text{
		kiosk.DeviceOnline:        kiosk.Msg("device.state.online"),
		kiosk.DeviceOffline:       kiosk.Msg("device.state.offline"),
		kiosk.DeviceNoDevice:      kiosk.Msg("device.state.no-device"),
		kiosk.DeviceHardwareError: kiosk.Msg("device.state.hardware-error"),
		kiosk.DeviceUserError:     kiosk.Msg("device.state.user-error"),
		kiosk.DeviceBusy:          kiosk.Msg("device.state.busy"),
	}[d.State]
	if st.IsZero() {
		st = kiosk.Text{ZH: string(d.State)}
	}
	paper := map[kiosk.Paper]kiosk.Text{
		kiosk.PaperFull:   kiosk.Msg("device.paper.full"),
		kiosk.PaperLow:    kiosk.Msg("device.paper.low"),
		kiosk.PaperOut:    kiosk.Msg("device.paper.out"),
		kiosk.PaperJammed: kiosk.Msg("device.paper.jammed"),
	}[d.Paper]
	if paper.IsZero() {
		return name, say(st)
	}
	return name, say(kiosk.Msg("receipt.device_state_paper", "State", st, "Paper", paper))
}
