package flow

import (
	"context"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// StaffDesk is what center staff and technicians can do at the terminal. Every
// action is audited; none shows a resident's personal data.
type StaffDesk interface {
	// Check tells whether code is a valid staff code, and whose (an ID for
	// the audit log, never a name).
	Check(code string) (staffID string, ok bool)
	// Report is the terminal's state in plain words: devices, queue depth,
	// quarantined and unprinted items.
	Report(ctx context.Context) StaffReport
	// Reprint sends the failed print jobs again.
	Reprint(ctx context.Context) (printed int, err error)
	// SelfTest prints the technician's self-test page.
	SelfTest(ctx context.Context) error
	// RetryQuarantined puts quarantined submissions back in the queue.
	RetryQuarantined(ctx context.Context) (int, error)
	// Exit stops the kiosk (for maintenance).
	Exit()
}

// StaffBadges is a StaffDesk that also signs staff in by person: the
// badge scanned on the staff login (kiosk.ScanStaffBadge) and the PIN
// typed after it. CheckBadge returns the staff number, which every staff
// audit line then names.
type StaffBadges interface {
	CheckBadge(number, secret, pin string) (staffNumber string, ok bool)
}

// StaffReport is what the staff menu shows.
type StaffReport struct {
	Devices     []kiosk.DeviceStatus
	Terminal    kiosk.TerminalState
	BackOffice  bool
	Pending     int // submissions waiting for the back office
	Quarantined int // refused by the back office: need a look
	Unprinted   int // receipts or tickets that did not print
	Catalog     string
}

// maxStaffTries is how many wrong codes close the staff login and pause
// it: for firstStaffPause, doubled with each pause in a row up to
// maxStaffPause, so that guessing a 6-digit code takes years, not minutes.
const (
	maxStaffTries   = 3
	firstStaffPause = time.Minute
	maxStaffPause   = time.Hour
)

// OpenStaff shows the staff code entry; only from the attract screen, so a
// resident's session is never open behind the staff menu.
func (s *Session) OpenStaff() { s.dispatch(evOpenStaff{}) }

// StaffCode checks a code typed on the staff login screen.
func (s *Session) StaffCode(code string) { s.dispatch(evStaffCode{code}) }

// StaffAction runs one staff menu action and reports the result in words.
func (s *Session) StaffAction(action string) { s.dispatch(evStaffAction{action}) }

func (m *machine) openStaff(e env) {
	if m.state != Attract || e.staffCheck == nil {
		return
	}
	if e.now.Before(m.staffPausedUntil) {
		m.emit(audit{"staff.login-refused", "", "paused"})
		m.notice = staffPausedNotice(m.staffPausedUntil.Sub(e.now))
		return
	}
	m.v.staffTries = 0
	m.goTo(StaffLogin)
}

func (m *machine) staffCode(e env, code string) {
	if m.state != StaffLogin {
		return
	}
	var id string
	var ok bool
	badge := m.v.staffBadge
	if badge != nil && e.staffBadge != nil {
		// The badge is used once: a wrong PIN asks for the badge again.
		m.v.staffBadge = nil
		id, ok = e.staffBadge(badge.StaffNumber, badge.Token, code)
	} else {
		id, ok = e.staffCheck(code)
	}
	if !ok {
		m.v.staffTries++
		tried := ""
		if badge != nil {
			tried = "badge " + badge.StaffNumber
		}
		m.emit(audit{"staff.login-failed", "", tried})
		if m.v.staffTries >= maxStaffTries {
			pause := firstStaffPause << min(m.staffPauses, 6)
			pause = min(pause, maxStaffPause)
			m.staffPauses++
			m.staffPausedUntil = e.now.Add(pause)
			m.emit(audit{"staff.login-paused", "", pause.String()})
			m.end()
			if m.notice.IsZero() {
				m.notice = staffPausedNotice(pause)
			}
			return
		}
		m.noticeOK = false
		if m.notice = kiosk.Msg("staff.wrong_code"); badge != nil {
			m.notice = kiosk.Msg("staff.wrong_badge")
		}
		return
	}
	m.v.staffID = id
	m.staffPauses = 0
	m.emit(audit{"staff.login", id, ""})
	m.goTo(StaffMenu)
	t := m.tag()
	m.spawn(work{kind: EffectStaffReport, run: func(ctx context.Context, p ports) event {
		return evStaffReport{t, p.staff.Report(ctx), kiosk.Text{}, false, false}
	}})
}

func (m *machine) staffAction(action string) {
	if m.state != StaffMenu {
		return
	}
	id, t := m.v.staffID, m.tag()
	m.arm()
	m.emit(audit{"staff.action", id, action}) // before the action's own records (staff.exit)
	m.spawn(work{kind: EffectStaffAction, run: func(ctx context.Context, p ports) event {
		var msg kiosk.Text
		var ok bool
		switch action {
		case "reprint":
			n, err := p.staff.Reprint(ctx)
			msg, ok = resultText(err, kiosk.Msg("staff.reprinted"), n)
		case "selftest":
			msg, ok = resultText(p.staff.SelfTest(ctx), kiosk.Msg("staff.selftest_printed"), -1)
		case "retry":
			n, err := p.staff.RetryQuarantined(ctx)
			msg, ok = resultText(err, kiosk.Msg("staff.requeued"), n)
		case "exit":
			p.audit("staff.exit", id, "")
			p.staff.Exit()
			return nil
		default:
			return nil
		}
		return evStaffReport{t, p.staff.Report(ctx), msg, ok, true}
	}})
}

func (m *machine) staffReported(t tag, r StaffReport, msg kiosk.Text, ok, withMsg bool) {
	if !m.current(t) {
		return
	}
	if withMsg {
		m.notice, m.noticeOK = msg, ok
	}
	m.v.staffReport = &r
}

// resultText words the result of a staff action, and whether it went well.
func resultText(err error, ok kiosk.Text, n int) (kiosk.Text, bool) {
	if err != nil {
		m := kiosk.MessageOf(err)
		return kiosk.Msg("staff.not_done", "Error", m), false
	}
	if n >= 0 {
		return kiosk.Msg("staff.done_count", "Done", ok, "N", n), true
	}
	return ok, true
}

// staffPausedNotice says for how many whole minutes, rounded up, the staff
// login stays paused.
func staffPausedNotice(left time.Duration) kiosk.Text {
	return kiosk.Msg("staff.login_paused", "Minutes", int((left+time.Minute-1)/time.Minute))
}

// staffBadgeScanned keeps the badge scanned on the staff login until the
// PIN is typed.
func (m *machine) staffBadgeScanned(c kiosk.ScannedCode) {
	m.v.staffBadge = &c
	m.notice, m.noticeOK = kiosk.Msg("staff.badge_read", "Number", c.StaffNumber), true
}
