package uplink

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/connector"
	"github.com/tongban/tongban/kiosk"
)

// drainBudget is the DESIGN.md budget for 10,000 queued submissions.
const drainBudget = 30 * time.Second

func drainOnce(b *testing.B, n, batch int) time.Duration {
	b.Helper()
	bo := startBackOffice(b)
	q := newFakeQueue(submissions(n)...)
	c := newClient(b, bo.URL, q, &fakeClock{now: t0}, func(c *Config) { c.BatchSize = batch })
	start := time.Now()
	st, err := c.Drain(context.Background())
	d := time.Since(start)
	if err != nil || st.Acknowledged != n {
		b.Fatalf("drain: %+v %v", st, err)
	}
	return d
}

// BenchmarkDrain10000 drains 10,000 queued submissions to a local back
// office (SQLite, plain HTTP on loopback) in batches of 50 and then one by
// one, and reports both, their ratio and the batched time against the 30 s
// budget. Run with -benchtime=1x.
func BenchmarkDrain10000(b *testing.B) {
	const n = 10000
	for range b.N {
		batched := drainOnce(b, n, 50)
		single := drainOnce(b, n, 1)
		b.ReportMetric(batched.Seconds(), "batched_s")
		b.ReportMetric(single.Seconds(), "one-by-one_s")
		b.ReportMetric(single.Seconds()/batched.Seconds(), "speedup_x")
		b.ReportMetric(batched.Seconds()/drainBudget.Seconds(), "budget_used")
		b.ReportMetric(float64(n)/batched.Seconds(), "batched_items/s")
	}
}

// departmentRoundTrips asks n times through a real back office on
// loopback (dev mode, SQLite, sealed demonstration records) and returns
// each round trip, sorted.
func departmentRoundTrips(b *testing.B, n int, ask func(c *Client, who kiosk.Identity) error) []time.Duration {
	b.Helper()
	bo := startDeptBackOffice(b)
	c := newClient(b, bo.URL, newFakeQueue(), kiosk.SystemClock{})
	who := identifyCard(b, c, connector.DemoJia)
	if err := ask(c, who); err != nil { // warm the connection
		b.Fatal(err)
	}
	out := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		if err := ask(c, who); err != nil {
			b.Fatal(err)
		}
		out = append(out, time.Since(start))
	}
	slices.Sort(out)
	return out
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p))]
}

// BenchmarkQueryRoundTrip is a resident's query (养老金情况 from the store
// connector's sealed records) through the back office: the terminal's
// request, identification check, record lookup and answer. One round trip
// per iteration; p50 and p99 over all of them. Run with -benchtime=300x.
func BenchmarkQueryRoundTrip(b *testing.B) {
	ask := func(c *Client, who kiosk.Identity) error {
		_, err := c.Query(context.Background(), "pension-received", who, kiosk.LangZH)
		return err
	}
	d := departmentRoundTrips(b, b.N, ask)
	b.ReportMetric(float64(percentile(d, 0.5).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(d, 0.99).Microseconds())/1000, "p99-ms")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkDocumentRoundTrip is a document (户籍证明) through the back
// office: lookup, PDF rendering, SM2 signature, record, answer. Run with
// -benchtime=50x.
func BenchmarkDocumentRoundTrip(b *testing.B) {
	var size int
	ask := func(c *Client, who kiosk.Identity) error {
		d, err := c.Document(context.Background(), "hukou-certificate", who, kiosk.LangZH)
		size = len(d.PDF)
		return err
	}
	d := departmentRoundTrips(b, b.N, ask)
	b.ReportMetric(float64(percentile(d, 0.5).Microseconds())/1000, "doc-p50-ms")
	b.ReportMetric(float64(percentile(d, 0.99).Microseconds())/1000, "doc-p99-ms")
	b.ReportMetric(float64(size), "pdf-B")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkIdentifyCardRoundTrip is the card read's identification: the
// reader's SAM ID and the card number to the back office, checked against
// its allow-list, and the event back. It runs in the background of the
// card screen; its p99 is how long a card resident's queries stay greyed
// with 正在核对. Run with -benchtime=300x.
func BenchmarkIdentifyCardRoundTrip(b *testing.B) {
	ask := func(c *Client, who kiosk.Identity) error {
		who.Verification = ""
		_, err := c.IdentifyCard(context.Background(), who)
		return err
	}
	d := departmentRoundTrips(b, b.N, ask)
	b.ReportMetric(float64(percentile(d, 0.5).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(d, 0.99).Microseconds())/1000, "p99-ms")
	b.ReportMetric(0, "ns/op")
}
