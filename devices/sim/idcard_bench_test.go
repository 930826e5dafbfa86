package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/idcard"
	"github.com/tongban/tongban/devices/sim"
)

// BenchmarkIDCardRead reads a card (find, select, read base) through the
// simulator paced like a 115200-baud UART and reports the driver's
// overhead over the wire time of the bytes exchanged. Budget: ≤ 10 %
// (DESIGN.md §7).
func BenchmarkIDCardRead(b *testing.B) {
	for name, tr := range map[string]transport{"pipe": pipeTransport, "pty": ptyTransport} {
		b.Run(name, func(b *testing.B) {
			const baud = 115200
			c := sim.SampleResident()
			s := sim.NewIDCardReader(sim.IDCardOptions{Baud: baud})
			r := start(b, tr, s, nil)
			ctx := context.Background()
			var total, wire, late time.Duration
			for b.Loop() {
				s.Place(c)
				before, lateBefore := s.WireBytes(), s.Lateness()
				start := time.Now()
				if _, err := r.ReadCard(ctx, idcard.ReadOptions{}); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
				wire += sim.WireTime(int(s.WireBytes()-before), baud)
				late += s.Lateness() - lateBefore
			}
			// raw: everything beyond the wire time, including the simulator's
			// own timer lateness on a loaded machine; driver: without it.
			raw := float64(total-wire) / float64(wire)
			driver := float64(total-wire-late) / float64(wire)
			b.ReportMetric(raw, "raw-overhead-ratio")
			b.ReportMetric(driver, "driver-overhead-ratio")
			b.ReportMetric(driver/0.10, "driver-overhead/budget")
			b.ReportMetric(float64(wire.Microseconds())/1000/float64(b.N), "wire-ms/read")
		})
	}
}

// BenchmarkSAMIDRead is what asking the SAM ID at each card read adds to
// the read, through the simulator paced like a 115200-baud UART.
func BenchmarkSAMIDRead(b *testing.B) {
	const baud = 115200
	s := sim.NewIDCardReader(sim.IDCardOptions{Baud: baud})
	r := start(b, pipeTransport, s, nil)
	ctx := context.Background()
	var total time.Duration
	for b.Loop() {
		t0 := time.Now()
		id, err := r.SAMID(ctx)
		if err != nil || id != sim.SimSAMID {
			b.Fatal(id, err)
		}
		total += time.Since(t0)
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/read")
}
