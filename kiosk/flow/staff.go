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

// maxStaffTries is how many wrong codes close the staff login.
const maxStaffTries = 3

// OpenStaff shows the staff code entry; only from the attract screen, so a
// resident's session is never open behind the staff menu.
func (s *Session) OpenStaff() {
	s.update(func() {
		if s.state != Attract || s.deps.Staff == nil {
			return
		}
		s.staffTries = 0
		s.goTo(StaffLogin)
	})
}

// StaffCode checks a code typed on the staff login screen.
func (s *Session) StaffCode(code string) {
	s.update(func() {
		if s.state != StaffLogin {
			return
		}
		id, ok := s.deps.Staff.Check(code)
		if !ok {
			s.staffTries++
			s.deps.Audit("staff.login-failed", "", "")
			if s.staffTries >= maxStaffTries {
				s.endLocked()
				return
			}
			s.notice = kiosk.Text{ZH: "工作人员密码不对，请再试一次。", EN: "That staff code is not right. Please try again."}
			return
		}
		s.staffID = id
		s.deps.Audit("staff.login", id, "")
		s.goTo(StaffMenu)
		s.staffReportLocked()
	})
}

func (s *Session) staffReportLocked() {
	gen := s.gen
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		r := s.deps.Staff.Report(ctx)
		s.update(func() {
			if gen == s.gen {
				s.staffReport = &r
			}
		})
	}()
}

// StaffAction runs one staff menu action and reports the result in words.
func (s *Session) StaffAction(action string) {
	s.mu.Lock()
	if s.state != StaffMenu {
		s.mu.Unlock()
		return
	}
	id, gen := s.staffID, s.gen
	s.armLocked()
	s.mu.Unlock()
	s.deps.Audit("staff.action", id, action)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var msg kiosk.Text
		switch action {
		case "reprint":
			n, err := s.deps.Staff.Reprint(ctx)
			msg = resultText(err, kiosk.Text{ZH: "已补打回执。", EN: "Receipts reprinted."}, n)
		case "selftest":
			msg = resultText(s.deps.Staff.SelfTest(ctx), kiosk.Text{ZH: "自检页已打印。", EN: "Self-test page printed."}, -1)
		case "retry":
			n, err := s.deps.Staff.RetryQuarantined(ctx)
			msg = resultText(err, kiosk.Text{ZH: "已重新排队上传。", EN: "Queued for sending again."}, n)
		case "exit":
			s.deps.Audit("staff.exit", id, "")
			s.deps.Staff.Exit()
			return
		default:
			return
		}
		r := s.deps.Staff.Report(ctx)
		s.update(func() {
			if gen != s.gen {
				return
			}
			s.notice, s.noticeOK = msg, !isErrorText(msg)
			s.staffReport = &r
		})
	}()
}

func resultText(err error, ok kiosk.Text, n int) kiosk.Text {
	if err != nil {
		m := kiosk.MessageOf(err)
		return kiosk.Text{ZH: "没有完成：" + m.ZH, EN: "Not done: " + m.EN}
	}
	if n >= 0 {
		return kiosk.Text{ZH: ok.ZH + "（" + itoa(n) + "）", EN: ok.EN + " (" + itoa(n) + ")"}
	}
	return ok
}

func isErrorText(t kiosk.Text) bool { return len(t.EN) > 8 && t.EN[:8] == "Not done" }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
