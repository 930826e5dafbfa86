package backoffice

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/api"
)

// BenchmarkServerBatch measures the server's throughput for batch uploads
// of 50 new submissions each (handler and SQLite store, no network).
func BenchmarkServerBatch(b *testing.B) {
	f := newFixture(b, true)
	bodies := make([][]byte, b.N)
	for i := range b.N {
		var items []api.SubmissionItem
		for j := range api.MaxBatchItems {
			it := item(i*api.MaxBatchItems+j, terminalA)
			items = append(items, it)
		}
		bodies[i], _ = json.Marshal(batch(items...))
	}
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		rec := f.do("POST", "/v1/submissions:batch", terminalA, bodies[i], "Idempotency-Key", fmt.Sprint("k", i))
		if rec.Code != 200 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
	b.ReportMetric(float64(b.N*api.MaxBatchItems)/time.Since(start).Seconds(), "items/s")
}
