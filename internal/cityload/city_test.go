package cityload

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/kiosk/uplink"
)

// localCity is n terminals on an in-process back office (SQLite, plain
// HTTP in dev mode): the terminals' loop without PostgreSQL or TLS.
func localCity(t *testing.T, n int) ([]*Terminal, *backoffice.Local) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	l, err := backoffice.ListenLocal(ctx, backoffice.LocalOptions{Dir: filepath.Join(t.TempDir(), "bo"),
		// Time runs far faster than for a real terminal: no rate limit.
		TerminalRate: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		l.Wait()
	})
	ts := make([]*Terminal, n)
	for i := range ts {
		tm, err := NewTerminal(fmt.Sprintf("SH-T-%04d", i+1), "C001", uplink.Config{BaseURL: l.URL, HTTP: &http.Client{Timeout: 10 * time.Second}})
		if err != nil {
			t.Fatal(err)
		}
		ts[i] = tm
	}
	return ts, l
}

func fastPlan() Plan {
	p := DefaultPlan()
	// 30 s heartbeats every 100 ms; a visit every 300 ms per terminal.
	p.Speedup = 300
	p.VisitEvery, p.TicketEvery, p.StatusEvery = 90*time.Second, 60*time.Second, 60*time.Second
	return p
}

func TestRunStopsAtTheRequestBound(t *testing.T) {
	ts, _ := localCity(t, 10)
	p := fastPlan()
	p.Duration, p.MaxRequests = time.Minute, 300
	rec := NewRecorder()
	res, err := Run(context.Background(), p, ts, rec)
	if err != nil {
		t.Fatal(err)
	}
	all := rec.Summary(res.Elapsed)
	total := all[len(all)-1]
	if done := int64(total.OK + total.Failed); done != p.MaxRequests {
		t.Errorf("%d requests recorded, want exactly the bound %d", done, p.MaxRequests)
	}
	if res.Elapsed >= p.Duration {
		t.Errorf("ran %v: the request bound did not end the run", res.Elapsed)
	}
}

func TestRunCoversEveryRouteAndLosesNothing(t *testing.T) {
	ts, l := localCity(t, 10)
	p := fastPlan()
	p.Duration, p.MaxRequests = 3*time.Second, 1_000_000
	rec := NewRecorder()
	res, err := Run(context.Background(), p, ts, rec)
	if err != nil {
		t.Fatal(err)
	}
	if res.Elapsed > p.Duration+5*time.Second {
		t.Errorf("ran %v for a %v plan", res.Elapsed, p.Duration)
	}
	rows := rec.Summary(res.Elapsed)
	seen := map[string]Row{}
	for _, r := range rows {
		seen[r.Route] = r
	}
	for _, route := range []string{RouteHeartbeat, RouteBatch, RouteTicket, RouteStatus} {
		if r := seen[route]; r.OK == 0 || r.Failed != 0 {
			t.Errorf("%s: %d answered, %d failed; want some answered, none failed", route, r.OK, r.Failed)
		}
	}
	if len(res.Faults) > 0 {
		t.Errorf("queue contract violations: %v", res.Faults)
	}
	if res.Submitted == 0 || res.Acknowledged+res.Unsent != res.Submitted {
		t.Errorf("submitted %d, acknowledged %d, unsent %d: some went missing", res.Submitted, res.Acknowledged, res.Unsent)
	}
	var held int64
	for _, tm := range ts {
		n, err := l.Store.Held(context.Background(), tm.ID)
		if err != nil {
			t.Fatal(err)
		}
		held += n
	}
	if held < int64(res.Acknowledged) || held > int64(res.Submitted) {
		t.Errorf("the back office holds %d; acknowledged %d of %d submitted", held, res.Acknowledged, res.Submitted)
	}
}
