package outbox

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// enqueueBudget is DESIGN.md's budget for a durable enqueue at p99.
const enqueueBudget = 10 * time.Millisecond

func reportLatencies(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	p := func(q float64) time.Duration { return lat[min(len(lat)-1, int(q*float64(len(lat))))] }
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(p(0.50)), "p50-ms")
	b.ReportMetric(ms(p(0.99)), "p99-ms")
	b.ReportMetric(float64(p(0.99))/float64(enqueueBudget), "p99/budget")
}

// prepared makes n synthetic submissions ahead of the timed loop.
func prepared(b *testing.B, q *Outbox, n int) []kiosk.Submission {
	now := time.Now()
	subs := make([]kiosk.Submission, n)
	for i := range subs {
		subs[i] = synthetic(b, q, i, now)
	}
	return subs
}

// BenchmarkEnqueue measures the durable enqueue the resident waits for:
// one write transaction and its fsyncs per submission (the kiosk's choice).
func BenchmarkEnqueue(b *testing.B) {
	q, _ := openTest(b, "", Options{})
	subs := prepared(b, q, b.N)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if err := q.Enqueue(context.Background(), subs[i]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "submissions/s")
	reportLatencies(b, lat)
}

// BenchmarkEnqueueBatch commits through bbolt's DB.Batch instead, with 1
// and 8 concurrent writers, to compare with BenchmarkEnqueue.
func BenchmarkEnqueueBatch(b *testing.B) {
	for _, writers := range []int{1, 8} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			q, _ := openTest(b, "", Options{})
			q.useBatch = true
			subs := prepared(b, q, b.N)
			lat := make([]time.Duration, b.N)
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for w := 0; w < writers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for i := w; i < b.N; i += writers {
						t0 := time.Now()
						if err := q.Enqueue(context.Background(), subs[i]); err != nil {
							b.Error(err)
							return
						}
						lat[i] = time.Since(t0)
					}
				}(w)
			}
			wg.Wait()
			b.StopTimer()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "submissions/s")
			reportLatencies(b, lat)
		})
	}
}

// BenchmarkPurge measures purging acknowledged submissions, per submission.
func BenchmarkPurge(b *testing.B) {
	const n = 500
	clock := newClock()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		q, _ := openTest(b, filepath.Join(b.TempDir(), "q.db"), Options{Now: clock.Now, Retention: -1})
		for _, s := range prepared(b, q, n) {
			q.Enqueue(context.Background(), s)
		}
		for {
			batch, _ := q.NextBatch(100)
			if len(batch) == 0 {
				break
			}
			acks := make([]kiosk.Ack, len(batch))
			for j, s := range batch {
				acks[j] = kiosk.Ack{ID: s.ID, OfficialReceipt: "OFF-" + s.ID}
			}
			q.Apply(acks)
		}
		b.StartTimer()
		if got, err := q.Purge(clock.Now()); err != nil || got != n {
			b.Fatalf("purged %d, %v", got, err)
		}
		b.StopTimer()
		q.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/purged")
}

// BenchmarkCompact measures compacting a queue of 2,000 submissions after
// 80% of them were purged, and reports how much the file shrank.
func BenchmarkCompact(b *testing.B) {
	const n = 2000
	clock := newClock()
	var before, after int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		q, _ := openTest(b, filepath.Join(b.TempDir(), "q.db"), Options{Now: clock.Now, Retention: -1})
		subs := prepared(b, q, n)
		for _, s := range subs {
			q.Enqueue(context.Background(), s)
		}
		batch, _ := q.NextBatch(n * 8 / 10)
		acks := make([]kiosk.Ack, len(batch))
		for j, s := range batch {
			acks[j] = kiosk.Ack{ID: s.ID, OfficialReceipt: "OFF-" + s.ID}
		}
		q.Apply(acks)
		q.Purge(clock.Now())
		b.StartTimer()
		rep, err := q.Compact()
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		before, after = rep.Before, rep.After
		q.Close()
	}
	b.ReportMetric(float64(before)/(1<<20), "MiB-before")
	b.ReportMetric(float64(after)/(1<<20), "MiB-after")
}
