package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/store"
)

// TestEveryPage opens every page as every role, in both languages: who
// may see it gets it, who may not gets 403.
func TestEveryPage(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		xh := e.enrol(terminalXH, "XH01")
		receipt := xh.submit(t, e, testIDNo, testName)
		pages := []struct {
			path  string
			allow []string
		}{
			{"/console/submissions", []string{"staff1", "staff2", "dir1", "op1"}},
			{"/console/submissions/" + receipt, []string{"staff1", "dir1"}},
			{"/console/queue", []string{"staff1", "staff2", "dir1", "op1"}},
			{"/console/hall", []string{"staff1", "staff2", "dir1", "op1"}},
			{"/console/fleet", []string{"staff1", "staff2", "dir1", "op1"}},
			{"/console/appointments?range=week", []string{"staff1", "staff2", "dir1", "op1"}},
			{"/console/reports", []string{"dir1", "op1"}},
			{"/console/users", []string{"dir1", "op1"}},
			{"/console/enrol", []string{"op1"}},
			{"/console/bundles", []string{"op1"}},
			{"/console/audit", []string{"aud1", "op1"}},
		}
		for _, user := range []string{"staff1", "staff2", "dir1", "op1", "aud1"} {
			b := e.browser().login(user, password)
			for _, lang := range []string{"zh", "en"} {
				b.get("/console/lang?to=" + lang)
				for _, p := range pages {
					want := http.StatusForbidden
					for _, a := range p.allow {
						if a == user {
							want = http.StatusOK
						}
					}
					b.get(p.path)
					if b.code != want {
						t.Errorf("%s %s %s: %d, want %d", user, lang, p.path, b.code, want)
					}
					if lang == "en" && b.code == http.StatusOK && !strings.Contains(b.body, `lang="en"`) {
						t.Errorf("%s %s: not in English", user, p.path)
					}
					if lang == "zh" && b.code == http.StatusOK && !strings.Contains(b.body, "通办后台") {
						t.Errorf("%s %s: not in Chinese", user, p.path)
					}
				}
			}
		}
	})
}

func TestSubmissionWork(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		xh := e.enrol(terminalXH, "XH01")
		receipt := xh.submit(t, e, testIDNo, testName)
		b := e.browser().login("staff1", password)
		b.get("/console/submissions").must(200, receipt, "测*甲", "310104********1235")
		if strings.Contains(b.body, testIDNo) || strings.Contains(b.body, testName) {
			t.Fatal("the list shows an unmasked ID number or name")
		}
		for _, f := range []struct {
			q    string
			want bool
		}{
			{"state=accepted", true}, {"state=done", false}, {"terminal=" + terminalXH, true}, {"terminal=SH-XH-0009", false},
			{"item=312000374000", true}, {"item=000", false},
			{"from=" + e.clk.Now().In(shanghai).Format("2006-01-02"), true},
			{"to=" + e.clk.Now().In(shanghai).AddDate(0, 0, -1).Format("2006-01-02"), false},
		} {
			b.get("/console/submissions?" + f.q)
			if strings.Contains(b.body, receipt) != f.want {
				t.Errorf("filter %s: listed %v, want %v", f.q, !f.want, f.want)
			}
		}
		b.get("/console/submissions/"+receipt).must(200, testIDNo, testName, "工商银行", "data:image/png;base64,")
		// 受理 → 办理中 → 退回 with a reason from the list and free text.
		b.post("/console/submissions/"+receipt+"/move", url.Values{"from": {"accepted"}, "to": {"taken"}}).must(200, "已受理")
		b.post("/console/submissions/"+receipt+"/move", url.Values{"from": {"taken"}, "to": {"in-progress"}}).must(200, "办理中")
		// A second click from a stale page is refused, not applied twice.
		b.post("/console/submissions/"+receipt+"/move", url.Values{"from": {"taken"}, "to": {"in-progress"}}).must(http.StatusConflict)
		b.get("/console/submissions/" + receipt)
		b.post("/console/submissions/"+receipt+"/move", url.Values{"from": {"in-progress"}, "to": {"returned"}, "reason": {"bogus"}}).must(http.StatusBadRequest)
		b.get("/console/submissions/" + receipt)
		b.post("/console/submissions/"+receipt+"/move", url.Values{"from": {"in-progress"}, "to": {"returned"},
			"reason": {"reason.material"}, "note": {"缺户口簿"}}).must(200, "材料不齐全：缺户口簿")

		// The kiosk's progress query, through the real client over mutual TLS.
		st, err := xh.client.Status(context.Background(), receipt)
		if err != nil {
			t.Fatal(err)
		}
		if st.Reason.ZH != "材料不齐全：缺户口簿" || st.Reason.EN != "Documents incomplete: 缺户口簿" || st.Progress.ZH != "已退回。" || st.Progress.EN != "Returned." {
			t.Fatalf("progress query: %+v", st)
		}
		// 需补件 on another one, in English.
		r2 := xh.submit(t, e, testIDNo2, "测试乙")
		b.get("/console/submissions/" + r2)
		b.post("/console/submissions/"+r2+"/move", url.Values{"from": {"accepted"}, "to": {"need-more"}, "note": {""}}).must(http.StatusBadRequest)
		b.get("/console/submissions/" + r2)
		b.post("/console/submissions/"+r2+"/move", url.Values{"from": {"accepted"}, "to": {"need-more"}, "note": {"户口簿原件"}}).must(200)
		st, _ = xh.client.Status(context.Background(), r2)
		if st.Reason.ZH != "请带来：户口簿原件" || st.Reason.EN != "Please bring: 户口簿原件" || !strings.Contains(st.Progress.EN, "More documents") {
			t.Fatalf("need-more progress: %+v", st)
		}
		// 办结 path on a third.
		r3 := xh.submit(t, e, testIDNo, testName)
		for _, m := range [][2]string{{"accepted", "taken"}, {"taken", "in-progress"}, {"in-progress", "done"}} {
			b.get("/console/submissions/" + r3)
			b.post("/console/submissions/"+r3+"/move", url.Values{"from": {m[0]}, "to": {m[1]}}).must(200)
		}
		if st, _ := xh.client.Status(context.Background(), r3); st.Progress.ZH != "已办结。" || st.Reason.ZH != "" {
			t.Fatalf("done: %+v", st)
		}
		// Every step is in the audit trail, with who and from where.
		log, _ := e.st.AuditLog(context.Background(), 0, 0)
		moves := 0
		for _, a := range log {
			if a.Action == "submission.move" && a.Username == "staff1" && a.Remote == "127.0.0.1" {
				moves++
			}
		}
		if moves != 7 {
			t.Fatalf("%d moves audited, want 7", moves)
		}
	})
}

func TestCounterQueue(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		xh := e.enrol(terminalXH, "XH01")
		for range 3 {
			if _, err := xh.client.Ticket(context.Background(), "A", kioskText("综合"), "zh"); err != nil {
				t.Fatal(err)
			}
			e.clk.Add(2 * time.Minute)
		}
		b := e.browser().login("staff1", password)
		b.get("/console/queue?counter=3").must(200, "A001", "A003")
		b.post("/console/queue/call", url.Values{"counter": {"3"}}).must(200, `id="current-number">A001`)
		b.get("/console/hall").must(200, `id="hall-number">A001`, `id="hall-counter">3`)
		b.get("/console/queue?counter=5")
		b.post("/console/queue/call", url.Values{"counter": {"5"}}).must(200, `id="current-number">A002`)
		b.post("/console/queue/A/2/recall", url.Values{"counter": {"5"}}).must(200)
		b.post("/console/queue/A/2/serve", url.Values{"counter": {"5"}}).must(200)
		b.post("/console/queue/A/2/serve", url.Values{"counter": {"5"}}).must(http.StatusConflict)
		b.get("/console/queue?counter=5")
		b.post("/console/queue/A/3/skip", url.Values{"counter": {"5"}}).must(200)
		b.post("/console/queue/call", url.Values{"counter": {"5"}}).must(200, "没有在等的号")
		// Waiting figures: A001 waited 6 minutes, A002 6 minutes.
		b.get("/console/queue?counter=5").must(200, "6.0")
		b.get("/console/hall").must(200, `http-equiv="refresh"`)
	})
}

func kioskText(zh string) kioskTextT { return kioskTextT{ZH: zh} }

func TestFleetAndAlarms(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		xh := e.enrol(terminalXH, "XH01")
		pd := e.enrol(terminalPD, "PD01")
		for _, tm := range []*terminal{xh, pd} {
			if _, err := tm.client.Heartbeat(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		b := e.browser().login("staff1", password)
		b.get("/console/fleet").must(200, terminalXH, "在线", "0.9.1")
		if strings.Contains(b.body, terminalPD) {
			t.Fatal("staff see another center's terminal")
		}
		if n, _ := e.con.CheckAlarms(context.Background()); n != 0 {
			t.Fatalf("%d alarms raised for terminals that are fine", n)
		}
		e.clk.Add(6 * time.Minute)
		if n, _ := e.con.CheckAlarms(context.Background()); n != 2 {
			t.Fatalf("%d silent alarms, want 2", n)
		}
		if n, _ := e.con.CheckAlarms(context.Background()); n != 0 {
			t.Fatalf("the silent alarm was raised again (%d)", n)
		}
		b.get("/console/fleet").must(200, "离线", "终端失联")
		alarms, _ := e.st.ListAlarms(context.Background(), store.AlarmOpen, 10)
		var mine, other int64
		for _, a := range alarms {
			if a.Terminal == terminalXH {
				mine = a.ID
			} else {
				other = a.ID
			}
		}
		b.post("/console/alarms/"+itoa(other)+"/ack", nil).must(http.StatusForbidden)
		b.get("/console/fleet")
		b.post("/console/alarms/"+itoa(mine)+"/ack", nil).must(200, "已确认")
		b.post("/console/alarms/"+itoa(mine)+"/resolve", nil).must(200, "已解决", "staff1")
		// PD's terminal speaks again: its silent alarm resolves by itself.
		if _, err := pd.client.Heartbeat(context.Background()); err != nil {
			t.Fatal(err)
		}
		e.con.CheckAlarms(context.Background())
		all, _ := e.st.ListAlarms(context.Background(), "", 10)
		for _, a := range all {
			if a.ID == other && (a.State != store.AlarmResolved || a.ResolvedBy != SystemUser) {
				t.Fatalf("the silent alarm of a terminal heard from again: %+v", a)
			}
		}
		// A terminal enrolled and never heard from raises one too.
		e.enrol("SH-PD-0002", "PD01")
		e.clk.Add(6 * time.Minute)
		e.con.CheckAlarms(context.Background())
		never, _ := e.st.ListAlarms(context.Background(), store.AlarmOpen, 10)
		found := false
		for _, a := range never {
			found = found || (a.Terminal == "SH-PD-0002" && a.Kind == "silent")
		}
		if !found {
			t.Fatalf("no silent alarm for a terminal never heard from: %+v", never)
		}
		// Filter by district, as an operator.
		op := e.browser().login("op1", password)
		op.get("/console/fleet?district=PD").must(200, terminalPD)
		if strings.Contains(op.body, `id="t-`+terminalXH) {
			t.Fatal("district filter shows another district")
		}
	})
}

func TestEnrolRevokeBundles(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		op := e.browser().login("op1", password)
		op.get("/console/enrol")
		op.post("/console/enrol", url.Values{"terminal": {"SH-JA-0007"}, "center": {"JA01"}}).must(200, "tbe_", "data:image/png;base64,")
		tok := regexpFind(`tbe_[0-9a-f]+`, op.body)
		tm := e.enrolWith("SH-JA-0007", "JA01", tok)
		if _, err := tm.client.Heartbeat(context.Background()); err != nil {
			t.Fatalf("an enrolled terminal's heartbeat: %v", err)
		}
		op.get("/console/fleet")
		op.post("/console/terminals/SH-JA-0007/revoke", nil).must(200, "已吊销")
		if _, err := tm.client.Heartbeat(context.Background()); err == nil || !strings.Contains(err.Error(), "403") {
			t.Fatalf("a revoked terminal's certificate was accepted: %v", err)
		}
		op.get("/console/bundles")
		op.post("/console/bundles", url.Values{"kind": {"catalog"}, "payload": {`{"items":[]}`}}).must(200, `id="published"`, "v1")
		op.get("/console/bundles")
		op.post("/console/bundles", url.Values{"kind": {"config"}, "payload": {`{"x":1}`}}).must(200, "v1")
		b, err := e.st.LatestBundle(context.Background(), "catalog")
		if err != nil || b.Version != 1 {
			t.Fatalf("bundle: %+v %v", b, err)
		}
		// Staff may not issue tokens.
		s := e.browser().login("staff1", password)
		s.get("/console/submissions")
		s.post("/console/enrol", url.Values{"terminal": {"SH-XH-0009"}, "center": {"XH01"}}).must(http.StatusForbidden)
	})
}

// TestTLSListener: the console works without a client certificate on the
// listener that asks for one; the API still requires one.
func TestTLSListener(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	anon := e.browser()
	anon.get("/console/login").must(200, "登录")
	anon.get("/v1/receipts/SQ1")
	if anon.code != http.StatusUnauthorized {
		t.Fatalf("API without a client certificate: %d, want 401", anon.code)
	}
	tm := e.enrol(terminalXH, "XH01")
	resp, err := tm.http.Get(e.ts.URL + "/v1/receipts/SQ1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("API with a client certificate: %d, want 404 (authenticated, no such receipt)", resp.StatusCode)
	}
	if e.ts.TLS.ClientAuth != tlsVerifyIfGiven {
		t.Fatalf("ClientAuth %v", e.ts.TLS.ClientAuth)
	}
}
