package cityload

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"slices"
	"sort"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/tongban/tongban/kiosk/uplink"
)

// Routes the terminals call, in the order the table shows them.
const (
	RouteHeartbeat = "heartbeat"
	RouteBatch     = "batch"
	RouteTicket    = "ticket"
	RouteStatus    = "status"
)

// Recorder collects the latency of every answered request and counts the
// failed ones, by route. It is safe for concurrent use.
type Recorder struct {
	mu     sync.Mutex
	ok     map[string][]time.Duration
	failed map[string]int
	causes map[string]int    // failures by Cause, all routes
	sample map[string]string // the first error of each cause, for the reader
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder {
	return &Recorder{ok: map[string][]time.Duration{}, failed: map[string]int{}, causes: map[string]int{}, sample: map[string]string{}}
}

// Record notes one request of route that took d; err non-nil counts it as
// failed (no answer, or a 5xx) and leaves it out of the latencies.
func (r *Recorder) Record(route string, d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.failed[route]++
		c := Cause(err)
		r.causes[c]++
		if _, ok := r.sample[c]; !ok {
			r.sample[c] = err.Error()
		}
		return
	}
	r.ok[route] = append(r.ok[route], d)
}

// Causes of failed requests.
const (
	CauseTimeout = "timeout" // the client gave up waiting
	CauseReset   = "reset"   // the connection was reset
	CauseCut     = "cut"     // the connection ended early (EOF mid-answer)
	CauseServer  = "5xx"     // the back office answered it cannot serve
	CauseOther   = "other"
)

// Cause sorts a failed request's error into one of the Cause constants.
func Cause(err error) string {
	var se *uplink.StatusError
	var ne net.Error
	switch {
	case errors.As(err, &se) && se.Status >= 500:
		return CauseServer
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNREFUSED):
		return CauseReset
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return CauseCut
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return CauseTimeout
	}
	return CauseOther
}

// Causes counts the failed requests by cause.
func (r *Recorder) Causes() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.causes)
}

// Samples is the first error seen of each cause.
func (r *Recorder) Samples() map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.sample)
}

// Row is one route's figures over a run.
type Row struct {
	Route    string
	OK       int
	Failed   int
	PerSec   float64 // answered requests per second of the run
	P50, P99 time.Duration
	Max      time.Duration
}

// Summary is the figures of every route seen, over a run that lasted
// elapsed, in a fixed route order then by name; the last row ("all") sums
// them.
func (r *Recorder) Summary(elapsed time.Duration) []Row {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := map[string]bool{}
	for k := range r.ok {
		names[k] = true
	}
	for k := range r.failed {
		names[k] = true
	}
	order := map[string]int{RouteHeartbeat: 0, RouteBatch: 1, RouteTicket: 2, RouteStatus: 3}
	keys := make([]string, 0, len(names))
	for k := range names {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		oi, iok := order[keys[i]]
		oj, jok := order[keys[j]]
		switch {
		case iok && jok:
			return oi < oj
		case iok != jok:
			return iok
		}
		return keys[i] < keys[j]
	})
	var rows []Row
	var all []time.Duration
	failed := 0
	for _, k := range keys {
		rows = append(rows, row(k, r.ok[k], r.failed[k], elapsed))
		all = append(all, r.ok[k]...)
		failed += r.failed[k]
	}
	return append(rows, row("all", all, failed, elapsed))
}

func row(route string, ds []time.Duration, failed int, elapsed time.Duration) Row {
	s := slices.Clone(ds)
	slices.Sort(s)
	rw := Row{Route: route, OK: len(s), Failed: failed, P50: percentile(s, 50), P99: percentile(s, 99)}
	if len(s) > 0 {
		rw.Max = s[len(s)-1]
	}
	if elapsed > 0 {
		rw.PerSec = float64(len(s)) / elapsed.Seconds()
	}
	return rw
}

// percentile is the nearest-rank p-th percentile of sorted (0 when empty).
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 * n)
	return sorted[max(rank, 1)-1]
}

// WriteTable prints rows under a title: route, answered, failed, req/s,
// p50, p99, max.
func WriteTable(w io.Writer, title string, rows []Row) {
	fmt.Fprintln(w, title)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "ROUTE\tANSWERED\tFAILED\tREQ/S\tP50\tP99\tMAX\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%s\t%s\t%s\t\n", r.Route, r.OK, r.Failed, r.PerSec, ms(r.P50), ms(r.P99), ms(r.Max))
	}
	tw.Flush()
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}
