package console

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/store"
)

func TestFormWithoutCSRFRefused(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		xh := e.enrol(terminalXH, "XH01")
		receipt := xh.submit(t, e, testIDNo, testName)
		b := e.browser().login("staff1", password)
		b.get("/console/submissions/" + receipt)
		for _, tok := range []string{"", "forged-token"} {
			b.post("/console/submissions/"+receipt+"/move", url.Values{"csrf": {tok}, "from": {"accepted"}, "to": {"taken"}}).must(http.StatusForbidden)
		}
		if sub, _ := e.st.SubmissionByReceipt(context.Background(), receipt); sub.State != store.StateAccepted {
			t.Fatalf("a form without its token moved the submission to %s", sub.State)
		}
		// Another session's token does not pass either.
		other := e.browser().login("staff1", password)
		other.get("/console/submissions")
		b.post("/console/submissions/"+receipt+"/move", url.Values{"csrf": {other.csrf}, "from": {"accepted"}, "to": {"taken"}}).must(http.StatusForbidden)
		// Nor does a login form without the login token.
		anon := e.browser()
		anon.post("/console/login", url.Values{"username": {"staff1"}, "password": {password}}).must(http.StatusForbidden)
	})
}

func TestOtherCentersSubmissionForbidden(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		xh := e.enrol(terminalXH, "XH01")
		receipt := xh.submit(t, e, testIDNo, testName)
		for _, user := range []string{"staff2", "op1"} {
			b := e.browser().login(user, password)
			b.get("/console/submissions/" + receipt).must(http.StatusForbidden)
			if strings.Contains(b.body, testIDNo) || strings.Contains(b.body, testName) {
				t.Fatalf("%s: the 403 page shows personal data", user)
			}
			b.get("/console/submissions?center=XH01")
			b.post("/console/submissions/"+receipt+"/move", url.Values{"from": {"accepted"}, "to": {"taken"}}).must(http.StatusForbidden)
			// Staff of another center do not see it listed either.
			if user == "staff2" {
				b.get("/console/submissions?center=XH01").must(200)
				if strings.Contains(b.body, receipt) {
					t.Fatal("staff of PD01 see XH01's submission in their list")
				}
			}
		}
	})
}

func TestTenWrongPasswordsLock(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		b := e.browser()
		for i := 1; i <= 9; i++ {
			b.login("staff1", "wrong-password-x").must(http.StatusUnauthorized, "用户名或密码不对")
		}
		b.login("staff1", "wrong-password-x").must(http.StatusUnauthorized, "账号已锁定")
		// The right password does not open a locked account.
		b.login("staff1", password).must(http.StatusForbidden, "账号已锁定")
		b.get("/console/submissions")
		if !strings.Contains(b.body, `name="password"`) {
			t.Fatal("a locked account got a session")
		}
		e.clk.Add(16 * time.Minute)
		b.login("staff1", password).must(200, "申请件")
		// Nine wrong, one right: the count starts again.
		c := e.browser()
		for range 9 {
			c.login("dir1", "nope-nope-nope")
		}
		c.login("dir1", password).must(200)
		c.login("dir1", "nope-nope-nope").must(http.StatusUnauthorized, "用户名或密码不对")
		log, _ := e.st.AuditLog(context.Background(), 0, 0)
		var locked bool
		for _, a := range log {
			locked = locked || (a.Action == "account.locked" && a.Target == "staff1")
		}
		if !locked {
			t.Fatal("the lock is not in the audit trail")
		}
	})
}

func TestThrottlePerAddress(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	b := e.browser()
	// Unknown names do not lock accounts, but the address is slowed down.
	for i := range throttleN {
		b.login("nobody"+itoa(int64(i)), "whatever-123")
	}
	b.login("staff1", password).must(http.StatusTooManyRequests)
	e.clk.Add(throttleWindow + time.Second)
	b.login("staff1", password).must(200)
}

func TestLoggedOutCookieDead(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		b := e.browser().login("staff1", password).must(200)
		u, _ := url.Parse(e.ts.URL + "/console/")
		cookies := b.c.Jar.Cookies(u)
		b.post("/console/logout", nil).must(200, "已退出")
		// A copy of the old cookie, replayed by another browser.
		thief := e.browser()
		thief.c.Jar.SetCookies(u, cookies)
		thief.get("/console/submissions")
		if !strings.Contains(thief.body, `name="password"`) {
			t.Fatal("the logged-out cookie still opens the console")
		}
		// And a session idle past the timeout dies too.
		c := e.browser().login("staff1", password).must(200)
		e.clk.Add(16 * time.Minute)
		c.get("/console/submissions")
		if !strings.Contains(c.body, `name="password"`) {
			t.Fatal("an idle session outlived the timeout")
		}
	})
}

func TestSessionCookieFlags(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	b := e.browser()
	b.get("/console/login")
	form := url.Values{"username": {"staff1"}, "password": {password}, "csrf": {b.csrf}}
	b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := b.c.PostForm(e.ts.URL+"/console/login", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var found bool
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			found = true
			if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
				t.Fatalf("session cookie flags: %+v", c)
			}
		}
	}
	if !found {
		t.Fatal("no session cookie")
	}
}

// TestNoUnmaskedIDNumber walks every page as every role and reads every
// log line: the full ID number shows only on the detail page, to staff of
// the submission's own center.
func TestNoUnmaskedIDNumber(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		xh := e.enrol(terminalXH, "XH01")
		receipt := xh.submit(t, e, testIDNo, testName)
		xh.client.Heartbeat(context.Background())
		xh.client.Ticket(context.Background(), "A", kioskText("综合"), "zh")
		for _, user := range []string{"staff1", "staff2", "dir1", "op1", "aud1"} {
			b := e.browser().login(user, password)
			for _, p := range []string{"/console/submissions", "/console/submissions?center=XH01", "/console/queue", "/console/hall",
				"/console/fleet", "/console/appointments", "/console/reports", "/console/reports.csv?kind=item&center=XH01",
				"/console/users", "/console/enrol", "/console/bundles", "/console/audit", "/console/audit.csv",
				"/console/submissions/" + receipt} {
				b.get(p)
				own := p == "/console/submissions/"+receipt && (user == "staff1" || user == "dir1")
				if strings.Contains(b.body, testIDNo) != own {
					t.Errorf("%s %s: full ID number shown %v, want %v", user, p, !own, own)
				}
			}
		}
		if strings.Contains(e.logs.String(), testIDNo) || strings.Contains(e.logs.String(), testName) {
			t.Fatal("a log line holds the ID number or name")
		}
	})
}

func TestAppointmentsReportsUsersAudit(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		xh := e.enrol(terminalXH, "XH01")
		xh.submit(t, e, testIDNo, testName)
		xh.client.Heartbeat(ctx)
		now := e.clk.Now()
		// The visit page shows the center's day in Shanghai: the slot stays
		// on today's date whatever the hour the test runs at.
		start := now.Add(time.Hour)
		if sh := time.FixedZone("CST", 8*3600); start.In(sh).YearDay() != now.In(sh).YearDay() {
			start = now.Add(-time.Hour)
		}
		e.st.PutSlot(ctx, store.Slot{ID: "s1", Center: "XH01", Service: "marriage", Start: start, Capacity: 2})
		e.st.Book(ctx, store.Appointment{ID: "a1", SlotID: "s1", ItemCode: "312000999000", HolderHash: "h", CreatedAt: now})
		d := e.browser().login("dir1", password)
		d.get("/console/appointments?range=week").must(200, "312000999000")
		d.post("/console/appointments/a1/visit", url.Values{"visit": {"arrived"}}).must(200, "已到")
		d.post("/console/appointments/a1/visit", url.Values{"visit": {"no-show"}}).must(200)
		if rows, _ := e.st.CenterAppointments(ctx, "XH01", now.Add(-2*time.Hour), now.AddDate(0, 0, 1)); len(rows) == 0 || rows[0].Visit != store.VisitNoShow {
			t.Fatalf("visit: %+v", rows[0])
		}
		d.get("/console/reports").must(200, "<svg", terminalXH, "老年综合津贴申请")
		d.get("/console/reports.csv?kind=terminal").must(200)
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(d.body, "\xEF\xBB\xBF"))).ReadAll()
		if err != nil || len(recs) != 2 || recs[1][0] != terminalXH || recs[1][1] != "1" {
			t.Fatalf("terminal CSV: %q %v", recs, err)
		}
		d.get("/console/reports.csv?kind=availability").must(200, terminalXH)
		// A director adds staff of their own center only.
		d.get("/console/users")
		d.post("/console/users", url.Values{"username": {"staff9"}, "display": {"测试庚"}, "role": {"staff"}, "center": {"PD01"}, "password": {"another-pass-1"}}).must(200, "staff9")
		if u, _ := e.st.User(ctx, "staff9"); u.Center != "XH01" {
			t.Fatalf("director created staff of center %q", u.Center)
		}
		d.post("/console/users", url.Values{"username": {"op9"}, "display": {"x"}, "role": {"operator"}, "password": {"another-pass-1"}}).must(http.StatusForbidden)
		e.browser().login("staff9", "another-pass-1").must(200, "申请件")
		// The auditor reads and exports; cannot act.
		a := e.browser().login("aud1", password)
		a.get("/console/audit").must(200, "user.create", "appointment.no-show", "login")
		a.get("/console/audit.csv").must(200, "id,at,user,role,action,target,detail,from")
		a.get("/console/submissions").must(http.StatusForbidden)
		log, _ := e.st.AuditLog(ctx, 0, 0)
		if log[0].Action != "audit.export" || log[0].Username != "aud1" {
			t.Fatalf("latest audit entry: %+v", log[0])
		}
	})
}

func TestCheckPassword(t *testing.T) {
	for _, tc := range []struct {
		hash, pw string
		want     bool
	}{
		{testHash, password, true},
		{testHash, password + "x", false},
		{"", password, false},
		{"$argon2id$v=19$m=1,t=1,p=1$AAAA$", password, false},
		{"$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA", password, false},
		{"plain", "plain", false},
	} {
		if got := checkPassword(tc.hash, tc.pw); got != tc.want {
			t.Errorf("checkPassword(%q, %q) = %v", tc.hash, tc.pw, got)
		}
	}
	if _, err := HashPassword("short"); err == nil {
		t.Fatal("a 5-character password was hashed")
	}
}

// TestDirectorManagesStaffAccounts: a director unlocks a locked staff
// account, disables one (its open session dies at once, the right
// password no longer opens it, however long one waits) and enables it
// again; never another center's staff, an operator, or themself.
func TestDirectorManagesStaffAccounts(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		dir := e.browser().login("dir1", password).must(200)
		// Locked by wrong passwords, unlocked by the director at once.
		x := e.browser()
		for range 10 {
			x.login("staff1", "wrong-password-x")
		}
		x.login("staff1", password).must(http.StatusForbidden, "账号已锁定")
		dir.get("/console/users").must(200, "解锁")
		dir.post("/console/users/staff1/unlock", nil).must(200, "账号已更新")
		s := e.browser().login("staff1", password).must(200, "申请件")

		// Disabled: the open session ends, the password no longer works.
		dir.get("/console/users")
		dir.post("/console/users/staff1/disable", nil).must(200, "已停用", "启用")
		s.get("/console/submissions")
		if !strings.Contains(s.body, `name="password"`) {
			t.Fatal("a disabled account's open session still works")
		}
		e.clk.Add(24 * time.Hour)
		e.browser().login("staff1", password).must(http.StatusForbidden, "账号已锁定")
		dir = e.browser().login("dir1", password).must(200) // a day idle: a new session
		dir.get("/console/users")
		dir.post("/console/users/staff1/enable", nil).must(200)
		e.browser().login("staff1", password).must(200, "申请件")

		// Not another center's staff, not an operator, not a director.
		for _, who := range []string{"staff2", "op1", "dir1"} {
			dir.get("/console/users")
			dir.post("/console/users/"+who+"/disable", nil).must(http.StatusForbidden)
		}
		op := e.browser().login("op1", password).must(200)
		op.get("/console/users")
		op.post("/console/users/op1/disable", nil).must(http.StatusForbidden)
		op.get("/console/users")
		op.post("/console/users/staff2/disable", nil).must(200, "已停用")
		staff := e.browser().login("staff1", password)
		staff.get("/console/submissions")
		staff.post("/console/users/staff1/disable", nil).must(http.StatusForbidden)

		log, _ := e.st.AuditLog(context.Background(), 0, 0)
		seen := map[string]bool{}
		for _, a := range log {
			seen[a.Action+" "+a.Username+" "+a.Target] = true
		}
		for _, want := range []string{"user.unlock dir1 staff1", "user.disable dir1 staff1", "user.enable dir1 staff1", "user.disable op1 staff2"} {
			if !seen[want] {
				t.Errorf("not in the audit trail: %s", want)
			}
		}
	})
}
