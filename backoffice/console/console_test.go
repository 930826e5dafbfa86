package console

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/kiosk"
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
			{"/console/records", []string{"staff1", "staff2", "dir1", "op1"}},
			{"/console/reports", []string{"dir1", "op1"}},
			{"/console/users", []string{"dir1", "op1"}},
			{"/console/enrol", []string{"op1"}},
			{"/console/bundles", []string{"op1"}},
			{"/console/staff", []string{"op1"}},
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
		e.clk.keepDay(time.Hour)
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
		b.get("/console/fleet").must(200, "离线", "终端失联", "6分钟", "已6分钟没有心跳")
		b.get("/console/lang?to=en&back=/console/fleet").must(200, "Offline", "6 min", "no heartbeat for 6 min")
		b.get("/console/lang?to=zh&back=/console/fleet")
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

// TestFleetDevicesInWords: what each device reports is shown in the page's
// language (paper out in red words a person reads), not as wire values.
func TestFleetDevicesInWords(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	xh := e.enrol(terminalXH, "XH01")
	xh.devices[1].Paper = kiosk.PaperOut
	xh.devices[2].State = kiosk.DeviceNoDevice
	if _, err := xh.client.Heartbeat(context.Background()); err != nil {
		t.Fatal(err)
	}
	b := e.browser().login("staff1", password)
	b.get("/console/fleet").must(200, "读卡器: 正常", "打印机: 正常 · 缺纸", "扫码器: 未连接", "paper-out")
	b.get("/console/lang?to=en&back=/console/fleet").must(200, "ID card reader: working", "Printer: working · paper out", "QR scanner: not connected")
	for _, wire := range []string{"id-reader:", "no-device:", ": online"} {
		if strings.Contains(b.body, wire) {
			t.Fatalf("the fleet page shows the wire value %q", wire)
		}
	}
}

// TestAlarmsTheConsoleRaises: over a sequence of heartbeats, a device
// unplugged, a queue that keeps growing and a clock gone wrong each raise
// one alarm (not one a minute); the device coming back resolves its alarm
// by itself, and unplugging it again raises a new one.
func TestAlarmsTheConsoleRaises(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		xh := e.enrol(terminalXH, "XH01")
		beat := func(depth int, skew time.Duration, scanner kiosk.DeviceState) {
			t.Helper()
			hb := api.Heartbeat{Terminal: terminalXH, Version: "0.9.1", SentAt: e.clk.Now().Add(skew), QueueDepth: depth,
				Devices: []api.DeviceStatus{{Kind: "id-reader", State: "online"}, {Kind: "scanner", State: string(scanner)}}, Available: true}
			body, _ := json.Marshal(hb)
			resp, err := xh.http.Post(e.ts.URL+"/v1/heartbeats", "application/json", bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode/100 != 2 {
				t.Fatalf("heartbeat: %d", resp.StatusCode)
			}
		}
		open := func() map[string]store.Alarm {
			t.Helper()
			all, err := e.st.ListAlarms(context.Background(), store.AlarmOpen, 50)
			if err != nil {
				t.Fatal(err)
			}
			m := map[string]store.Alarm{}
			for _, a := range all {
				m[a.Kind] = a
			}
			return m
		}
		check := func(want int) {
			t.Helper()
			if n, err := e.con.CheckAlarms(context.Background()); err != nil || n != want {
				t.Fatalf("CheckAlarms raised %d (%v), want %d; open: %v", n, err, want, open())
			}
		}

		beat(3, 0, kiosk.DeviceOnline)
		check(0)
		beat(3, 0, kiosk.DeviceNoDevice) // the scanner is unplugged
		check(1)
		if a := open()["device-gone"]; a.Device != "scanner" {
			t.Fatalf("device-gone alarm: %+v", a)
		}
		e.clk.Add(time.Minute)
		beat(3, 0, kiosk.DeviceNoDevice)
		check(0) // still gone: no second alarm
		beat(3, 0, kiosk.DeviceOnline)
		check(0)
		if _, ok := open()["device-gone"]; ok {
			t.Fatal("the scanner is back and its alarm is still open")
		}
		beat(3, 0, kiosk.DeviceOffline)
		check(1)

		beat(queueAlarmDepth+10, 5*time.Minute, kiosk.DeviceOffline)
		check(2) // queue and clock
		beat(queueAlarmDepth+20, 5*time.Minute, kiosk.DeviceOffline)
		check(0)
		got := open()
		for _, k := range []string{"device-gone", "queue-growing", "clock-skew"} {
			if _, ok := got[k]; !ok {
				t.Errorf("no open %s alarm: %v", k, got)
			}
		}
		b := e.browser().login("staff1", password)
		b.get("/console/fleet").must(200, "设备未连接 · 扫码器", "终端找不到该设备", "待上传积压", "60 份申请等待上传", "时钟偏差过大", "终端时钟偏差 &#43;300s")
		b.get("/console/lang?to=en&back=/console/fleet").must(200, "Device gone · QR scanner", "not found by the terminal",
			"Queue growing", "60 waiting to be sent", "Clock skew", "the terminal&#39;s clock is off by &#43;300s")
		if strings.Contains(b.body, "@queue") || strings.Contains(b.body, "@skew") {
			t.Fatal("the fleet page shows an alarm detail's key")
		}
	})
}

func TestAgeWords(t *testing.T) {
	for _, tc := range []struct {
		d      time.Duration
		zh, en string
	}{
		{45 * time.Second, "45秒", "45 s"}, {6 * time.Minute, "6分钟", "6 min"}, {3 * time.Hour, "3小时", "3 h"},
		{50 * time.Hour, "2天", "2 d"}, {-2 * time.Minute, "−2分钟", "−2 min"},
	} {
		if zh, en := ageWords("zh", tc.d), ageWords("en", tc.d); zh != tc.zh || en != tc.en {
			t.Errorf("%v: %q %q, want %q %q", tc.d, zh, en, tc.zh, tc.en)
		}
	}
}

// TestFilterByClick: staff see item names, not codes; a click on an item
// or a terminal in the list filters by it, keeping the other filters.
func TestFilterByClick(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	xh := e.enrol(terminalXH, "XH01")
	receipt := xh.submit(t, e, testIDNo, testName)
	b := e.browser().login("staff1", password)
	b.get("/console/submissions?state=accepted").must(200, receipt)
	for _, f := range []struct{ key, value string }{{"item", "312000374000"}, {"terminal", terminalXH}} {
		link := regexpFind(`/console/submissions\?[^"]*`+f.key+`=`+f.value+`[^"]*`, b.body)
		if link == "" {
			t.Fatalf("no link filtering by %s in the list", f.key)
		}
		u, err := url.Parse(html.UnescapeString(link))
		if err != nil || u.Query().Get("state") != "accepted" || u.Query().Get(f.key) != f.value {
			t.Fatalf("the %s link %q drops the other filters (%v)", f.key, link, err)
		}
		b.get(u.String()).must(200, receipt)
		b.get("/console/submissions?state=accepted")
	}
}
