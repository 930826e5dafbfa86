package uplink

import (
	"context"
	"testing"
	"time"
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
