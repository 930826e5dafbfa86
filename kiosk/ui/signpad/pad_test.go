package signpad

import (
	"bytes"
	"errors"
	"flag"
	"image"
	"image/png"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/ui/internal/golden"
	"github.com/tongban/tongban/kiosk/ui/theme"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

func newPad(t *testing.T, m theme.Mode) (*Pad, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(theme.New(m, theme.EmbeddedFonts()))
	p := New("请用手指在这里写您的名字")
	p.Min = fyne.NewSize(800, 300)
	w := test.NewTempWindow(t, container.NewStack(p))
	w.SetPadded(false)
	w.Resize(p.MinSize())
	return p, w
}

// drag moves a finger through pts as the real driver reports it: the
// current position and the delta since the previous event.
func drag(p *Pad, pts ...fyne.Position) {
	for i := 1; i < len(pts); i++ {
		p.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: pts[i]},
			Dragged: fyne.Delta{DX: pts[i].X - pts[i-1].X, DY: pts[i].Y - pts[i-1].Y}})
	}
	p.DragEnd()
}

func darkPixels(t *testing.T, b []byte) (n int, size image.Point) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if l, _, _, _ := img.At(x, y).RGBA(); l < 0x8000 {
				n++
			}
		}
	}
	return n, r.Size()
}

func TestDragMakesSignaturePNG(t *testing.T) {
	p, w := newPad(t, theme.Normal)
	var changes []bool
	p.OnChanged = func(signed bool) { changes = append(changes, signed) }
	// test.Drag reports the end position with the delta, as the driver does.
	test.Drag(w.Canvas(), fyne.NewPos(400, 190), 300, 40)
	if !p.Signed() {
		t.Fatal("a 300-dp drag is not a signature")
	}
	b, err := p.PNG()
	if err != nil {
		t.Fatal(err)
	}
	n, size := darkPixels(t, b)
	if size != image.Pt(800, 300) {
		t.Errorf("PNG is %v, want the pad's 800×300", size)
	}
	// A 5-dp line about 303 dp long covers about 1500 pixels.
	if n < 1200 || n > 2000 {
		t.Errorf("%d dark pixels, want about 1500", n)
	}
	if len(changes) != 1 || !changes[0] {
		t.Errorf("OnChanged calls %v", changes)
	}
}

func TestEmptyAndAccidentalTouches(t *testing.T) {
	p, w := newPad(t, theme.Normal)
	_, err := p.PNG()
	var ke *kiosk.Error
	if !errors.As(err, &ke) || ke.Kind != kiosk.KindInvalid || ke.Message != kiosk.Msg("sign.empty") {
		t.Fatalf("empty pad: %v", err)
	}
	test.Drag(w.Canvas(), fyne.NewPos(100, 100), 10, 10) // a brush of the sleeve
	test.Tap(p)
	if p.Signed() {
		t.Fatal("14 dp of ink counted as a signature")
	}
}

func TestClearForgetsStrokes(t *testing.T) {
	p, _ := newPad(t, theme.Normal)
	var last *bool
	p.OnChanged = func(s bool) { last = &s }
	drag(p, fyne.NewPos(50, 50), fyne.NewPos(150, 200), fyne.NewPos(300, 60))
	p.Clear()
	if p.Signed() || len(p.strokes) != 0 || last == nil || *last {
		t.Fatalf("after 重写: signed %v, %d strokes", p.Signed(), len(p.strokes))
	}
	if _, err := p.PNG(); err == nil {
		t.Fatal("PNG after Clear")
	}
}

// TestJointsAreInked guards the winding of segments and joint discs: with
// opposite windings they would cancel and leave holes at every joint.
func TestJointsAreInked(t *testing.T) {
	p, _ := newPad(t, theme.Normal)
	pts := []fyne.Position{{X: 100, Y: 100}, {X: 200, Y: 100}, {X: 200, Y: 200}, {X: 100, Y: 200}, {X: 150, Y: 50}}
	drag(p, pts...)
	img := p.Image(1)
	for _, q := range append(pts, fyne.NewPos(150, 100), fyne.NewPos(200, 150)) {
		if c := img.RGBAAt(int(q.X), int(q.Y)); c.R > 0x40 {
			t.Errorf("no ink at %v: %v", q, c)
		}
	}
	if c := img.RGBAAt(150, 150); c.R != 0xFF {
		t.Errorf("ink inside the square at 150,150: %v", c)
	}
	if drag(p, fyne.NewPos(-50, 400), fyne.NewPos(900, -20)); p.Image(1).Bounds() != image.Rect(0, 0, 800, 300) {
		t.Error("strokes off the pad changed its size")
	}
}

func TestPadGolden(t *testing.T) {
	for _, m := range []theme.Mode{theme.Normal, theme.HighContrast} {
		t.Run(m.String(), func(t *testing.T) {
			p, w := newPad(t, m)
			golden.Assert(t, "empty-"+m.String(), w.Canvas().Capture(), *update)
			drag(p, fyne.NewPos(120, 180), fyne.NewPos(160, 90), fyne.NewPos(190, 200), fyne.NewPos(230, 100),
				fyne.NewPos(280, 190), fyne.NewPos(330, 120), fyne.NewPos(420, 170))
			drag(p, fyne.NewPos(460, 100), fyne.NewPos(470, 200))
			drag(p, fyne.NewPos(440, 140), fyne.NewPos(560, 130), fyne.NewPos(600, 190))
			golden.Assert(t, "signed-"+m.String(), w.Canvas().Capture(), *update)
		})
	}
}
