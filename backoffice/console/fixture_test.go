package console

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban/internal/sealed"

	"github.com/jackc/pgx/v5"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/connector"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/scancode"
	"github.com/tongban/tongban/kiosk/uplink"
)

// Synthetic identities only: valid check digits, no real person.
const (
	testIDNo   = "310104195001011235"
	testIDNo2  = "310115196002022343"
	testName   = "测试甲"
	password   = "correct-horse-1"
	terminalXH = "SH-XH-0001"
	terminalPD = "SH-PD-0001"
)

// clock is a settable clock shared by the back office and the console.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// AfterFunc makes it a kiosk.Clock too, for the terminal's client.
func (c *clock) AfterFunc(d time.Duration, f func()) kiosk.Timer { return time.AfterFunc(d, f) }

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// keepDay moves the clock past the next Shanghai midnight when fewer than d
// remain before it, so that a sequence of steps lasting d happens on one
// center day (tickets and the day's queue are per day) whatever the hour
// the test runs at. It returns how far it moved the clock.
func (c *clock) keepDay(d time.Duration) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	sh := c.t.In(shanghai)
	midnight := time.Date(sh.Year(), sh.Month(), sh.Day()+1, 0, 0, 0, 0, shanghai)
	left := midnight.Sub(c.t)
	if left >= d {
		return 0
	}
	c.t = midnight.Add(time.Minute)
	return left + time.Minute
}

// logBuffer collects every log line, so tests can check none is personal.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *logBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// env is a back office with its console on a real TLS listener that asks
// for client certificates as the production one does.
type env struct {
	t     testing.TB
	st    *store.DB
	clk   *clock
	srv   *backoffice.Server
	con   *Console
	recs  *connector.Store // the department records the console imports into
	keys  *backoffice.Keys
	ts    *httptest.Server
	logs  *logBuffer
	caPEM string
	dir   string
}

const pgEnv = "TONGBAN_PG_DSN"

// forEachStore runs fn on SQLite and, when TONGBAN_PG_DSN is set, on a
// fresh PostgreSQL schema.
func forEachStore(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Run("sqlite", func(t *testing.T) {
		st, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "bo.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		fn(t, newEnv(t, st))
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, newEnv(t, openTestPostgres(t)))
	})
}

func openTestPostgres(t testing.TB) *store.DB {
	st, _ := openTestPostgresSchema(t)
	return st
}

// openTestPostgresSchema opens a store in a new schema, dropped after the
// test, and returns the schema's DSN too.
func openTestPostgresSchema(t testing.TB) (*store.DB, string) {
	dsn := os.Getenv(pgEnv)
	if dsn == "" && os.Getenv("TONGBAN_REQUIRE_PG") != "" {
		t.Fatalf("TONGBAN_REQUIRE_PG is set but %s is not", pgEnv)
	}
	if dsn == "" {
		t.Skip("PostgreSQL console tests SKIPPED: " + pgEnv + " is not set")
		return nil, ""
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("%s is set but PostgreSQL is not reachable: %v", pgEnv, err)
	}
	schema := fmt.Sprintf("c_%d", time.Now().UnixNano())
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close(context.Background())
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	st, err := store.OpenPostgres(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, u.String()
}

func newEnv(t testing.TB, st *store.DB) *env {
	t.Helper()
	dir := t.TempDir()
	keys, err := backoffice.LoadOrCreateKeys(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	sealKey, err := store.LoadOrCreateSealKey(filepath.Join(dir, "keys", backoffice.SealKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SealWith(sealKey); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, st: st, keys: keys, logs: &logBuffer{}, dir: dir, clk: &clock{t: time.Now().Truncate(time.Second)}}
	logger := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.srv = backoffice.New(st, backoffice.Options{Logger: logger, Now: e.clk.Now, CA: keys.CA, Signer: keys.Signer, HashKey: keys.HashKey})
	e.recs = connector.NewStore(st, backoffice.SubjectHash(keys.HashKey), e.clk.Now)
	// Pension records are imported at every center, hukou documents at XH01.
	conns, err := connector.Build(connector.Config{Connectors: map[string]connector.ConnectorConfig{"records": {Kind: connector.KindStore}},
		Centers: map[string]connector.CenterConfig{connector.AnyCenter: {Queries: map[string]string{"pension-received": "records"}},
			"XH01": {Documents: map[string]string{"hukou-certificate": "records"}}}}, e.recs)
	if err != nil {
		t.Fatal(err)
	}
	e.con, err = New(st, Options{Logger: logger, Now: e.clk.Now, Services: e.srv, Records: e.recs, RecordItems: conns.StoreItems,
		CAFingerprint: sealed.Fingerprint(keys.CA.Cert.Raw)})
	if err != nil {
		t.Fatal(err)
	}
	tlsCfg, err := keys.CA.ServerTLSConfig([]string{"127.0.0.1"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	e.ts = httptest.NewUnstartedServer(Mount(e.srv, e.con))
	e.ts.TLS = tlsCfg
	e.ts.StartTLS()
	t.Cleanup(e.ts.Close)
	e.con.server = e.ts.URL // what the enrolment codes name
	e.caPEM = filepath.Join(dir, "ca.pem")
	b, _ := os.ReadFile(filepath.Join(dir, "keys", "ca.pem"))
	os.WriteFile(e.caPEM, b, 0o644)
	for _, u := range []store.User{
		{Username: "staff1", DisplayName: "测试乙", Role: store.RoleStaff, Center: "XH01"},
		{Username: "staff2", DisplayName: "测试丙", Role: store.RoleStaff, Center: "PD01"},
		{Username: "dir1", DisplayName: "测试丁", Role: store.RoleDirector, Center: "XH01"},
		{Username: "op1", DisplayName: "测试戊", Role: store.RoleOperator},
		{Username: "aud1", DisplayName: "测试己", Role: store.RoleAuditor},
	} {
		u.PasswordHash = testHash
		u.CreatedAt = e.clk.Now()
		if err := st.CreateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// testHash is the argon2id hash of password, made once.
var testHash = func() string {
	h, err := HashPassword(password)
	if err != nil {
		panic(err)
	}
	return h
}()

// browser is a person's web browser: cookies, and the CSRF token of the
// last page it saw.
type browser struct {
	e    *env
	c    *http.Client
	csrf string
	body string
	code int
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 20 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: e.caPool()}}}
	return &browser{e: e, c: c}
}

func (e *env) caPool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(e.keys.CA.Cert)
	return p
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) keep(resp *http.Response, err error) *browser {
	b.e.t.Helper()
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	b.body, b.code = string(data), resp.StatusCode
	if m := csrfField.FindStringSubmatch(b.body); m != nil {
		b.csrf = m[1]
	}
	return b
}

func (b *browser) get(path string) *browser {
	b.e.t.Helper()
	return b.keep(b.c.Get(b.e.ts.URL + path))
}

// post sends a form with the CSRF token of the last page (unless the form
// sets "csrf" itself).
func (b *browser) post(path string, form url.Values) *browser {
	b.e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.csrf)
	}
	return b.keep(b.c.PostForm(b.e.ts.URL+path, form))
}

func (b *browser) login(user, pw string) *browser {
	b.e.t.Helper()
	b.get("/console/login")
	return b.post("/console/login", url.Values{"username": {user}, "password": {pw}})
}

func (b *browser) must(code int, contains ...string) *browser {
	b.e.t.Helper()
	if b.code != code {
		b.e.t.Fatalf("status %d, want %d; page:\n%s", b.code, code, clipBody(b.body))
	}
	for _, c := range contains {
		if !strings.Contains(b.body, c) {
			b.e.t.Fatalf("page lacks %q:\n%s", c, clipBody(b.body))
		}
	}
	return b
}

func clipBody(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}

// terminal is an enrolled terminal speaking the real API over mutual TLS.
type terminal struct {
	id     string
	center string
	ident  *uplink.Identity
	http   *http.Client
	client *uplink.Client
	n      int
	// ids holds the client ID of each local receipt number submitted.
	ids map[string]string
	// devices is what its heartbeats report: every device working, the
	// printer's paper low, until a test changes it.
	devices []kiosk.DeviceStatus
}

type emptyQueue struct{}

func (emptyQueue) NextBatch(int) ([]kiosk.Submission, error) { return nil, nil }
func (emptyQueue) Acknowledge(string, string) error          { return nil }
func (emptyQueue) Quarantine(string, string) error           { return nil }
func (emptyQueue) Release([]string) error                    { return nil }
func (emptyQueue) Depth() int                                { return 3 }

// enrol issues a token (as the console does) and enrols a terminal with
// it through kiosk/uplink.
func (e *env) enrol(id, center string) *terminal {
	e.t.Helper()
	tok, err := e.srv.IssueEnrolmentToken(context.Background(), id, center, time.Hour)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.enrolWith(id, center, tok)
}

func (e *env) enrolWith(id, center, tok string) *terminal {
	e.t.Helper()
	ident, err := uplink.Enrol(context.Background(), uplink.EnrolOptions{Server: e.ts.URL, Token: tok, Dir: filepath.Join(e.dir, id), CAFile: e.caPEM,
		CAFingerprint: sealed.Fingerprint(e.keys.CA.Cert.Raw)})
	if err != nil {
		e.t.Fatal(err)
	}
	hc := ident.HTTPClient(nil)
	tm := &terminal{id: id, center: center, ident: ident, http: hc, devices: []kiosk.DeviceStatus{
		{Kind: kiosk.DeviceIDReader, State: kiosk.DeviceOnline},
		{Kind: kiosk.DevicePrinter, State: kiosk.DeviceOnline, Paper: kiosk.PaperLow},
		{Kind: kiosk.DeviceScanner, State: kiosk.DeviceOnline},
	}}
	tm.client, err = uplink.New(uplink.Config{BaseURL: e.ts.URL, HTTP: hc, Terminal: id, Center: center, Version: "0.9.1",
		Queue: emptyQueue{}, Clock: e.clk, Devices: func() []kiosk.DeviceStatus { return tm.devices }})
	if err != nil {
		e.t.Fatal(err)
	}
	return tm
}

// submit uploads one submission of a synthetic resident and returns its
// official receipt number.
func (tm *terminal) submit(t testing.TB, e *env, idno, name string) string {
	t.Helper()
	tm.n++
	it := api.SubmissionItem{
		ClientID:     fmt.Sprintf("0190a5c4-0000-7000-8000-%012d", tm.n+int(e.clk.Now().UnixNano()%1e9)*100),
		LocalReceipt: localReceipt(tm.id, tm.n), Terminal: tm.id, Center: tm.center,
		CreatedAt: e.clk.Now().Add(-time.Minute), Lang: "zh", Consent: true,
		Applicant: api.Applicant{IDType: "1", IDNo: idno, FullName: name, Sex: "1", Birthday: "1950-01-01", CellNo: "13800000000"},
		Affairs: api.Affairs{Platform: "4", AffairsCode: "312000374000", AffairsName: "老年综合津贴申请",
			FormData: api.FormData{Fields: map[string]string{"bank": "icbc"}, Display: map[string]string{"发放银行": "工商银行"}}},
		Signature: tinyPNG,
	}
	if tm.ids == nil {
		tm.ids = map[string]string{}
	}
	tm.ids[it.LocalReceipt] = it.ClientID
	body, _ := json.Marshal(api.BatchRequest{BatchID: "b", Items: []api.SubmissionItem{it}})
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/v1/submissions:batch", bytes.NewReader(body))
	req.Header.Set(api.IdempotencyKeyHeader, it.ClientID)
	req.Header.Set("Content-Type", "application/json")
	resp, err := tm.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var br api.BatchResponse
	if err := json.NewDecoder(resp.Body).Decode(&br); err != nil || len(br.Results) != 1 || br.Results[0].OfficialReceipt == "" {
		t.Fatalf("upload: %d %+v %v", resp.StatusCode, br, err)
	}
	return br.Results[0].OfficialReceipt
}

// tinyPNG stands in for a signature: a stroke on white, 300×100.
var tinyPNG = func() []byte {
	img := image.NewGray(image.Rect(0, 0, 300, 100))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for x := 20; x < 280; x++ {
		y := 50 + int(25*math.Sin(float64(x)/30))
		for d := -2; d <= 2; d++ {
			img.SetGray(x, y+d, color.Gray{})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}()

// localReceipt is terminal's n-th local receipt number, as kiosk/outbox
// numbers them.
func localReceipt(terminal string, n int) string { return fmt.Sprintf("%s-20260701-%04d", terminal, n) }

// progressPath is the path and query of the receipt's QR link for the
// local receipt number, with its progress key when the terminal filed it.
func (tm *terminal) progressPath(t testing.TB, local string) string {
	t.Helper()
	u, err := url.Parse(scancode.ProgressLink(local, tm.ids[local]))
	if err != nil {
		t.Fatal(err)
	}
	return u.RequestURI()
}

// TestKeepDay: the test clock's guard against a Shanghai midnight falling
// inside a ticket sequence, which made TestBrowser and TestCounterQueue
// fail when make test ran between 15:50 and 16:00 UTC.
func TestKeepDay(t *testing.T) {
	at := func(hhmm string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", "2026-12-05 "+hhmm, shanghai)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		start string
		d     time.Duration
		moved bool
	}{
		{"09:00", time.Hour, false},
		{"22:59", time.Hour, false},
		{"23:01", time.Hour, true},
		{"23:55", 10 * time.Minute, true},
		{"00:00", time.Hour, false},
	} {
		c := &clock{t: at(tc.start)}
		moved := c.keepDay(tc.d)
		if (moved > 0) != tc.moved {
			t.Errorf("%s + %v: moved %v", tc.start, tc.d, moved)
		}
		end := c.Now().Add(tc.d).In(shanghai)
		if end.Day() != c.Now().In(shanghai).Day() {
			t.Errorf("%s + %v: the sequence still ends on %v", tc.start, tc.d, end)
		}
		if !tc.moved && !c.Now().Equal(at(tc.start)) {
			t.Errorf("%s: clock moved to %v", tc.start, c.Now())
		}
	}
}
