package backoffice

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/backoffice/store"
)

// Synthetic resident ID numbers (310104 prefix, valid check digits).
const (
	testIDNo  = "310104195001011235"
	badIDNo   = "310104195001011236"
	terminalA = "SH-XH-0001"
)

var testNow = time.Date(2026, 7, 1, 2, 0, 0, 0, time.UTC)

// logBuffer collects log output so tests can check nothing personal leaks.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type fixture struct {
	srv  *Server
	st   *store.DB
	keys *Keys
	logs *logBuffer
}

func newFixture(t testing.TB, dev bool) *fixture {
	t.Helper()
	dir := t.TempDir()
	st, err := store.OpenSQLite(context.Background(), filepath.Join(dir, "bo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	keys, err := LoadOrCreateKeys(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := New(st, Options{Logger: logger, Now: func() time.Time { return testNow }, CA: keys.CA, Signer: keys.Signer, HashKey: keys.HashKey, InsecureDev: dev})
	return &fixture{srv: srv, st: st, keys: keys, logs: logs}
}

// do sends a request straight to the handler as terminal (dev header).
func (f *fixture) do(method, path, terminal string, body any, hdr ...string) *httptest.ResponseRecorder {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, path, rd)
	if terminal != "" {
		req.Header.Set(api.TerminalHeader, terminal)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	return rec
}

func item(n int, terminal string) api.SubmissionItem {
	return api.SubmissionItem{
		ClientID:     fmt.Sprintf("0190a5c4-0000-7000-8000-%012d", n),
		LocalReceipt: fmt.Sprintf("%s-20260701-%04d", terminal, n),
		Terminal:     terminal,
		Center:       "XH01",
		CreatedAt:    testNow.Add(-time.Hour),
		Lang:         "zh",
		Consent:      true,
		Applicant:    api.Applicant{IDType: "1", IDNo: testIDNo, FullName: "张测试", Sex: "1", Birthday: "1950-01-01"},
		Affairs: api.Affairs{Platform: "4", AffairsCode: "312000374000", AffairsName: "老年综合津贴申请",
			FormData: api.FormData{Fields: map[string]string{"bank": "icbc"}, Display: map[string]string{"发放银行": "工商银行"}}},
	}
}

func batch(items ...api.SubmissionItem) api.BatchRequest {
	return api.BatchRequest{BatchID: "b1", Items: items}
}

func decode[T any](t testing.TB, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decoding %d answer %q: %v", rec.Code, rec.Body.String(), err)
	}
	return v
}

func problemCode(t testing.TB, rec *httptest.ResponseRecorder) string {
	t.Helper()
	return decode[api.ErrorBody](t, rec).Error.Code
}

var _ = bundle.KindCatalog
