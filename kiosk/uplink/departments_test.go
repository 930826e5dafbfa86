package uplink

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/connector"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk"
)

// testSAM is the allow-listed card reader of testTerminal.
const testSAM = "05.01-20240101-0000000042-0000000007"

// fakeYB stands for the medical-insurance department's API: it answers
// ytd-medical-spending, or fails with 503 while down.
type fakeYB struct{ down atomic.Bool }

func (d *fakeYB) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if d.down.Load() {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"total": "12,380.40 元", "paid_cash": "1,226.08 元"}`)
}

type deptOffice struct {
	URL   string
	Store *store.DB
	dept  *fakeYB
}

// startDeptBackOffice serves a real back office on loopback (dev mode):
// the demonstration data at testCenter, ytd-medical-spending from the
// fake department's HTTP API, documents issued, and testSAM allow-listed
// for testTerminal, so a card read identifies.
func startDeptBackOffice(t testing.TB) *deptOffice {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	st, err := store.OpenSQLite(ctx, filepath.Join(dir, "bo.db"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := backoffice.LoadOrCreateKeys(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	if err := backoffice.SealStore(st, filepath.Join(dir, "keys")); err != nil {
		t.Fatal(err)
	}
	dept := &fakeYB{}
	ds := httptest.NewServer(dept)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	records := connector.NewStore(st, backoffice.SubjectHash(keys.HashKey), nil)
	if err := records.LoadDemo(ctx, testCenter); err != nil {
		t.Fatal(err)
	}
	cfg := connector.DemoConfig()
	cfg.Connectors["yb"] = connector.ConnectorConfig{Kind: connector.KindHTTP, URL: ds.URL, Mapping: connector.Mapping{
		Title: connector.Text{ZH: "年度累计医疗费用信息查询", EN: "Year-to-date medical spending"}, Source: connector.Text{ZH: "上海市医疗保障局"},
		Fields: []connector.FieldMap{{Path: "total", Label: connector.Text{ZH: "年度累计医疗费用", EN: "Spent this year"}},
			{Path: "paid_cash", Label: connector.Text{ZH: "个人现金支付", EN: "Paid in cash"}, Private: true}}}}
	cfg.Centers[testCenter] = connector.CenterConfig{Queries: map[string]string{"ytd-medical-spending": "yb"}}
	set, err := connector.Build(cfg, records)
	if err != nil {
		t.Fatal(err)
	}
	issuer, err := backoffice.NewDocumentIssuer(st, filepath.Join(dir, "keys"), url)
	if err != nil {
		t.Fatal(err)
	}
	srv := backoffice.New(st, backoffice.Options{CA: keys.CA, Signer: keys.Signer, HashKey: keys.HashKey, InsecureDev: true,
		Connectors: set, Documents: issuer, DevCenter: testCenter, Readers: backoffice.MemReaders{testTerminal: {testSAM}}, LookupsPerMinute: 100_000, TerminalRate: -1})
	done := make(chan error, 1)
	go func() { done <- backoffice.Serve(ctx, ln, srv, nil, nil) }()
	t.Cleanup(func() {
		cancel()
		<-done
		ds.Close()
		st.Close()
	})
	return &deptOffice{URL: url, Store: st, dept: dept}
}

// identifyCard has the back office vouch for a card read at the
// allow-listed reader, as the terminal does at card read.
func identifyCard(t testing.TB, c *Client, who connector.DemoResident) kiosk.Identity {
	t.Helper()
	id := kiosk.Identity{Card: kiosk.CardResident, Name: who.Name, Number: who.IDNo, ReaderSAM: testSAM}
	ev, err := c.IdentifyCard(context.Background(), id)
	if err != nil {
		t.Fatalf("identification: %v", err)
	}
	id.Verification = ev
	return id
}

func wantKiosk(t *testing.T, what string, err error, kind kiosk.ErrorKind, msg string) {
	t.Helper()
	var ke *kiosk.Error
	if !errors.As(err, &ke) || ke.Kind != kind || ke.Message.ID != msg {
		t.Errorf("%s: got %v, want kind %v message %s", what, err, kind, msg)
	}
}

// TestDepartmentsEndToEnd: a synthetic resident identified with the card
// queries 养老金情况 from the demonstration data and gets its fields;
// a document comes back as a PDF whose number verifies at the back
// office's /v/ page; the connected lists arrive with the heartbeat.
func TestDepartmentsEndToEnd(t *testing.T) {
	bo := startDeptBackOffice(t)
	var told []kiosk.Connected
	c := newClient(t, bo.URL, newFakeQueue(), kiosk.SystemClock{}, func(cfg *Config) {
		cfg.OnConnected = func(k kiosk.Connected) { told = append(told, k) }
	})
	ctx := context.Background()
	if got := c.Connected(); got.Query("pension-received") {
		t.Fatalf("connected before the back office said: %+v", got)
	}
	for range 2 {
		if _, err := c.Heartbeat(ctx); err != nil {
			t.Fatal(err)
		}
	}
	got := c.Connected()
	for _, item := range []kiosk.ItemCode{"pension-received", "pension-contribution-record", "medical-profile", "residence-points-query", "social-security-card-info", "ytd-medical-spending"} {
		if !got.Query(item) {
			t.Errorf("query %s not connected: %+v", item, got)
		}
	}
	if !got.Document("hukou-certificate") || !got.Document("social-insurance-rights-record") || got.Query("hukou-certificate") || got.Document("elderly-allowance") {
		t.Errorf("documents: %+v", got)
	}
	if len(told) != 1 {
		t.Errorf("OnConnected told %d times for two equal answers", len(told))
	}

	who := identifyCard(t, c, connector.DemoJia)
	res, err := c.Query(ctx, "pension-received", who, kiosk.LangZH)
	if err != nil {
		t.Fatal(err)
	}
	if res.Item != "pension-received" || res.Title.ZH != "个人享受城镇基本养老金情况" || res.Title.EN == "" || res.Source.ZH == "" || res.AsOf.IsZero() {
		t.Errorf("result: %+v", res)
	}
	var private bool
	for _, f := range res.Fields {
		private = private || f.Private
	}
	if len(res.Fields) < 5 || res.Fields[0].Value != "4,210.50 元" || res.Fields[0].Label.ZH != "本月养老金" || !private {
		t.Errorf("fields: %+v", res.Fields)
	}
	res.Wipe()
	if len(res.Fields) != 0 || res.Title.ZH != "" {
		t.Errorf("not wiped: %+v", res)
	}

	doc, err := c.Document(ctx, "hukou-certificate", who, kiosk.LangZH)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(doc.PDF, []byte("%PDF-")) || doc.Title.ZH != "户籍证明" || !strings.HasPrefix(doc.VerifyURL, bo.URL+"/v/") || !strings.HasSuffix(doc.VerifyURL, doc.Number) {
		t.Fatalf("document: %q %q %q", doc.Title.ZH, doc.Number, doc.VerifyURL)
	}
	resp, err := http.Get(doc.VerifyURL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "户籍证明") || !strings.Contains(string(page), doc.Number) {
		t.Errorf("verification page: %d", resp.StatusCode)
	}
	forged := strings.Replace(doc.VerifyURL, doc.Number, "0000-0000-0000-0000", 1)
	if resp, err := http.Get(forged); err != nil || resp.StatusCode != 404 {
		t.Errorf("a number never issued: %v", err)
	}
	doc.Wipe()
	if doc.PDF != nil || doc.Number != "" {
		t.Errorf("document not wiped")
	}
}

// TestDepartmentsRefusals: no identification, a forged or another
// resident's event, an unconnected item, no record, a back office gone.
func TestDepartmentsRefusals(t *testing.T) {
	bo := startDeptBackOffice(t)
	c := newClient(t, bo.URL, newFakeQueue(), kiosk.SystemClock{})
	ctx := context.Background()
	jia := identifyCard(t, c, connector.DemoJia)

	unverified := jia
	unverified.Verification = ""
	_, err := c.Query(ctx, "pension-received", unverified, kiosk.LangZH)
	wantKiosk(t, "no identification", err, kiosk.KindInvalid, "dept.not_identified")
	_, err = c.Document(ctx, "hukou-certificate", kiosk.Identity{}, kiosk.LangZH)
	wantKiosk(t, "no resident", err, kiosk.KindInvalid, "dept.not_identified")

	yi := identifyCard(t, c, connector.DemoYi)
	borrowed := jia
	borrowed.Verification = yi.Verification
	_, err = c.Query(ctx, "pension-received", borrowed, kiosk.LangZH)
	wantKiosk(t, "another resident's event", err, kiosk.KindInvalid, "dept.not_identified")
	forged := jia
	forged.Verification = jia.Verification[:len(jia.Verification)-6] + "abcdef"
	_, err = c.Query(ctx, "pension-received", forged, kiosk.LangZH)
	wantKiosk(t, "forged event", err, kiosk.KindInvalid, "dept.not_identified")

	_, err = c.Query(ctx, "elderly-allowance", jia, kiosk.LangZH)
	wantKiosk(t, "unconnected query", err, kiosk.KindUnavailable, "dept.query_not_connected")
	_, err = c.Document(ctx, "pension-received", jia, kiosk.LangZH)
	wantKiosk(t, "unconnected document", err, kiosk.KindUnavailable, "dept.document_not_connected")
	_, err = c.Query(ctx, "residence-points-query", jia, kiosk.LangEN)
	wantKiosk(t, "no record", err, kiosk.KindUnavailable, "dept.no_record")

	gone := newClient(t, "http://127.0.0.1:1", newFakeQueue(), kiosk.SystemClock{})
	_, err = gone.Query(ctx, "pension-received", jia, kiosk.LangZH)
	wantKiosk(t, "no back office", err, kiosk.KindTransient, "dept.busy")
}

// TestDepartmentDownThenUp: while the department's API fails the resident
// is told to try later (transient), three failures raise one alarm at the
// back office, and once the department answers the query works and the
// alarm is resolved.
func TestDepartmentDownThenUp(t *testing.T) {
	bo := startDeptBackOffice(t)
	c := newClient(t, bo.URL, newFakeQueue(), kiosk.SystemClock{})
	ctx := context.Background()
	who := identifyCard(t, c, connector.DemoJia)
	openAlarms := func() int {
		as, err := bo.Store.ListAlarms(ctx, store.AlarmOpen, 10)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, a := range as {
			if a.Kind == backoffice.AlarmConnectorFailing && a.Terminal == testTerminal {
				n++
			}
		}
		return n
	}
	if _, err := c.Query(ctx, "ytd-medical-spending", who, kiosk.LangZH); err != nil {
		t.Fatalf("department up: %v", err)
	}
	bo.dept.down.Store(true)
	for i := 1; i <= 4; i++ {
		_, err := c.Query(ctx, "ytd-medical-spending", who, kiosk.LangZH)
		wantKiosk(t, "department down", err, kiosk.KindTransient, "dept.busy")
		want := 0
		if i >= backoffice.ConnectorFailuresBeforeAlarm {
			want = 1
		}
		if n := openAlarms(); n != want {
			t.Fatalf("after %d failures: %d alarms, want %d", i, n, want)
		}
	}
	bo.dept.down.Store(false)
	res, err := c.Query(ctx, "ytd-medical-spending", who, kiosk.LangZH)
	if err != nil || len(res.Fields) != 2 || res.Fields[0].Value != "12,380.40 元" || !res.Fields[1].Private {
		t.Fatalf("department back: %+v %v", res, err)
	}
	if n := openAlarms(); n != 0 {
		t.Errorf("the alarm stays open after recovery: %d", n)
	}
}

// TestDepartmentsAnswerMapping: each answer a back office may give maps to
// the kind and words the resident's screen needs, including answers that
// are not what was asked for.
func TestDepartmentsAnswerMapping(t *testing.T) {
	var status atomic.Int32
	var body atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(int(status.Load()))
		io.WriteString(w, body.Load().(string))
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, newFakeQueue(), kiosk.SystemClock{})
	who := kiosk.Identity{Card: kiosk.CardResident, Name: "测试甲", Number: connector.DemoJia.IDNo, Verification: "ev"}
	problem := func(code string) string { return `{"error": {"code": "` + code + `", "message": "m"}}` }
	for _, tc := range []struct {
		name   string
		status int
		body   string
		kind   kiosk.ErrorKind
		msg    string
	}{
		{"refused identification", 403, problem(api.CodeNotIdentified), kiosk.KindInvalid, "dept.not_identified"},
		{"not connected", 404, problem(api.CodeNotConnected), kiosk.KindUnavailable, "dept.query_not_connected"},
		{"an older back office without the route", 404, `404 page not found`, kiosk.KindUnavailable, "dept.query_not_connected"},
		{"no record", 404, problem(api.CodeNoRecord), kiosk.KindUnavailable, "dept.no_record"},
		{"department down", 503, problem(api.CodeDepartmentDown), kiosk.KindTransient, "dept.busy"},
		{"too many", 429, problem(api.CodeRateLimited), kiosk.KindTransient, "dept.busy"},
		{"refused input", 400, problem(api.CodeMalformed), kiosk.KindUnavailable, "dept.counter"},
		{"garbage", 200, `{"item": "pension-received", "title": `, kiosk.KindTransient, "dept.busy"},
		{"another item's answer", 200, `{"item": "medical-profile", "title": {"zh": "医保个人信息"}, "source": {"zh": "s"}, "as_of": "2026-11-30T00:00:00Z", "fields": []}`,
			kiosk.KindTransient, "dept.busy"},
	} {
		status.Store(int32(tc.status))
		body.Store(tc.body)
		_, err := c.Query(context.Background(), "pension-received", who, kiosk.LangZH)
		wantKiosk(t, tc.name, err, tc.kind, tc.msg)
	}
	status.Store(200)
	body.Store(`{"item": "hukou-certificate", "title": {"zh": "户籍证明"}, "number": "7K2M-Q9XD-4RTA-0VHC", "verify_url": "https://bo/v/7K2M-Q9XD-4RTA-0VHC", "pdf": "PGh0bWw+", "signature": ""}`)
	_, err := c.Document(context.Background(), "hukou-certificate", who, kiosk.LangZH)
	wantKiosk(t, "a document that is not a PDF", err, kiosk.KindTransient, "dept.busy")
}

// TestMakeRunResidentFindsRecords: with the in-process back office of
// make run, the simulated phone's resident identified by 随申码 gets
// answers to at least five connected queries and two documents.
func TestMakeRunResidentFindsRecords(t *testing.T) {
	bo := startBackOffice(t)
	c := newClient(t, bo.URL, newFakeQueue(), kiosk.SystemClock{})
	ctx := context.Background()
	code, err := sim.SignedSuishenma(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	who, err := c.Identify(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Heartbeat(ctx); err != nil {
		t.Fatal(err)
	}
	connected := c.Connected()
	var queries, documents int
	for _, item := range connected.Queries {
		res, err := c.Query(ctx, item, who, kiosk.LangZH)
		var ke *kiosk.Error
		switch {
		case err == nil && len(res.Fields) > 0:
			queries++
		case errors.As(err, &ke) && ke.Message.ID == "dept.no_record":
		default:
			t.Errorf("query %s: %v", item, err)
		}
	}
	for _, item := range connected.Documents {
		doc, err := c.Document(ctx, item, who, kiosk.LangZH)
		if err == nil && len(doc.PDF) > 0 {
			documents++
		}
	}
	if queries < 5 || documents < 2 {
		t.Errorf("answered %d queries and %d documents of %+v", queries, documents, connected)
	}
}

// TestConnectedFollowsHeartbeats: the lists change with the heartbeat
// answers that carry them; an answer without them (a back office before
// queries, or one that did not say) leaves the last known lists.
func TestConnectedFollowsHeartbeats(t *testing.T) {
	var body atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body.Load().(string))
	}))
	defer srv.Close()
	var told []kiosk.Connected
	c := newClient(t, srv.URL, newFakeQueue(), kiosk.SystemClock{}, func(cfg *Config) {
		cfg.OnConnected = func(k kiosk.Connected) { told = append(told, k) }
	})
	beat := func(b string) kiosk.Connected {
		t.Helper()
		body.Store(b)
		if _, err := c.Heartbeat(context.Background()); err != nil {
			t.Fatal(err)
		}
		return c.Connected()
	}
	const now = `"server_time": "2026-12-01T02:00:00Z", "catalog_version": 0, "config_version": 0`
	if got := beat(`{` + now + `, "connected": {"queries": ["pension-received"], "documents": ["hukou-certificate"]}}`); !got.Query("pension-received") || !got.Document("hukou-certificate") {
		t.Errorf("first: %+v", got)
	}
	if got := beat(`{` + now + `}`); !got.Query("pension-received") {
		t.Errorf("an answer without lists dropped them: %+v", got)
	}
	if got := beat(`{` + now + `, "connected": {"queries": ["medical-profile"], "documents": []}}`); got.Query("pension-received") || !got.Query("medical-profile") || got.Document("hukou-certificate") {
		t.Errorf("changed: %+v", got)
	}
	beat(`{` + now + `, "connected": {"queries": ["medical-profile"], "documents": []}}`)
	if len(told) != 2 {
		t.Errorf("OnConnected told %d times, want 2 (two changes)", len(told))
	}
	got := c.Connected()
	got.Queries[0] = "tampered"
	if !c.Connected().Query("medical-profile") {
		t.Errorf("Connected hands out its own lists")
	}
}
