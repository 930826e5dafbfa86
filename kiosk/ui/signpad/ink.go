package signpad

import (
	"image"
	"image/color"
	"math"

	"golang.org/x/image/vector"
)

// point is a position on the pad in Fyne units (dp) from its top left.
type point struct{ X, Y float32 }

// stroke is one continuous touch: the points a finger passed through.
type stroke []point

// inkLength is the total length of the strokes, in dp.
func inkLength(strokes []stroke) float32 {
	var n float64
	for _, s := range strokes {
		for i := 1; i < len(s); i++ {
			n += math.Hypot(float64(s[i].X-s[i-1].X), float64(s[i].Y-s[i-1].Y))
		}
	}
	return float32(n)
}

// drawInk draws strokes onto dst with colour ink, each point scaled by k
// and the line width (dp) scaled too. Only the strokes' bounding box is
// rasterized, so adding one segment to a large pad is cheap. Segments are
// quads and joints are discs, all wound the same way so overlaps add up
// instead of cancelling.
func drawInk(dst *image.RGBA, strokes []stroke, k, width float32, ink color.Color) {
	r := width * k / 2
	box := image.Rectangle{}
	for _, s := range strokes {
		for _, p := range s {
			pb := image.Rect(int(p.X*k-r)-1, int(p.Y*k-r)-1, int(p.X*k+r)+2, int(p.Y*k+r)+2)
			box = box.Union(pb)
		}
	}
	box = box.Intersect(dst.Bounds())
	if box.Empty() {
		return
	}
	var z vector.Rasterizer
	z.Reset(box.Dx(), box.Dy())
	ox, oy := float32(box.Min.X), float32(box.Min.Y)
	for _, s := range strokes {
		for i, p := range s {
			disc(&z, p.X*k-ox, p.Y*k-oy, r)
			if i > 0 {
				quad(&z, s[i-1].X*k-ox, s[i-1].Y*k-oy, p.X*k-ox, p.Y*k-oy, r)
			}
		}
	}
	z.Draw(dst, box, image.NewUniform(ink), image.Point{})
}

// quad adds the rectangle of half-width r around segment (ax,ay)–(bx,by).
func quad(z *vector.Rasterizer, ax, ay, bx, by, r float32) {
	dx, dy := bx-ax, by-ay
	l := float32(math.Hypot(float64(dx), float64(dy)))
	if l == 0 {
		return
	}
	nx, ny := -dy/l*r, dx/l*r
	z.MoveTo(ax+nx, ay+ny)
	z.LineTo(bx+nx, by+ny)
	z.LineTo(bx-nx, by-ny)
	z.LineTo(ax-nx, ay-ny)
	z.ClosePath()
}

// disc adds a 16-gon of radius r around (cx,cy), wound like quad.
func disc(z *vector.Rasterizer, cx, cy, r float32) {
	const n = 16
	for i := 0; i <= n; i++ {
		a := -2 * math.Pi * float64(i) / n
		x, y := cx+r*float32(math.Cos(a)), cy+r*float32(math.Sin(a))
		if i == 0 {
			z.MoveTo(x, y)
		} else {
			z.LineTo(x, y)
		}
	}
	z.ClosePath()
}
