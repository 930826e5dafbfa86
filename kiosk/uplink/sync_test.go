package uplink

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

func TestDrainAcknowledgesWithOfficialReceipts(t *testing.T) {
	bo := startBackOffice(t)
	subs := submissions(120)
	bad := submission(999)
	bad.Applicant.Number = "310104195001011236" // wrong check digit
	q := newFakeQueue(append(subs[:60:60], append([]kiosk.Submission{bad}, subs[60:]...)...)...)
	c := newClient(t, bo.URL, q, &fakeClock{now: t0})
	st, err := c.Drain(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Acknowledged != 120 || st.Quarantined != 1 || st.Sent != 121 {
		t.Errorf("stats: %+v", st)
	}
	q.checkDrained(t)
	if r := q.quarantined[bad.ID]; !strings.Contains(r, "check digit") {
		t.Errorf("quarantine reason %q", r)
	}
	for _, s := range subs {
		got, err := bo.Store.SubmissionByReceipt(context.Background(), s.LocalReceipt)
		if err != nil || got.OfficialReceipt != q.acked[s.ID] {
			t.Fatalf("%s: queue has %q, server %q (%v)", s.ID, q.acked[s.ID], got.OfficialReceipt, err)
		}
	}
	// Sending everything again (say the queue was restored from a backup)
	// gives duplicates with the same numbers.
	q2 := newFakeQueue(subs...)
	st, err = newClient(t, bo.URL, q2, &fakeClock{now: t0}).Drain(context.Background())
	// The first batch has the same set of IDs, hence the same key: the
	// stored answer comes back. The rest are answered as duplicates.
	if err != nil || st.Acknowledged != 120 || st.Duplicates != 70 {
		t.Fatalf("replay: %+v %v", st, err)
	}
	for id, official := range q2.acked {
		if q.acked[id] != official {
			t.Errorf("%s: replay got %s, first time %s", id, official, q.acked[id])
		}
	}
}

func TestStatusQuery(t *testing.T) {
	bo := startBackOffice(t)
	q := newFakeQueue(submission(1))
	c := newClient(t, bo.URL, q, &fakeClock{now: t0})
	if _, err := c.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, receipt := range []string{q.acked[submission(1).ID], submission(1).LocalReceipt} {
		st, err := c.Status(context.Background(), receipt)
		if err != nil || st.OfficialReceipt != q.acked[submission(1).ID] || st.State != kiosk.StateAcknowledged || kiosktest.Words(t, st.Progress).ZH == "" {
			t.Errorf("status %s: %+v %v", receipt, st, err)
		}
	}
	_, err := c.Status(context.Background(), "SQ20260701000009999")
	if w := kiosktest.Words(t, kiosk.MessageOf(err)); kiosk.KindOf(err) != kiosk.KindInvalid || w.ZH == w.EN {
		t.Errorf("unknown receipt: %v", err)
	}
	down := newClient(t, "http://127.0.0.1:1", q, &fakeClock{now: t0})
	if _, err := down.Status(context.Background(), "x"); kiosk.KindOf(err) != kiosk.KindTransient {
		t.Errorf("back office down: %v", err)
	}
}

// TestStatusQueryOfAnotherTerminal: a receipt filed at another terminal
// shows its progress here only with the key from its QR code; the number
// alone, or a wrong key, is "unknown".
func TestStatusQueryOfAnotherTerminal(t *testing.T) {
	bo := startBackOffice(t)
	q := newFakeQueue(submission(1))
	if _, err := newClient(t, bo.URL, q, &fakeClock{now: t0}).Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := submission(1)
	other := newClient(t, bo.URL, newFakeQueue(), &fakeClock{now: t0}, func(c *Config) { c.Terminal = "SH-PD-0009" })
	for _, key := range []string{"", "0000000000000000", api.ProgressKey("0190a5c4-0000-7000-8000-000000000000")} {
		if _, err := other.StatusWithKey(context.Background(), s.LocalReceipt, key); kiosk.KindOf(err) != kiosk.KindInvalid {
			t.Errorf("key %q: %v, want an unknown receipt", key, err)
		}
	}
	st, err := other.StatusWithKey(context.Background(), s.LocalReceipt, api.ProgressKey(s.ID))
	if err != nil || st.OfficialReceipt != q.acked[s.ID] {
		t.Errorf("with the key: %+v %v", st, err)
	}
}

// TestBackoffOnTransientFailures: 503, 429 and 502 are
// retried with full-jitter delays growing 1 s, 2 s, 4 s… (rand = 0.5).
func TestBackoffOnTransientFailures(t *testing.T) {
	bo := startBackOffice(t)
	var calls atomic.Int32
	flaky := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			w.WriteHeader(503)
		case 2:
			w.WriteHeader(429)
		case 3:
			w.WriteHeader(502)
		default:
			proxyTo(t, bo.URL, w, r)
		}
	}))
	defer flaky.Close()
	q := newFakeQueue(submissions(3)...)
	clock := &fakeClock{now: t0}
	c := newClient(t, flaky.URL, q, clock)
	if _, err := c.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	q.checkDrained(t)
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}
	got := clock.Waits()
	if len(got) != len(want) {
		t.Fatalf("waits %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("wait %d = %v, want %v", i, got[i], want[i])
		}
	}
}

// proxyTo forwards r to base and copies the answer back.
func proxyTo(t testing.TB, base string, w http.ResponseWriter, r *http.Request) {
	req, _ := http.NewRequestWithContext(r.Context(), r.Method, base+r.URL.RequestURI(), r.Body)
	req.Header = r.Header.Clone()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		w.WriteHeader(502)
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

// TestPoisonItemIsolated: a server that refuses whole batches holding one
// bad item. The uplink finds it by sending one by one, quarantines only it,
// and everything else gets through.
func TestPoisonItemIsolated(t *testing.T) {
	bo := startBackOffice(t)
	poison := submission(7).ID
	picky := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(string(body), poison) {
			w.WriteHeader(400)
			json.NewEncoder(w).Encode(api.ErrorBody{Error: api.Problem{Code: "malformed", Message: "cannot read it"}})
			return
		}
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		proxyTo(t, bo.URL, w, r)
	}))
	defer picky.Close()
	q := newFakeQueue(submissions(30)...)
	c := newClient(t, picky.URL, q, &fakeClock{now: t0}, func(c *Config) { c.BatchSize = 10 })
	st, err := c.Drain(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	q.checkDrained(t)
	if len(q.quarantined) != 1 || !strings.Contains(q.quarantined[poison], "cannot read it") || st.Acknowledged != 29 {
		t.Fatalf("quarantined %v, stats %+v", q.quarantined, st)
	}
}

func TestQueueFailureStopsDrain(t *testing.T) {
	bo := startBackOffice(t)
	q := newFakeQueue(submissions(2)...)
	q.failNext = errors.New("bbolt: page checksum mismatch")
	_, err := newClient(t, bo.URL, q, &fakeClock{now: t0}).Drain(context.Background())
	if !errors.Is(err, ErrQueue) {
		t.Fatalf("err = %v, want ErrQueue", err)
	}
}

func TestWireIsDeterministic(t *testing.T) {
	a, _ := json.Marshal(toWire(submission(1), nil))
	b, _ := json.Marshal(toWire(submission(1), nil))
	if string(a) != string(b) {
		t.Fatal("the same submission encodes differently")
	}
	w := toWire(submission(1), func(kiosk.Submission) map[string]string { return map[string]string{"发放银行": "工商银行"} })
	if w.Applicant.IDType != "1" || w.Applicant.Sex != "1" || w.Applicant.Birthday != "1950-01-01" || w.Affairs.SubTime != "2026-07-01 10:00:01" ||
		w.Affairs.FormData.Display["发放银行"] != "工商银行" || w.Affairs.FormData.Fields["bank"] != "icbc" || !w.Consent {
		t.Fatalf("wire item: %+v", w)
	}
}
