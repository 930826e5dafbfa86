package cityload

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/uplink"
)

func TestPercentile(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		var out []time.Duration
		for _, n := range ns {
			out = append(out, time.Duration(n)*time.Millisecond)
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	for _, tc := range []struct {
		name   string
		sorted []time.Duration
		p      int
		want   time.Duration
	}{
		{"empty", nil, 99, 0},
		{"one", ms(7), 50, 7 * time.Millisecond},
		{"one p99", ms(7), 99, 7 * time.Millisecond},
		{"median of four is the second", ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"p99 of 100 is the 99th", ms(hundred...), 99, 99 * time.Millisecond},
		{"p50 of 100 is the 50th", ms(hundred...), 50, 50 * time.Millisecond},
		{"p99 of ten is the largest", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := percentile(tc.sorted, tc.p); got != tc.want {
				t.Errorf("percentile(p%d) = %v, want %v", tc.p, got, tc.want)
			}
		})
	}
}

func TestRecorderSummary(t *testing.T) {
	r := NewRecorder()
	fail := errors.New("connection reset")
	// Out of order and interleaved, as 2,000 goroutines record them.
	r.Record(RouteStatus, 4*time.Millisecond, nil)
	r.Record(RouteHeartbeat, 3*time.Millisecond, nil)
	r.Record(RouteHeartbeat, 1*time.Millisecond, nil)
	r.Record(RouteBatch, 9*time.Millisecond, fail)
	r.Record(RouteHeartbeat, 2*time.Millisecond, nil)
	r.Record(RouteBatch, 8*time.Millisecond, nil)
	r.Record(RouteBatch, 0, fail)

	rows := r.Summary(2 * time.Second)
	var routes []string
	for _, rw := range rows {
		routes = append(routes, rw.Route)
	}
	if got, want := strings.Join(routes, ","), "heartbeat,batch,status,all"; got != want {
		t.Fatalf("routes %s, want %s", got, want)
	}
	hb, batch, all := rows[0], rows[1], rows[3]
	if hb.OK != 3 || hb.Failed != 0 || hb.P50 != 2*time.Millisecond || hb.Max != 3*time.Millisecond || hb.PerSec != 1.5 {
		t.Errorf("heartbeat row %+v", hb)
	}
	if batch.OK != 1 || batch.Failed != 2 || batch.P99 != 8*time.Millisecond {
		t.Errorf("batch row %+v: a failed request must count as failed, not as a latency", batch)
	}
	if all.OK != 5 || all.Failed != 2 || all.Max != 8*time.Millisecond || all.PerSec != 2.5 {
		t.Errorf("all row %+v", all)
	}

	var sb strings.Builder
	WriteTable(&sb, "title", rows)
	out := sb.String()
	for _, want := range []string{"title\n", "ROUTE", "heartbeat", "1.5", "2.0 ms", "8.0 ms"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestCause(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"server cannot serve", &uplink.StatusError{Status: 503}, CauseServer},
		{"refused for what it says", &uplink.StatusError{Status: 400}, CauseOther},
		{"reset, wrapped as the client wraps it", &kiosk.Error{Op: "uplink.Ticket", Err: &url.Error{Op: "Post", Err: &net.OpError{Op: "read", Err: os.NewSyscallError("read", syscall.ECONNRESET)}}}, CauseReset},
		{"cut mid-answer", fmt.Errorf("reading the answer: %w", io.ErrUnexpectedEOF), CauseCut},
		{"client timeout", &url.Error{Op: "Post", Err: context.DeadlineExceeded}, CauseTimeout},
		{"anything else", errors.New("tls: bad certificate"), CauseOther},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Cause(tc.err); got != tc.want {
				t.Errorf("Cause(%v) = %s, want %s", tc.err, got, tc.want)
			}
		})
	}
	r := NewRecorder()
	r.Record(RouteTicket, 0, &uplink.StatusError{Status: 503})
	r.Record(RouteStatus, 0, &uplink.StatusError{Status: 502})
	r.Record(RouteStatus, time.Millisecond, nil)
	if got := r.Causes(); len(got) != 1 || got[CauseServer] != 2 {
		t.Errorf("causes %v, want 2 of %s", got, CauseServer)
	}
}
