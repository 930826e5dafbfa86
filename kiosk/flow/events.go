package flow

import (
	"time"

	"github.com/tongban/tongban/kiosk"
)

// event is one thing that happens to the session: a tap, a device's news,
// a timer, or the result of a piece of work (tagged with its visit and
// screen, or with its card read's sequence number).
type event interface{ isEvent() }

type (
	evTouch        struct{}
	evContinue     struct{}
	evLanguage     struct{ lang kiosk.Lang }
	evHighContrast struct{ on bool }
	evElderly      struct{ on bool }
	evStart        struct{}
	evCardReading  struct{}
	evCardRead     struct {
		seq uint64
		id  kiosk.Identity
	}
	evCardFailed struct {
		seq uint64
		err error
	}
	evCardPresence  struct{ on bool }
	evSelect        struct{ code kiosk.ItemCode }
	evApply         struct{}
	evApplyForOther struct{}
	evAnswer        struct{ field, value string }
	evNext          struct{}
	evBack          struct{}
	evEdit          struct{ field string }
	evConsent       struct{ on bool }
	evConfirm       struct{}
	evSigned        struct{ png []byte }
	evSubmitted     struct {
		t    tag
		r    kiosk.Receipt
		perr error
	}
	evSubmitFailed struct {
		t   tag
		err error
	}
	evScanned    struct{ code kiosk.ScannedCode }
	evScanFailed struct{ err error }
	evOpenQuery  struct{}
	evQueried    struct {
		t   tag
		st  kiosk.SubmissionStatus
		err error
	}
	evIdentified struct {
		t   tag
		who kiosk.Identity
		err error
	}
	evCardIdentified struct {
		t      tag
		number string // the card the answer is for
		event  string
		err    error
	}
	evTakeTicket struct{ service kiosk.Text }
	evTicket     struct {
		t   tag
		tk  kiosk.Ticket
		err error
	}
	evRejected    struct{ localReceipt string }
	evOpenTickets struct{}
	evEnd         struct{}
	evTimer       struct {
		seq  uint64
		fire timerFire
	}
	evDevices struct {
		state kiosk.TerminalState
		words kiosk.Text
	}
	evOpenStaff   struct{}
	evStaffCode   struct{ code string }
	evStaffAction struct{ action string }
	evStaffReport struct {
		t       tag
		r       StaffReport
		msg     kiosk.Text
		ok      bool
		withMsg bool
	}
	evOpenAppointment struct{}
	evSlots           struct {
		t     tag
		slots []kiosk.Slot
		err   error
	}
	evChooseDay      struct{ day time.Time }
	evChooseSlot     struct{ slot string }
	evConfirmBooking struct{}
	evBooked         struct {
		t         tag
		a         kiosk.Appointment
		err, perr error
	}
)

func (evTouch) isEvent()           {}
func (evContinue) isEvent()        {}
func (evLanguage) isEvent()        {}
func (evHighContrast) isEvent()    {}
func (evElderly) isEvent()         {}
func (evStart) isEvent()           {}
func (evCardReading) isEvent()     {}
func (evCardRead) isEvent()        {}
func (evCardFailed) isEvent()      {}
func (evCardPresence) isEvent()    {}
func (evSelect) isEvent()          {}
func (evApply) isEvent()           {}
func (evApplyForOther) isEvent()   {}
func (evAnswer) isEvent()          {}
func (evNext) isEvent()            {}
func (evBack) isEvent()            {}
func (evEdit) isEvent()            {}
func (evConsent) isEvent()         {}
func (evConfirm) isEvent()         {}
func (evSigned) isEvent()          {}
func (evSubmitted) isEvent()       {}
func (evSubmitFailed) isEvent()    {}
func (evScanned) isEvent()         {}
func (evScanFailed) isEvent()      {}
func (evOpenQuery) isEvent()       {}
func (evQueried) isEvent()         {}
func (evIdentified) isEvent()      {}
func (evCardIdentified) isEvent()  {}
func (evTakeTicket) isEvent()      {}
func (evRejected) isEvent()        {}
func (evOpenTickets) isEvent()     {}
func (evTicket) isEvent()          {}
func (evEnd) isEvent()             {}
func (evTimer) isEvent()           {}
func (evDevices) isEvent()         {}
func (evOpenStaff) isEvent()       {}
func (evStaffCode) isEvent()       {}
func (evStaffAction) isEvent()     {}
func (evStaffReport) isEvent()     {}
func (evOpenAppointment) isEvent() {}
func (evSlots) isEvent()           {}
func (evChooseDay) isEvent()       {}
func (evChooseSlot) isEvent()      {}
func (evConfirmBooking) isEvent()  {}
func (evBooked) isEvent()          {}

// step is the transition function: the machine takes one event and
// returns the effects to run. It changes only the machine.
func (m *machine) step(e env, ev event) []effect {
	m.out = nil
	switch ev := ev.(type) {
	case evTouch:
		m.touch()
	case evContinue:
		m.arm()
	case evLanguage:
		m.lang = ev.lang
		m.arm()
	case evHighContrast:
		m.highContrast = ev.on
		m.arm()
	case evElderly:
		m.elderly = ev.on
		m.arm()
	case evStart:
		m.start(e)
	case evCardReading:
		m.cardReading()
	case evCardRead:
		m.cardRead(e, ev.seq, ev.id)
	case evCardFailed:
		m.cardFailed(e, ev.seq, ev.err)
	case evCardPresence:
		m.cardPresence(e, ev.on)
	case evSelect:
		m.selectItem(e, ev.code)
	case evApply:
		m.apply(e)
	case evApplyForOther:
		m.applyForOther(e)
	case evAnswer:
		m.setAnswer(ev.field, ev.value)
	case evNext:
		m.next(e)
	case evBack:
		m.back(e)
	case evEdit:
		m.edit(e, ev.field)
	case evConsent:
		m.v.consent = ev.on
	case evConfirm:
		m.confirm(e)
	case evSigned:
		m.signed(e, ev.png)
	case evSubmitted:
		m.submitted(ev.t, ev.r, ev.perr)
	case evSubmitFailed:
		m.submitFailed(e, ev.t, ev.err)
	case evScanned:
		m.scanned(e, ev.code)
	case evScanFailed:
		m.notice = kiosk.MessageOf(ev.err)
	case evOpenQuery:
		m.v.status = nil
		m.goTo(Query)
	case evQueried:
		m.queried(ev.t, ev.st, ev.err)
	case evCardIdentified:
		m.cardIdentified(e, ev.t, ev.number, ev.event, ev.err)
	case evIdentified:
		m.identified(ev.t, ev.who, ev.err)
	case evTakeTicket:
		m.takeTicket(e, ev.service)
	case evTicket:
		m.ticketTaken(ev.t, ev.tk, ev.err)
	case evOpenTickets:
		m.openTickets(e)
	case evRejected:
		m.submissionRejected(ev.localReceipt)
	case evEnd:
		m.end()
	case evTimer:
		m.timer(ev.seq, ev.fire)
	case evDevices:
		m.devicesChanged(e, ev.state, ev.words)
	case evOpenStaff:
		m.openStaff(e)
	case evStaffCode:
		m.staffCode(e, ev.code)
	case evStaffAction:
		m.staffAction(ev.action)
	case evStaffReport:
		m.staffReported(ev.t, ev.r, ev.msg, ev.ok, ev.withMsg)
	case evOpenAppointment:
		m.openAppointment(e)
	case evSlots:
		m.slotsListed(e, ev.t, ev.slots, ev.err)
	case evChoosePlace:
		m.choosePlace(ev.place)
	case evChooseDay:
		m.chooseDay(ev.day)
	case evChooseSlot:
		m.chooseSlot(ev.slot)
	case evConfirmBooking:
		m.confirmBooking(e)
	case evBooked:
		m.booked(ev.t, ev.a, ev.err, ev.perr)
	case evRunQuery:
		m.runQuery(e)
	case evIssue:
		m.issueDocument(e)
	case evRetry:
		m.retryDept()
	case evPrintResult:
		m.printResult(e)
	case evQueryAnswered:
		m.queryAnswered(ev.t, ev.r)
	case evDeptFailed:
		m.deptFailed(ev.t, ev.err)
	case evResultPrinted:
		m.resultPrinted(ev.t, ev.err)
	case evDocSent:
		m.docSent(ev.t, ev.job)
	case evDocPrinted:
		m.docPrinted(ev.t, ev.err)
	}
	out := m.out
	m.out = nil
	return out
}
