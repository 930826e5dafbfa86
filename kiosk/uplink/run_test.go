package uplink

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/kiosk"
)

// stubBackOffice counts what reaches it; submissions get what submit does.
type stubBackOffice struct {
	heartbeats, alarms, batches atomic.Int32
	all503                      bool
	release                     chan struct{} // closed at the end: hung requests return
}

func (b *stubBackOffice) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/v1/heartbeats"):
		b.heartbeats.Add(1)
	case strings.HasPrefix(r.URL.Path, "/v1/alarms"):
		b.alarms.Add(1)
	case strings.HasPrefix(r.URL.Path, "/v1/submissions"):
		b.batches.Add(1)
		if !b.all503 {
			// Never answers: holds the request until the test ends.
			select {
			case <-b.release:
			case <-r.Context().Done():
			}
			return
		}
	}
	if b.all503 {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	switch {
	case strings.HasPrefix(r.URL.Path, "/v1/heartbeats"):
		json.NewEncoder(w).Encode(api.HeartbeatResponse{ServerTime: time.Now()})
	case strings.HasPrefix(r.URL.Path, "/v1/alarms"):
		w.WriteHeader(http.StatusCreated)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

// TestRunKeepsBeatingWhileDrainFails: with one submission queued and a back
// office that answers 503 or never answers its upload, heartbeats and
// alarms go on, each on its own schedule, and reachability is reported.
// (Before, Run sat inside Drain's retries: 0 heartbeats.)
func TestRunKeepsBeatingWhileDrainFails(t *testing.T) {
	tests := []struct {
		name          string
		all503        bool
		wantReachable bool
	}{
		{"back office answers 503", true, false},
		{"upload never answered, the rest answers", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bo := &stubBackOffice{all503: tt.all503, release: make(chan struct{})}
			srv := httptest.NewServer(bo)
			defer srv.Close()
			defer close(bo.release)
			var mu sync.Mutex
			var reach []bool
			q := newFakeQueue(submission(1))
			c := newClient(t, srv.URL, q, kiosk.SystemClock{}, func(c *Config) {
				c.HeartbeatEvery, c.AlarmEvery, c.SyncEvery = 20*time.Millisecond, 20*time.Millisecond, 20*time.Millisecond
				c.Devices = func() []kiosk.DeviceStatus {
					return []kiosk.DeviceStatus{{Kind: kiosk.DevicePrinter, State: kiosk.DeviceOnline, Paper: kiosk.PaperOut}}
				}
				c.Reachable = func(ok bool) { mu.Lock(); reach = append(reach, ok); mu.Unlock() }
			})
			c.Alarm(api.AlarmQueueDamaged, "queue", "test alarm")
			ctx, cancel := context.WithCancel(context.Background())
			ran := make(chan error, 1)
			go func() { ran <- c.Run(ctx) }()

			deadline := time.Now().Add(10 * time.Second)
			for bo.heartbeats.Load() < 5 || bo.alarms.Load() < 2 || bo.batches.Load() < 1 {
				if time.Now().After(deadline) {
					t.Fatalf("after 10 s: %d heartbeats, %d alarms, %d uploads; want ≥5, ≥2, ≥1",
						bo.heartbeats.Load(), bo.alarms.Load(), bo.batches.Load())
				}
				time.Sleep(10 * time.Millisecond)
			}
			if !tt.all503 && bo.batches.Load() != 1 {
				t.Errorf("%d uploads while the first still hangs; want one at a time", bo.batches.Load())
			}
			cancel()
			if err := <-ran; !errors.Is(err, context.Canceled) {
				t.Errorf("Run returned %v, want context.Canceled", err)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(reach) == 0 || reach[len(reach)-1] != tt.wantReachable {
				t.Errorf("reachability reports %v, want the last to be %v", reach, tt.wantReachable)
			}
			if q.Depth() != 1 {
				t.Errorf("queue depth %d, want the submission still held", q.Depth())
			}
		})
	}
}

// TestSendThisSubmission: Send uploads the submission it is given, not the
// oldest pending one, and acknowledges it in the queue.
func TestSendThisSubmission(t *testing.T) {
	bo := startBackOffice(t)
	older, mine := submission(1), submission(2)
	q := newFakeQueue(older, mine)
	var reach []bool
	c := newClient(t, bo.URL, q, &fakeClock{now: t0}, func(c *Config) { c.Reachable = func(ok bool) { reach = append(reach, ok) } })
	official, err := c.Send(context.Background(), mine)
	if err != nil || official == "" {
		t.Fatalf("Send = %q, %v", official, err)
	}
	if q.acked[mine.ID] != official {
		t.Errorf("queue acknowledged %v, want %s as %s", q.acked, mine.ID, official)
	}
	if _, done := q.acked[older.ID]; done || q.Depth() != 1 {
		t.Errorf("the older submission was sent too (depth %d)", q.Depth())
	}
	if len(reach) != 1 || !reach[0] {
		t.Errorf("reachability %v, want [true]", reach)
	}
	// Sent again (the drain racing it): the same number, no contract broken.
	again, err := c.Send(context.Background(), mine)
	if err != nil || again != official {
		t.Errorf("resend = %q, %v; want %q", again, err, official)
	}
	for _, e := range q.errs {
		t.Error("queue:", e)
	}
}

// TestSendRefused: a submission the back office refuses for its content is
// quarantined and reported as refused; one it cannot serve stays pending.
func TestSendRefused(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		wantRefused bool
	}{
		{"422 refused", http.StatusUnprocessableEntity, true},
		{"400 malformed", http.StatusBadRequest, true},
		{"503 cannot serve", http.StatusServiceUnavailable, false},
		{"401 not enrolled", http.StatusUnauthorized, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				json.NewEncoder(w).Encode(api.ErrorBody{Error: api.Problem{Code: "bad", Message: "field x"}})
			}))
			defer srv.Close()
			s := submission(1)
			q := newFakeQueue(s)
			c := newClient(t, srv.URL, q, &fakeClock{now: t0})
			_, err := c.Send(context.Background(), s)
			var refused *RefusedError
			if got := errors.As(err, &refused); got != tt.wantRefused {
				t.Fatalf("Send: %v; refused %v, want %v", err, got, tt.wantRefused)
			}
			_, quarantined := q.quarantined[s.ID]
			if quarantined != tt.wantRefused || (!tt.wantRefused && q.Depth() != 1) {
				t.Errorf("quarantined %v, depth %d", quarantined, q.Depth())
			}
		})
	}
}

// TestAlarmDelivery: a queued alarm is retried while the back office
// cannot serve, dropped when it refuses it for its content, and a long
// detail is cut to what the back office takes.
func TestAlarmDelivery(t *testing.T) {
	tests := []struct {
		name      string
		statuses  []int // answers to successive alarm posts
		wantPosts int   // after three deliveries
	}{
		{"delivered at once", []int{201}, 1},
		{"503 then delivered", []int{503, 503, 201}, 3},
		{"400 refused: dropped, not sent again", []int{400}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var posts int
			var longest int
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var a api.Alarm
				json.NewDecoder(r.Body).Decode(&a)
				longest = max(longest, len(a.Detail))
				w.WriteHeader(tt.statuses[min(posts, len(tt.statuses)-1)])
				posts++
			}))
			defer srv.Close()
			c := newClient(t, srv.URL, newFakeQueue(), &fakeClock{now: t0})
			c.Alarm(api.AlarmBundleRefused, "", strings.Repeat("目录无法加载。", 200))
			for range 3 {
				c.DeliverAlarms(context.Background())
			}
			if posts != tt.wantPosts {
				t.Errorf("%d posts, want %d", posts, tt.wantPosts)
			}
			if longest > maxAlarmDetail || longest == 0 {
				t.Errorf("detail of %d bytes sent, want 1..%d", longest, maxAlarmDetail)
			}
		})
	}
}
