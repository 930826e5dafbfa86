package terminal

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/config"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/simulation"
)

// heartbeatGate stands between the terminal and the simulated back
// office: it passes every request, but can take items out of what the
// heartbeats' answers say is connected, or play a back office that cannot
// be reached (the connection is dropped).
type heartbeatGate struct {
	mu     sync.Mutex
	hidden []string // query items left out of heartbeats' answers
	down   bool
	beats  int // heartbeats answered or dropped, all told
}

func (g *heartbeatGate) set(f func(g *heartbeatGate)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	f(g)
}

func (g *heartbeatGate) heartbeats() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.beats
}

func (g *heartbeatGate) handler(target *url.URL) http.Handler {
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(r *http.Response) error {
		if r.Request.URL.Path != "/v1/heartbeats" || r.StatusCode != http.StatusOK {
			return nil
		}
		g.mu.Lock()
		hidden := slices.Clone(g.hidden)
		g.mu.Unlock()
		body, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return err
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil {
			return err
		}
		var conn struct {
			Queries   []string `json:"queries"`
			Documents []string `json:"documents"`
		}
		if raw, ok := m["connected"]; ok {
			if err := json.Unmarshal(raw, &conn); err != nil {
				return err
			}
			conn.Queries = slices.DeleteFunc(conn.Queries, func(it string) bool { return slices.Contains(hidden, it) })
			m["connected"], _ = json.Marshal(conn)
			body, _ = json.Marshal(m)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.Header.Set("Content-Length", strconv.Itoa(len(body)))
		return nil
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		down := g.down
		if r.URL.Path == "/v1/heartbeats" {
			g.beats++
		}
		g.mu.Unlock()
		if down {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close() // as a back office that is not there
			}
			return
		}
		proxy.ServeHTTP(w, r)
	})
}

// gatedSurroundings are the simulation with its back office reached
// through a heartbeatGate.
type gatedSurroundings struct {
	*simulation.Surroundings
	url string
}

func (s gatedSurroundings) BackOffice() (string, []bundle.PublicKey, bool) {
	_, keys, ok := s.Surroundings.BackOffice()
	return s.url, keys, ok
}

// TestConnectedFollowsHeartbeats: the item screen's query button follows
// what heartbeats say while the resident looks at it: connected, then a
// heartbeat says the center disconnected the query (greyed, with the
// reason), then connected again; then the back office cannot be reached
// for several heartbeats (greyed: the back office is unreachable), and
// once it is back the button works again. Before OnConnected was wired,
// the screen kept a button the back office would refuse until the next
// tap.
func TestConnectedFollowsHeartbeats(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: starts simulators and the uplink")
	}
	const item kiosk.ItemCode = "pension-received"
	gate := &heartbeatGate{}
	var sims *simulation.Surroundings
	opts := simOptions(nil)
	opts.HeartbeatEvery = 100 * time.Millisecond
	opts.Simulate = func(ctx context.Context, dir string, log *slog.Logger) (Surroundings, error) {
		s, err := simulation.Start(ctx, simulation.Options{Dir: dir, Center: "XH01", Terminal: config.DefaultConfig().Terminal, Logger: log})
		if err != nil {
			return nil, err
		}
		sims = s
		office, _, _ := s.BackOffice()
		target, err := url.Parse(office)
		if err != nil {
			return nil, err
		}
		ts := httptest.NewServer(gate.handler(target))
		t.Cleanup(ts.Close)
		return gatedSurroundings{s, ts.URL}, nil
	}
	tm, err := New(context.Background(), simConfig(t.TempDir()), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tm.Close() })
	s := tm.session

	screen := func() (bool, kiosk.Text, string) {
		v := s.View()
		ok := s.CanQuery()
		return ok, v.Notice, fmt.Sprintf("state %v, can query %v, notice %q", v.State, ok, v.Notice.ZH)
	}
	waitQuery := func(what string, want bool, notice kiosk.Text) {
		t.Helper()
		eventually(t, what, func() (bool, string) {
			ok, n, seen := screen()
			return ok == want && (notice.IsZero() || n == notice), seen
		})
	}

	eventually(t, "attract", func() (bool, string) { return s.View().State == flow.Attract, s.View().State.String() })
	s.Start()
	eventually(t, "identify", func() (bool, string) { return s.View().State == flow.Identify, s.View().State.String() })
	sims.Reader.Place(sim.SampleResident())
	eventually(t, "browse", func() (bool, string) { return s.View().State == flow.Browse, s.View().State.String() })
	s.SelectItem(item)
	waitQuery("the query button enabled while connected", true, kiosk.Text{})

	gate.set(func(g *heartbeatGate) { g.hidden = []string{string(item)} })
	waitQuery("greyed once a heartbeat says the query is not connected", false, kiosk.Msg("dept.query_not_connected"))

	gate.set(func(g *heartbeatGate) { g.hidden = nil })
	waitQuery("enabled again once it is connected again", true, kiosk.Text{})
	if n := s.View().Notice; n == kiosk.Msg("dept.query_not_connected") {
		t.Errorf("the screen still says %q", n.ZH)
	}

	gate.set(func(g *heartbeatGate) { g.down = true })
	unreachable := kiosk.Msg("browse.unavailable_network")
	waitQuery("greyed while the back office cannot be reached", false, unreachable)
	// It stays so for several heartbeats: the lists the last answer
	// carried are kept, the reason is the back office, not the center.
	from := gate.heartbeats()
	eventually(t, "four heartbeats without a back office", func() (bool, string) {
		n := gate.heartbeats() - from
		return n >= 4, fmt.Sprintf("%d heartbeats", n)
	})
	if ok, n, seen := screen(); ok || n != unreachable {
		t.Fatalf("after several heartbeats without a back office: %s", seen)
	}

	gate.set(func(g *heartbeatGate) { g.down = false })
	waitQuery("enabled once the back office answers again", true, kiosk.Text{})
	if _, n, seen := screen(); n == unreachable {
		t.Errorf("the back office is back, the screen still says so: %s", seen)
	}
	if v := s.View(); v.State != flow.ItemDetail || v.Item == nil || v.Item.Code != item {
		t.Errorf("the resident was moved off the item screen: %v", v.State)
	}
}
