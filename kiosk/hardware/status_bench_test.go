package hardware

import (
	"context"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
)

// statusBudget: pulling the paper must change what the resident sees
// within a second (issue 9, "Done when").
const statusBudget = time.Second

// BenchmarkPaperOutToSubscriber measures the time from the printer
// reporting paper out (and back) to the snapshot reaching a subscriber,
// with the default poll interval. Each change lands just after a poll (the
// previous one was just seen), so this is the worst case: a whole poll
// interval. Run it with a small -benchtime (e.g. 20x).
func BenchmarkPaperOutToSubscriber(b *testing.B) {
	printer := newFakePrinter()
	m, err := New(Config{
		Devices: []DeviceSpec{{Kind: kiosk.DevicePrinter, Port: serialport.Match{Path: "/dev/kiosk/printer"}, Status: printer.status}},
		Open:    printer.open,
		Exists:  func(string) bool { return true },
	})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	snaps, unsubscribe := m.Subscribe()
	defer unsubscribe()
	await := func(p kiosk.Paper) {
		for s := range snaps {
			if s.Devices[kiosk.DevicePrinter].Paper == p {
				return
			}
		}
	}
	await(kiosk.PaperFull)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := kiosk.PaperOut
		if i%2 == 1 {
			p = kiosk.PaperFull
		}
		start := time.Now()
		printer.paper.Store(p)
		await(p)
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	reportStatusLatency(b, lat)
}

func reportStatusLatency(b *testing.B, lat []time.Duration) {
	var worst, sum time.Duration
	for _, d := range lat {
		sum += d
		worst = max(worst, d)
	}
	b.ReportMetric(float64(sum.Milliseconds())/float64(len(lat)), "mean-ms")
	b.ReportMetric(float64(worst.Milliseconds()), "max-ms")
	b.ReportMetric(float64(worst)/float64(statusBudget), "max/budget")
}
