package voice

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// firstSampleSink notes when the first clip of a screen reaches it.
type firstSampleSink struct{ got chan time.Time }

func (f firstSampleSink) Play(ctx context.Context, c Clip) error {
	select {
	case f.got <- time.Now():
	default:
	}
	return nil
}

// BenchmarkScreenToFirstSample measures from Show (a screen change) to the
// first audio sample reaching the sink, with real espeak-ng: cached (the
// sentence was synthesized before) and uncached (a sentence never heard,
// here a new item name each time). Budget: p99 ≤ 300 ms.
func BenchmarkScreenToFirstSample(b *testing.B) {
	needEspeak(b)
	for _, cached := range []bool{true, false} {
		name := "uncached"
		if cached {
			name = "cached"
		}
		b.Run(name, func(b *testing.B) {
			sink := firstSampleSink{got: make(chan time.Time, 1)}
			sp := NewSpeaker(Options{Composer: testComposer(b), Synth: Espeak{}, Sink: sink, Volume: 100})
			defer sp.Close()
			screen := func(i int) Screen {
				if cached {
					return Screen{State: []string{"identify", "browse", "sign", "review"}[i%4], Elderly: true}
				}
				// The first sentence, the item's name, is new each time.
				return Screen{State: "item", Elderly: true, ItemName: kiosk.Text{ZH: fmt.Sprintf("测试事项第%d号", i)}}
			}
			if cached {
				sp.Prewarm(context.Background(), []Screen{screen(0), screen(1), screen(2), screen(3)})
			}
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				sp.Show(Screen{State: "attract"}) // voice off: the next screen is a change
				for len(sink.got) > 0 {
					<-sink.got
				}
				start := time.Now()
				sp.Show(screen(i))
				lat = append(lat, (<-sink.got).Sub(start))
			}
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			p50, p99 := lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*99/100)]
			b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(p99)/float64(300*time.Millisecond), "p99/budget")
			b.Logf("screen → first sample, %s: p50 %v, p99 %v (budget 300ms, ratio %.3f, n=%d)", name, p50, p99, float64(p99)/float64(300*time.Millisecond), len(lat))
		})
	}
}
