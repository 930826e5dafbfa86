// Package golden compares rendered screens with PNG masters under testdata/,
// with a tolerance for the anti-aliasing differences of font rasterizers.
// Tests pass their own -update flag; masters are rewritten when it is set.
package golden

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// Tolerance: a pixel differs when any channel is off by more than
// ChannelDelta; an image differs when more than MaxDiffRatio of its pixels do.
const (
	ChannelDelta = 24
	MaxDiffRatio = 0.005
)

// Assert compares img with testdata/<name>.png. With update set it writes the
// master instead. On a mismatch it writes testdata/failed/<name>.png.
func Assert(t testing.TB, name string, img image.Image, update bool) {
	t.Helper()
	path := filepath.Join("testdata", name+".png")
	if update {
		if err := Write(path, img); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := Read(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if msg := Diff(want, img); msg != "" {
		failed := filepath.Join("testdata", "failed", name+".png")
		if err := Write(failed, img); err != nil {
			t.Log(err)
		}
		t.Errorf("%s: %s; got written to %s", path, msg, failed)
	}
}

// Diff describes how a and b differ beyond the tolerance, or returns "".
func Diff(a, b image.Image) string {
	ab, bb := a.Bounds(), b.Bounds()
	if ab.Dx() != bb.Dx() || ab.Dy() != bb.Dy() {
		return fmt.Sprintf("size %dx%d, want %dx%d", bb.Dx(), bb.Dy(), ab.Dx(), ab.Dy())
	}
	differ := 0
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			r1, g1, b1, a1 := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, a2 := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			if far(r1, r2) || far(g1, g2) || far(b1, b2) || far(a1, a2) {
				differ++
			}
		}
	}
	if ratio := float64(differ) / float64(ab.Dx()*ab.Dy()); ratio > MaxDiffRatio {
		return fmt.Sprintf("%d pixels (%.2f%%) differ", differ, 100*ratio)
	}
	return ""
}

func far(a, b uint32) bool {
	d := int(a>>8) - int(b>>8)
	return d > ChannelDelta || d < -ChannelDelta
}

// Read decodes a PNG file.
func Read(path string) (image.Image, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return png.Decode(bytes.NewReader(b))
}

// Write encodes img as PNG at path, creating directories.
func Write(path string, img image.Image) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
