package hardware

import (
	"context"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/ipp"
	"github.com/tongban/tongban/devices/ipp/cupstest"
)

// BenchmarkA4PrintToComplete measures a one-page PDF from PrintPDF to
// Wait's "printed" on a private CUPS's virtual queue (raw queue, test
// backend writing the file), with Wait asking every 20 ms and every
// 200 ms (the terminal's default).
func BenchmarkA4PrintToComplete(b *testing.B) {
	srv := cupstest.Start(b)
	q := srv.AddQueue(b, "A4")
	client, err := ipp.New(srv.URL, q.Name, ipp.Options{})
	if err != nil {
		b.Fatal(err)
	}
	pdf := cupstest.OnePagePDF("Tongban benchmark page")
	ctx := context.Background()
	for _, poll := range []time.Duration{20 * time.Millisecond, 200 * time.Millisecond} {
		b.Run("poll="+poll.String(), func(b *testing.B) {
			p := NewA4Printer(A4Config{Queue: client, Name: q.Name, Poll: poll})
			var worst time.Duration
			for b.Loop() {
				start := time.Now()
				job, err := p.PrintPDF(ctx, "bench", pdf)
				if err != nil {
					b.Fatal(err)
				}
				if err := p.Wait(ctx, job); err != nil {
					b.Fatal(err)
				}
				worst = max(worst, time.Since(start))
			}
			b.ReportMetric(float64(worst.Milliseconds()), "worst-ms")
		})
	}
}
