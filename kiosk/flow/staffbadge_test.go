package flow_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// badgeDesk is a desk that also takes per-person badges: S0042 with
// secret "s42" and PIN 482916.
type badgeDesk struct{ desk }

func (d *badgeDesk) CheckBadge(number, secret, pin string) (string, bool) {
	if number == "S0042" && secret == "s42" && pin == "482916" {
		return "S0042", true
	}
	return "", false
}

var badge42 = kiosk.ScannedCode{Kind: kiosk.ScanStaffBadge, StaffNumber: "S0042", Token: "s42"}

// TestStaffBadgeLoginNamesThePerson: badge, wrong PIN (the badge must be
// scanned again), PIN without a badge, badge and right PIN; every staff
// audit line after it names the staff number, and failures name the
// badge tried.
func TestStaffBadgeLoginNamesThePerson(t *testing.T) {
	d := &badgeDesk{}
	var mu sync.Mutex
	type rec struct{ kind, ref, detail string }
	var audited []rec
	s := flow.New(flow.Deps{
		Clock: kiosktest.NewClock(today), Reader: kiosktest.NewReader(), Queue: &kiosktest.Queue{}, Printer: &kiosktest.Printer{},
		Staff: d,
		Audit: func(kind, ref, detail string) {
			mu.Lock()
			audited = append(audited, rec{kind, ref, detail})
			mu.Unlock()
		},
	})
	s.Scanned(badge42) // not on the staff login: not acted on
	if v := s.View(); v.State != flow.Attract {
		t.Fatalf("a badge on the attract screen: %+v", v)
	}
	s.OpenStaff()
	s.Scanned(badge42)
	if v := s.View(); v.State != flow.StaffLogin || !strings.Contains(zh(t, v.Notice), "S0042") || !v.NoticeOK || !v.StaffBadgeRead {
		t.Fatalf("after the badge: %+v", v)
	}
	s.StaffCode("000000")
	if v := s.View(); v.State != flow.StaffLogin || !strings.Contains(zh(t, v.Notice), "工牌或密码不正确") || v.NoticeOK || v.StaffBadgeRead {
		t.Fatalf("after a wrong PIN: %+v", v)
	}
	s.StaffCode("482916") // the badge was used up: this is checked as a shared code
	if v := s.View(); v.State == flow.StaffMenu {
		t.Fatal("a PIN without its badge opened the staff menu")
	}
	s.Scanned(badge42)
	s.StaffCode("482916")
	eventually(t, "the staff menu", func() bool { return s.View().State == flow.StaffMenu })
	s.StaffAction("reprint")
	eventually(t, "the reprint result", func() bool { return strings.Contains(zh(t, s.View().Notice), "补打") })
	s.End()
	mu.Lock()
	defer mu.Unlock()
	var got []string
	for _, a := range audited {
		if strings.HasPrefix(a.kind, "staff.") {
			got = append(got, a.kind+"/"+a.ref+"/"+a.detail)
		}
	}
	want := "staff.login-failed//badge S0042 staff.login-failed// staff.login/S0042/ staff.action/S0042/reprint staff.logout/S0042/"
	if g := strings.Join(got, " "); g != want {
		t.Fatalf("audit =\n%s\nwant\n%s", g, want)
	}
}
