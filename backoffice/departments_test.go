package backoffice

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/connector"
	"github.com/tongban/tongban/backoffice/document"
	"github.com/tongban/tongban/backoffice/store"
)

// department is a fake department API for ytd-medical-spending at XH01:
// it answers, or fails with 502 while down is set.
type department struct{ down atomic.Bool }

func (d *department) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if d.down.Load() {
		http.Error(w, "upstream down", http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"total": "12,380.40 元"}`)
}

type deptFixture struct {
	*fixture
	dept *department
	now  *atomic.Int64 // the server's clock, unix seconds
}

// newDeptFixture is a back office with the demonstration data at XH01,
// an HTTP connector for ytd-medical-spending at XH01, documents issued,
// and terminalA enrolled at XH01.
func newDeptFixture(t *testing.T) *deptFixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.OpenSQLite(ctx, filepath.Join(dir, "bo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := SealStore(st, filepath.Join(dir, "keys")); err != nil {
		t.Fatal(err)
	}
	keys, err := LoadOrCreateKeys(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	dept := &department{}
	ds := httptest.NewServer(dept)
	t.Cleanup(ds.Close)
	cfg := connector.DemoConfig()
	cfg.Connectors["yb"] = connector.ConnectorConfig{Kind: connector.KindHTTP, URL: ds.URL, Mapping: connector.Mapping{
		Title: connector.Text{ZH: "年度累计医疗费用信息查询"}, Source: connector.Text{ZH: "上海市医疗保障局"},
		Fields: []connector.FieldMap{{Path: "total", Label: connector.Text{ZH: "年度累计医疗费用", EN: "Spent this year"}}}}}
	cfg.Centers["XH01"] = connector.CenterConfig{Queries: map[string]string{"ytd-medical-spending": "yb"}}
	now := &atomic.Int64{}
	now.Store(testNow.Unix())
	clock := func() time.Time { return time.Unix(now.Load(), 0).UTC() }
	records := connector.NewStore(st, SubjectHash(keys.HashKey), clock)
	if err := records.LoadDemo(ctx, "XH01"); err != nil {
		t.Fatal(err)
	}
	set, err := connector.Build(cfg, records)
	if err != nil {
		t.Fatal(err)
	}
	issuer, err := NewDocumentIssuer(st, filepath.Join(dir, "keys"), "https://bo.example/")
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	srv := New(st, Options{Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), Now: clock,
		CA: keys.CA, Signer: keys.Signer, HashKey: keys.HashKey, InsecureDev: true, Connectors: set, Documents: issuer, LookupsPerMinute: 1000})
	if err := st.PutTerminal(ctx, store.Terminal{ID: terminalA, Center: "XH01", EnrolledAt: testNow}); err != nil {
		t.Fatal(err)
	}
	return &deptFixture{fixture: &fixture{srv: srv, st: st, keys: keys, logs: logs}, dept: dept, now: now}
}

func (f *deptFixture) ask(path, item string, who connector.DemoResident, event string) *httptest.ResponseRecorder {
	return f.do("POST", path, terminalA, api.DepartmentRequest{Item: item, IDNo: who.IDNo, Identification: event})
}

func (f *deptFixture) event(who connector.DemoResident) string {
	ev, _ := f.srv.issueEvent(terminalA, who.IDNo, "idcard", f.srv.now())
	return ev
}

// TestQueryAnswersIdentifiedResident: the demonstration data answers
// pension-received for 测试甲, and the log names the item, center,
// terminal and outcome but not the resident or the answer.
func TestQueryAnswersIdentifiedResident(t *testing.T) {
	f := newDeptFixture(t)
	rec := f.ask("/v1/queries", "pension-received", connector.DemoJia, f.event(connector.DemoJia))
	if rec.Code != 200 {
		t.Fatalf("query: %d %s", rec.Code, rec.Body)
	}
	r := decode[api.QueryResponse](t, rec)
	if r.Item != "pension-received" || r.Title.ZH != "个人享受城镇基本养老金情况" || r.Source.ZH == "" || r.AsOf.IsZero() || len(r.Fields) < 3 {
		t.Fatalf("answer: %+v", r)
	}
	var private int
	for _, fl := range r.Fields {
		if fl.Private {
			private++
		}
	}
	if private == 0 || r.Fields[0].Value != "4,210.50 元" {
		t.Errorf("fields: %+v", r.Fields)
	}
	logs := f.logs.String()
	for _, s := range []string{connector.DemoJia.IDNo, connector.DemoJia.Name, "4,210.50"} {
		if strings.Contains(logs, s) {
			t.Errorf("the log holds %q", s)
		}
	}
	if !strings.Contains(logs, "item=pension-received center=XH01 terminal="+terminalA) || !strings.Contains(logs, "outcome=answered") {
		t.Errorf("the log does not say what was asked:\n%s", logs)
	}
}

// TestQueryRefusedWithoutLiveIdentification: no event, another resident's,
// another terminal's, a forged and an expired one are all refused.
func TestQueryRefusedWithoutLiveIdentification(t *testing.T) {
	f := newDeptFixture(t)
	other, _ := f.srv.issueEvent("SH-XH-0009", connector.DemoJia.IDNo, "idcard", testNow)
	good := f.event(connector.DemoJia)
	for name, ev := range map[string]string{
		"none":               "",
		"another resident's": f.event(connector.DemoYi),
		"another terminal's": other,
		"forged":             good[:len(good)-4] + "0000",
	} {
		for _, path := range []string{"/v1/queries", "/v1/documents"} {
			if rec := f.ask(path, "pension-received", connector.DemoJia, ev); rec.Code != 403 || problemCode(t, rec) != api.CodeNotIdentified {
				t.Errorf("%s %s: %d %s", path, name, rec.Code, rec.Body)
			}
		}
	}
	if rec := f.ask("/v1/queries", "pension-received", connector.DemoJia, good); rec.Code != 200 {
		t.Errorf("live event: %d", rec.Code)
	}
	f.now.Add(int64(EventLife / time.Second))
	if rec := f.ask("/v1/queries", "pension-received", connector.DemoJia, good); rec.Code != 403 {
		t.Errorf("expired event: %d", rec.Code)
	}
}

// TestQueryPlainProblems: an item not connected here, a resident the
// department does not know, and bad input each get their own plain answer.
func TestQueryPlainProblems(t *testing.T) {
	f := newDeptFixture(t)
	ev := f.event(connector.DemoYi)
	rec := f.ask("/v1/queries", "elderly-allowance", connector.DemoYi, ev)
	if rec.Code != 404 || problemCode(t, rec) != api.CodeNotConnected || !strings.Contains(rec.Body.String(), "本中心暂未开通此查询，请到人工窗口") {
		t.Errorf("not connected: %d %s", rec.Code, rec.Body)
	}
	// The demo connects medical-profile everywhere, but XH01 answers
	// ytd-medical-spending from its own department, and pension-received
	// knows nothing of 测试乙.
	if rec := f.ask("/v1/queries", "pension-received", connector.DemoYi, ev); rec.Code != 404 || problemCode(t, rec) != api.CodeNoRecord {
		t.Errorf("no record: %d %s", rec.Code, rec.Body)
	}
	if rec := f.ask("/v1/documents", "pension-received", connector.DemoYi, ev); rec.Code != 404 || problemCode(t, rec) != api.CodeNotConnected ||
		!strings.Contains(rec.Body.String(), "本中心暂未开通此证明打印") {
		t.Errorf("a query item as a document: %d %s", rec.Code, rec.Body)
	}
	for name, body := range map[string]any{
		"bad item": api.DepartmentRequest{Item: "../x", IDNo: connector.DemoYi.IDNo, Identification: ev},
		"bad idno": api.DepartmentRequest{Item: "pension-received", IDNo: "310115198803152041", Identification: ev},
		"bad lang": api.DepartmentRequest{Item: "pension-received", IDNo: connector.DemoYi.IDNo, Identification: ev, Lang: "fr"},
		"unknown":  `{"item": "pension-received", "idno": "310115198803152040", "identification": "x", "extra": 1}`,
	} {
		if rec := f.do("POST", "/v1/queries", terminalA, body); rec.Code != 400 {
			t.Errorf("%s: %d", name, rec.Code)
		}
	}
}

// TestConnectorFailuresRaiseOneAlarm: failure, failure → no alarm yet;
// the third → one alarm; a fourth → still one; the department answers →
// the alarm is resolved; three more failures → a new one.
func TestConnectorFailuresRaiseOneAlarm(t *testing.T) {
	f := newDeptFixture(t)
	ctx := context.Background()
	ev := f.event(connector.DemoJia)
	open := func() []store.Alarm {
		all, err := f.st.ListAlarms(ctx, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []store.Alarm
		for _, a := range all {
			if a.Kind == AlarmConnectorFailing && a.State != store.AlarmResolved {
				out = append(out, a)
			}
		}
		return out
	}
	query := func() *httptest.ResponseRecorder {
		return f.ask("/v1/queries", "ytd-medical-spending", connector.DemoJia, ev)
	}
	if rec := query(); rec.Code != 200 || !strings.Contains(rec.Body.String(), "12,380.40") {
		t.Fatalf("department up: %d %s", rec.Code, rec.Body)
	}
	f.dept.down.Store(true)
	for i := 1; i <= 4; i++ {
		rec := query()
		if rec.Code != 503 || problemCode(t, rec) != api.CodeDepartmentDown || !decode[api.ErrorBody](t, rec).Error.Retryable {
			t.Errorf("failure %d: %d %s", i, rec.Code, rec.Body)
		}
		want := 0
		if i >= ConnectorFailuresBeforeAlarm {
			want = 1
		}
		if got := open(); len(got) != want {
			t.Fatalf("after failure %d: %d open alarms, want %d", i, len(got), want)
		}
	}
	a := open()[0]
	if a.Terminal != terminalA || a.Device != "connector yb" || !strings.Contains(a.Detail, "XH01") || strings.Contains(a.Detail, connector.DemoJia.IDNo) {
		t.Errorf("alarm: %+v", a)
	}
	// Another connector's answers do not end this one's episode.
	if rec := f.ask("/v1/queries", "pension-received", connector.DemoJia, ev); rec.Code != 200 || len(open()) != 1 {
		t.Errorf("another connector answered: %d, %d open", rec.Code, len(open()))
	}
	f.dept.down.Store(false)
	if rec := query(); rec.Code != 200 {
		t.Fatalf("recovered: %d", rec.Code)
	}
	if got := open(); len(got) != 0 {
		t.Errorf("after recovery: %d open alarms", len(got))
	}
	f.dept.down.Store(true)
	for range ConnectorFailuresBeforeAlarm {
		query()
	}
	if got := open(); len(got) != 1 {
		t.Errorf("the next episode: %d open alarms", len(got))
	}
	if !strings.Contains(f.logs.String(), "outcome=failed") {
		t.Errorf("failures not logged")
	}
}

// TestDocumentIssuedVerifiesAndPersists: a document is issued as a signed
// PDF whose number verifies at /v/<number>, whose bytes check at /v/check,
// and whose record is in the store; an unknown number does not verify.
func TestDocumentIssuedVerifiesAndPersists(t *testing.T) {
	f := newDeptFixture(t)
	rec := f.ask("/v1/documents", "hukou-certificate", connector.DemoJia, f.event(connector.DemoJia))
	if rec.Code != 200 {
		t.Fatalf("document: %d %s", rec.Code, rec.Body)
	}
	d := decode[api.DocumentResponse](t, rec)
	if !bytes.HasPrefix(d.PDF, []byte("%PDF")) || !document.ValidNumber(d.Number) || d.VerifyURL != "https://bo.example/v/"+d.Number || len(d.Signature) == 0 || d.Title.ZH != "户籍证明" {
		t.Fatalf("document: number %q url %q title %+v, %d bytes", d.Number, d.VerifyURL, d.Title, len(d.PDF))
	}
	page := f.do("GET", "/v/"+d.Number, "", nil)
	body := page.Body.String()
	if page.Code != 200 || !strings.Contains(body, "户籍证明") || !strings.Contains(body, "测*甲") || strings.Contains(body, connector.DemoJia.Name) {
		t.Errorf("verification page: %d %s", page.Code, body)
	}
	if rec := f.do("GET", "/v/0000-0000-0000-0000", "", nil); rec.Code != 404 {
		t.Errorf("unknown number: %d", rec.Code)
	}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	for name, b := range map[string][]byte{"pdf": d.PDF, "sig": d.Signature} {
		w, _ := mw.CreateFormFile(name, name)
		w.Write(b)
	}
	mw.Close()
	check := f.do("POST", "/v/check", "", form.Bytes(), "Content-Type", mw.FormDataContentType())
	if check.Code != 200 || !strings.Contains(check.Body.String(), "户籍证明") {
		t.Errorf("check: %d", check.Code)
	}
	stored, err := f.st.DocumentByNumber(context.Background(), d.Number)
	if err != nil || stored.Item != "hukou-certificate" || stored.Center != "XH01" || stored.Digest != document.Digest(d.PDF) {
		t.Errorf("stored: %+v %v", stored, err)
	}
	if strings.Contains(f.logs.String(), d.Number) {
		t.Errorf("the log names the document's number")
	}
}

// TestHeartbeatSaysWhatIsConnected: the heartbeat's answer lists the
// items connected at the terminal's center.
func TestHeartbeatSaysWhatIsConnected(t *testing.T) {
	f := newDeptFixture(t)
	rec := f.do("POST", "/v1/heartbeats", terminalA, api.Heartbeat{Terminal: terminalA, SentAt: testNow, Available: true, Devices: []api.DeviceStatus{}})
	r := decode[api.HeartbeatResponse](t, rec)
	if rec.Code != 200 || r.Connected == nil {
		t.Fatalf("heartbeat: %d %s", rec.Code, rec.Body)
	}
	has := func(list []string, item string) bool {
		for _, x := range list {
			if x == item {
				return true
			}
		}
		return false
	}
	if len(r.Connected.Queries) < 5 || len(r.Connected.Documents) < 2 || !has(r.Connected.Queries, "ytd-medical-spending") ||
		!has(r.Connected.Documents, "hukou-certificate") || has(r.Connected.Queries, "hukou-certificate") {
		t.Errorf("connected: %+v", r.Connected)
	}
	// A back office without connectors connects nothing, and says so.
	plain := newFixture(t, true)
	r = decode[api.HeartbeatResponse](t, plain.do("POST", "/v1/heartbeats", terminalA, api.Heartbeat{Terminal: terminalA, SentAt: testNow, Devices: []api.DeviceStatus{}}))
	if r.Connected == nil || len(r.Connected.Queries)+len(r.Connected.Documents) != 0 {
		t.Errorf("no connectors: %+v", r.Connected)
	}
}
