package connector

import (
	"context"
	"crypto/hmac"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"github.com/tongban/tongban/backoffice/store"
)

var testNow = time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)

// testSubject stands for the back office's keyed lookup hash.
func testSubject(idNo string) string {
	m := hmac.New(sm3.New, []byte("test key"))
	m.Write([]byte(idNo))
	return hex.EncodeToString(m.Sum(nil))
}

// contractRow is the record both implementations are given to answer.
var contractRow = Row{IDNo: DemoJia.IDNo, Name: DemoJia.Name, Fields: fields(f("本月养老金", "This month's pension", "4,210.50 元"), private("银行账号", "Account number", "6222********1234"))}

var contractMapping = Mapping{
	Title:  Text{ZH: "个人享受城镇基本养老金情况", EN: "Pension received statement"},
	Source: Text{ZH: "上海市社会保险事业管理中心"},
	Name:   "data.name", AsOf: "data.as_of", Found: "found",
	Fields: []FieldMap{
		{Path: "data.monthly", Label: Text{ZH: "本月养老金", EN: "This month's pension"}},
		{Path: "data.account", Label: Text{ZH: "银行账号", EN: "Account number"}, Private: true},
	},
}

// connectorUnderTest is one implementation set up for the contract: it
// knows contractRow's resident, and down makes its department fail.
type connectorUnderTest struct {
	q    Querier
	d    Documenter
	down func(bool)
}

// failing wraps a RecordStore: while down, every read fails as a
// database that cannot be reached does.
type failing struct {
	RecordStore
	down atomic.Bool
}

func (f *failing) DeptRecord(ctx context.Context, center, item, subject string) (store.DeptRecord, error) {
	if f.down.Load() {
		return store.DeptRecord{}, errors.New("database unreachable")
	}
	if err := ctx.Err(); err != nil {
		return store.DeptRecord{}, err
	}
	return f.RecordStore.DeptRecord(ctx, center, item, subject)
}

func newStoreUnderTest(t *testing.T) connectorUnderTest {
	db, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "bo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fl := &failing{RecordStore: db}
	s := NewStore(fl, testSubject, func() time.Time { return testNow })
	if err := s.Put(context.Background(), ImportSpec{Center: "XH01", Item: "pension-received", Title: contractMapping.Title, Source: contractMapping.Source, AsOf: testNow}, []Row{contractRow}); err != nil {
		t.Fatal(err)
	}
	return connectorUnderTest{q: s, d: s, down: fl.down.Store}
}

// fakeDepartment is a department's HTTP API in the tests: it knows the
// residents in rows, and its behaviour can be switched to fail.
type fakeDepartment struct {
	mu     sync.Mutex
	rows   map[string]Row
	status int                                          // non-zero: answer only this status
	handle func(w http.ResponseWriter, r *http.Request) // non-nil: answers instead
	calls  atomic.Int32
	key    string // the API key it expects in X-Api-Key; "" none
}

func (d *fakeDepartment) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.calls.Add(1)
	d.mu.Lock()
	status, handle := d.status, d.handle
	d.mu.Unlock()
	if handle != nil {
		handle(w, r)
		return
	}
	if status != 0 {
		http.Error(w, "upstream failure", status)
		return
	}
	if d.key != "" && r.Header.Get("X-Api-Key") != d.key {
		http.Error(w, "no key", http.StatusUnauthorized)
		return
	}
	var q struct{ IDNo, Item, Center string }
	if err := json.NewDecoder(r.Body).Decode(&q); err != nil || r.Method != http.MethodPost {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	row, ok := d.rows[q.IDNo]
	if !ok {
		json.NewEncoder(w).Encode(map[string]any{"found": false})
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"found": true, "data": map[string]any{
		"name": row.Name, "as_of": "2026-11-30", "monthly": row.Fields[0].Value, "account": row.Fields[1].Value,
	}})
}

func (d *fakeDepartment) set(status int, handle func(http.ResponseWriter, *http.Request)) {
	d.mu.Lock()
	d.status, d.handle = status, handle
	d.mu.Unlock()
}

func newHTTPUnderTest(t *testing.T) connectorUnderTest {
	dep := &fakeDepartment{rows: map[string]Row{contractRow.IDNo: contractRow}}
	srv := httptest.NewServer(dep)
	t.Cleanup(srv.Close)
	h, err := NewHTTP(HTTPConfig{URL: srv.URL + "/pension", Mapping: contractMapping, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return connectorUnderTest{q: h, d: h, down: func(down bool) {
		if down {
			dep.set(http.StatusBadGateway, nil)
		} else {
			dep.set(0, nil)
		}
	}}
}

// TestContract runs one table of behaviours against both implementations.
func TestContract(t *testing.T) {
	impls := map[string]func(*testing.T) connectorUnderTest{"store": newStoreUnderTest, "http": newHTTPUnderTest}
	known := Request{Item: "pension-received", Center: "XH01", IDNo: DemoJia.IDNo}
	unknown := known
	unknown.IDNo = DemoYi.IDNo
	checkAnswer := func(t *testing.T, a Answer) {
		t.Helper()
		if a.Title.ZH != contractMapping.Title.ZH || a.Source.ZH == "" || a.Name != DemoJia.Name || a.AsOf.IsZero() {
			t.Errorf("answer header: %+v", a)
		}
		if len(a.Fields) != 2 || a.Fields[0].Value != "4,210.50 元" || a.Fields[0].Private || !a.Fields[1].Private || a.Fields[1].Label.EN != "Account number" {
			t.Errorf("fields: %+v", a.Fields)
		}
	}
	cases := []struct {
		name string
		run  func(t *testing.T, c connectorUnderTest)
	}{
		{"query answers a known resident", func(t *testing.T, c connectorUnderTest) {
			a, err := c.q.Query(context.Background(), known)
			if err != nil {
				t.Fatal(err)
			}
			checkAnswer(t, a)
		}},
		{"document answers a known resident", func(t *testing.T, c connectorUnderTest) {
			a, err := c.d.Document(context.Background(), known)
			if err != nil {
				t.Fatal(err)
			}
			checkAnswer(t, a)
		}},
		{"an unknown resident has no record", func(t *testing.T, c connectorUnderTest) {
			if _, err := c.q.Query(context.Background(), unknown); !errors.Is(err, ErrNoRecord) {
				t.Errorf("got %v, want ErrNoRecord", err)
			}
		}},
		{"a failing department is unavailable, twice, then answers again", func(t *testing.T, c connectorUnderTest) {
			c.down(true)
			for i := range 2 {
				_, err := c.q.Query(context.Background(), known)
				if !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrNoRecord) {
					t.Errorf("failure %d: %v", i+1, err)
				}
				if err != nil && strings.Contains(err.Error(), known.IDNo) {
					t.Errorf("the error names the resident: %v", err)
				}
			}
			c.down(false)
			a, err := c.q.Query(context.Background(), known)
			if err != nil {
				t.Fatalf("after recovery: %v", err)
			}
			checkAnswer(t, a)
		}},
		{"a cancelled request is unavailable", func(t *testing.T, c connectorUnderTest) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if _, err := c.q.Query(ctx, known); !errors.Is(err, ErrUnavailable) {
				t.Errorf("got %v", err)
			}
		}},
	}
	for impl, make := range impls {
		for _, tc := range cases {
			t.Run(impl+"/"+tc.name, func(t *testing.T) { tc.run(t, make(t)) })
		}
	}
}
