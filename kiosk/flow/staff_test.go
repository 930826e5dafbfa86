package flow_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// desk is a hand-written fake of flow.StaffDesk.
type desk struct {
	mu        sync.Mutex
	reprinted int
	exited    bool
}

func (d *desk) Check(code string) (string, bool) { return "staff-07", code == "246810" }
func (d *desk) Report(context.Context) flow.StaffReport {
	return flow.StaffReport{Pending: 3, Quarantined: 1, Unprinted: 2}
}
func (d *desk) Reprint(context.Context) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.reprinted += 2
	return 2, nil
}
func (d *desk) SelfTest(context.Context) error { return nil }
func (d *desk) RetryQuarantined(context.Context) (int, error) {
	return 0, &kiosk.Error{Kind: kiosk.KindTransient, Message: kiosk.Text{ZH: "队列暂时打不开。", EN: "The queue is busy."}}
}
func (d *desk) Exit() { d.mu.Lock(); d.exited = true; d.mu.Unlock() }

type auditRecord struct{ kind, ref string }

func newStaffSession(t *testing.T) (*flow.Session, *desk, *[]auditRecord, *sync.Mutex) {
	t.Helper()
	d := &desk{}
	var mu sync.Mutex
	var audited []auditRecord
	s := flow.New(flow.Deps{
		Clock: kiosktest.NewClock(today), Reader: kiosktest.NewReader(), Queue: &kiosktest.Queue{}, Printer: &kiosktest.Printer{},
		Staff: d,
		Audit: func(kind, ref, detail string) {
			mu.Lock()
			audited = append(audited, auditRecord{kind, ref})
			mu.Unlock()
		},
	})
	return s, d, &audited, &mu
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestStaffWrongCodesCloseTheLogin(t *testing.T) {
	s, _, audited, mu := newStaffSession(t)
	s.OpenStaff()
	if s.View().State != flow.StaffLogin {
		t.Fatalf("state = %v", s.View().State)
	}
	s.StaffCode("111111")
	if v := s.View(); v.State != flow.StaffLogin || !strings.Contains(zh(t, v.Notice), "密码不对") {
		t.Fatalf("after one wrong code: %+v", v)
	}
	s.StaffCode("222222")
	s.StaffCode("333333")
	if s.View().State != flow.Attract {
		t.Fatalf("three wrong codes left the login open: %v", s.View().State)
	}
	mu.Lock()
	defer mu.Unlock()
	if n := len(*audited); n != 4 || (*audited)[0].kind != "staff.login-failed" || (*audited)[3].kind != "staff.login-paused" {
		t.Fatalf("audit = %v", *audited)
	}
}

// Three wrong codes pause the staff login, and say so: before, the
// login closed silently and five taps on the clock reopened it, so codes
// could be guessed without end. Each pause in a row doubles; a right code
// ends the run.
func TestStaffLoginPausesAndDoubles(t *testing.T) {
	clock := kiosktest.NewClock(today)
	s := flow.New(flow.Deps{Clock: clock, Reader: kiosktest.NewReader(), Queue: &kiosktest.Queue{}, Printer: &kiosktest.Printer{}, Staff: &desk{}})
	wrongThrice := func() {
		t.Helper()
		s.OpenStaff()
		if s.View().State != flow.StaffLogin {
			t.Fatalf("the login did not open: %v, notice %q", s.View().State, zh(t, s.View().Notice))
		}
		for _, c := range []string{"111111", "222222", "333333"} {
			s.StaffCode(c)
		}
	}
	paused := func(minutes string) {
		t.Helper()
		if v := s.View(); v.State != flow.Attract || !strings.Contains(zh(t, v.Notice), "暂停") {
			t.Fatalf("want the pause said on the attract screen: %v %q", v.State, zh(t, v.Notice))
		}
		s.OpenStaff() // five taps on the clock while paused
		if v := s.View(); v.State != flow.Attract || !strings.Contains(zh(t, v.Notice), "暂停"+minutes+"分钟") {
			t.Fatalf("want the login refused, paused %s min more: %v %q", minutes, v.State, zh(t, v.Notice))
		}
	}
	wrongThrice()
	paused("1")
	clock.Advance(61 * time.Second)
	wrongThrice()
	paused("2")
	clock.Advance(time.Minute)
	paused("1") // a minute of the two is left
	clock.Advance(61 * time.Second)
	s.OpenStaff()
	s.StaffCode("246810")
	if s.View().State != flow.StaffMenu {
		t.Fatalf("the right code after the pause: %v", s.View().State)
	}
	s.Back()
	wrongThrice()
	paused("1") // the right code ended the run of pauses
}

func TestStaffMenuActionsAreAudited(t *testing.T) {
	s, d, audited, mu := newStaffSession(t)
	s.OpenStaff()
	s.StaffCode("246810")
	eventually(t, "the staff report", func() bool { return s.View().StaffReport != nil })
	if v := s.View(); v.State != flow.StaffMenu || v.StaffReport.Pending != 3 {
		t.Fatalf("view = %+v", v)
	}
	s.StaffAction("reprint")
	eventually(t, "the reprint result", func() bool { return strings.Contains(zh(t, s.View().Notice), "补打") })
	if !s.View().NoticeOK || d.reprinted != 2 {
		t.Fatalf("reprint: %+v, reprinted %d", s.View().Notice, d.reprinted)
	}
	s.StaffAction("retry")
	eventually(t, "the retry failure", func() bool { return strings.Contains(zh(t, s.View().Notice), "没有完成") })
	if s.View().NoticeOK {
		t.Fatal("a failure shown as success")
	}
	s.End()
	mu.Lock()
	defer mu.Unlock()
	var kinds []string
	for _, a := range *audited {
		kinds = append(kinds, a.kind)
		if a.ref != "" && a.ref != "staff-07" {
			t.Errorf("audit ref %q is not the staff ID", a.ref)
		}
	}
	want := "staff.login staff.action staff.action staff.logout"
	if got := strings.Join(kinds, " "); got != want {
		t.Fatalf("audit = %q, want %q", got, want)
	}
}

func TestStaffOnlyFromAttract(t *testing.T) {
	s, _, _, _ := newStaffSession(t)
	s.Start()
	s.OpenStaff()
	if s.View().State == flow.StaffLogin {
		t.Fatal("the staff login opened over a resident's session")
	}
}

// The exit action is audited as an action before its own record, as
// every action is, whichever goroutine runs it.
func TestStaffExitAuditedInOrder(t *testing.T) {
	for range 20 {
		s, d, audited, mu := newStaffSession(t)
		s.OpenStaff()
		s.StaffCode("246810")
		s.StaffAction("exit")
		eventually(t, "the exit", func() bool { d.mu.Lock(); defer d.mu.Unlock(); return d.exited })
		mu.Lock()
		var kinds []string
		for _, a := range *audited {
			kinds = append(kinds, a.kind)
		}
		mu.Unlock()
		if got := strings.Join(kinds, " "); !strings.HasPrefix(got, "staff.login staff.action staff.exit") {
			t.Fatalf("audit = %q, want staff.action before staff.exit", got)
		}
	}
}
