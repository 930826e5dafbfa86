package signpad

import (
	"image"
	"math"
	"testing"
)

// BenchmarkInkFrame measures drawing a long signature (12 strokes, 2,400
// points) from scratch on a 1200×400 pad at 1.5 px per dp: the worst frame,
// after a resize. Compared with one 60 Hz frame.
func BenchmarkInkFrame(b *testing.B) {
	var strokes []stroke
	for s := 0; s < 12; s++ {
		var st stroke
		for i := 0; i < 200; i++ {
			x := float32(50 + s*90 + i/3)
			y := float32(200 + 80*math.Sin(float64(i)/9))
			st = append(st, point{x, y})
		}
		strokes = append(strokes, st)
	}
	img := image.NewRGBA(image.Rect(0, 0, 1800, 600))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		drawInk(img, strokes, 1.5, InkWidth, image.Black)
	}
	perFrame := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / 1e6
	b.ReportMetric(perFrame, "ms/frame")
	b.ReportMetric(perFrame/16.7, "ratio-of-60Hz-frame")
}

// BenchmarkInkMove measures one finger move on that pad: the pad draws only
// the new segment into its cached ink. Compared with one 60 Hz frame.
func BenchmarkInkMove(b *testing.B) {
	img := image.NewRGBA(image.Rect(0, 0, 1800, 600))
	seg := []stroke{{{600, 200}, {603, 204}}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		drawInk(img, seg, 1.5, InkWidth, image.Black)
	}
	perMove := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / 1e6
	b.ReportMetric(perMove, "ms/move")
	b.ReportMetric(perMove/16.7, "ratio-of-60Hz-frame")
}
