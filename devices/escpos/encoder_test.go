package escpos_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/tongban/tongban/devices/escpos"
)

func encode(f func(e *escpos.Encoder)) ([]byte, error) {
	var b bytes.Buffer
	e := escpos.NewEncoder(&b)
	f(e)
	return b.Bytes(), e.Err()
}

func TestEncoderCommands(t *testing.T) {
	tests := []struct {
		name string
		f    func(e *escpos.Encoder)
		want []byte
	}{
		{"init", func(e *escpos.Encoder) { e.Init() }, []byte{0x1B, 0x40}},
		{"chinese on", func(e *escpos.Encoder) { e.Chinese(true) }, []byte{0x1C, 0x26}},
		{"chinese off", func(e *escpos.Encoder) { e.Chinese(false) }, []byte{0x1C, 0x2E}},
		{"size 2x2", func(e *escpos.Encoder) { e.Size(2, 2) }, []byte{0x1D, 0x21, 0x11}},
		{"size 1x2", func(e *escpos.Encoder) { e.Size(1, 2) }, []byte{0x1D, 0x21, 0x01}},
		{"bold", func(e *escpos.Encoder) { e.Bold(true); e.Bold(false) }, []byte{0x1B, 0x45, 1, 0x1B, 0x45, 0}},
		{"underline", func(e *escpos.Encoder) { e.Underline(2) }, []byte{0x1B, 0x2D, 2}},
		{"align centre", func(e *escpos.Encoder) { e.Align(escpos.AlignCenter) }, []byte{0x1B, 0x61, 1}},
		{"feed", func(e *escpos.Encoder) { e.Feed(3); e.FeedDots(16) }, []byte{0x1B, 0x64, 3, 0x1B, 0x4A, 16}},
		{"partial cut", func(e *escpos.Encoder) { e.Cut(escpos.CutPartial, 96) }, []byte{0x1D, 0x56, 0x42, 96}},
		{"full cut", func(e *escpos.Encoder) { e.Cut(escpos.CutFull, 0) }, []byte{0x1D, 0x56, 0x41, 0}},
		{"chinese text", func(e *escpos.Encoder) { e.Chinese(true); e.Line("测试上海") },
			[]byte{0x1C, 0x26, 0xB2, 0xE2, 0xCA, 0xD4, 0xC9, 0xCF, 0xBA, 0xA3, 0x0A}},
		{"four-byte GB18030", func(e *escpos.Encoder) { e.Chinese(true); e.Text("\U00020000") },
			[]byte{0x1C, 0x26, 0x95, 0x32, 0x82, 0x36}},
		{"controls become spaces", func(e *escpos.Encoder) { e.Text("a\x1b@b\x10\x04\x01c\u0085") },
			[]byte{'a', ' ', '@', 'b', ' ', ' ', ' ', 'c', ' '}},
		{"newline ends a line", func(e *escpos.Encoder) { e.Text("a\nb") }, []byte{'a', 0x0A, 'b'}},
		{"no chinese mode: ?", func(e *escpos.Encoder) { e.Text("a测b") }, []byte{'a', '?', 'b'}},
		{"native QR", func(e *escpos.Encoder) { e.QRCode(escpos.QR{Data: "ABC", Module: 3, Level: escpos.QRLevelL}) },
			[]byte{
				0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00,
				0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x03,
				0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x30,
				0x1D, 0x28, 0x6B, 0x06, 0x00, 0x31, 0x50, 0x30, 'A', 'B', 'C',
				0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30,
			}},
		{"native CODE128", func(e *escpos.Encoder) {
			e.Code128(escpos.Barcode{Data: "KIOSK-01", Height: 80, Module: 2})
		}, []byte{0x1D, 0x68, 80, 0x1D, 0x77, 2, 0x1D, 0x48, 0, 0x1D, 0x6B, 0x49, 0x0A, 0x7B, 0x42, 0x4B, 0x49, 0x4F, 0x53, 0x4B, 0x2D, 0x30, 0x31}},
		{"raster", func(e *escpos.Encoder) {
			bm := escpos.NewBitmap(10, 2)
			bm.Bits[0][0], bm.Bits[0][9], bm.Bits[1][1] = true, true, true
			e.Raster(bm)
		}, []byte{0x1D, 0x76, 0x30, 0, 2, 0, 2, 0, 0x80, 0x40, 0x40, 0x00}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := encode(tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Errorf("got  % X\nwant % X", got, tt.want)
			}
		})
	}
}

func TestEncoderRefusesBadArguments(t *testing.T) {
	tests := []struct {
		name string
		f    func(e *escpos.Encoder)
	}{
		{"size 0", func(e *escpos.Encoder) { e.Size(0, 1) }},
		{"size 9", func(e *escpos.Encoder) { e.Size(1, 9) }},
		{"underline 3", func(e *escpos.Encoder) { e.Underline(3) }},
		{"feed -1", func(e *escpos.Encoder) { e.Feed(-1) }},
		{"unknown cut", func(e *escpos.Encoder) { e.Cut(escpos.Cut(7), 0) }},
		{"empty QR", func(e *escpos.Encoder) { e.QRCode(escpos.QR{Module: 3, Level: escpos.QRLevelM}) }},
		{"QR module 17", func(e *escpos.Encoder) { e.QRCode(escpos.QR{Data: "x", Module: 17, Level: escpos.QRLevelM}) }},
		{"QR level", func(e *escpos.Encoder) { e.RasterQRCode(escpos.QR{Data: "x", Module: 3, Level: 9}) }},
		{"barcode non-ASCII", func(e *escpos.Encoder) { e.Code128(escpos.Barcode{Data: "测", Height: 50, Module: 2}) }},
		{"empty raster", func(e *escpos.Encoder) { e.Raster(escpos.Bitmap{}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := encode(tt.f)
			if err == nil {
				t.Errorf("no error; wrote % X", got)
			}
			if len(got) != 0 {
				t.Errorf("wrote % X despite the error", got)
			}
		})
	}
}

func TestRasterBands(t *testing.T) {
	got, err := encode(func(e *escpos.Encoder) { e.Raster(escpos.NewBitmap(16, 300)) })
	if err != nil {
		t.Fatal(err)
	}
	// 128 + 128 + 44 rows, 2 bytes a row, 8 header bytes each.
	if want := 3*8 + 300*2; len(got) != want {
		t.Fatalf("%d bytes, want %d", len(got), want)
	}
	if h := got[8+128*2:][:8]; !bytes.Equal(h, []byte{0x1D, 0x76, 0x30, 0, 2, 0, 128, 0}) {
		t.Errorf("second band header % X", h)
	}
}

func TestRasterQRIsAnImageOfTheCode(t *testing.T) {
	bm, err := escpos.QRBitmap("https://tongban.example/q/1", escpos.QRLevelM)
	if err != nil {
		t.Fatal(err)
	}
	if bm.Width != bm.Height || bm.Width < 21 || (bm.Width-21)%4 != 0 {
		t.Fatalf("QR bitmap %d×%d is not a QR symbol size", bm.Width, bm.Height)
	}
	if !bm.Bits[0][0] || !bm.Bits[6][6] || bm.Bits[1][1] { // finder pattern corner
		t.Error("top-left finder pattern missing")
	}
	got, err := encode(func(e *escpos.Encoder) {
		e.RasterQRCode(escpos.QR{Data: "https://tongban.example/q/1", Module: 4, Level: escpos.QRLevelM})
	})
	if err != nil {
		t.Fatal(err)
	}
	rowBytes := (bm.Width*4 + 7) / 8
	if got[4] != byte(rowBytes) || !bytes.HasPrefix(got, []byte{0x1D, 0x76, 0x30, 0}) {
		t.Errorf("raster header % X, want %d bytes a row", got[:8], rowBytes)
	}
}

type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n <= 0 {
		return 0, errors.New("unplugged")
	}
	w.n--
	return len(p), nil
}

func TestEncoderErrorsStick(t *testing.T) {
	w := &failingWriter{n: 1}
	e := escpos.NewEncoder(w)
	e.Init()
	e.Line("a")
	e.Cut(escpos.CutFull, 0)
	if e.Err() == nil || e.Written() != 2 {
		t.Errorf("err = %v, written = %d; want the write error and only the first command", e.Err(), e.Written())
	}
}

func TestProfiles(t *testing.T) {
	for _, mm := range []int{58, 80} {
		p, err := escpos.ProfileForWidth(mm)
		if err != nil || p.Validate() != nil || p.Columns*escpos.FontAWidth != p.Dots {
			t.Errorf("%d mm: %+v, %v", mm, p, err)
		}
	}
	if _, err := escpos.ProfileForWidth(76); err == nil {
		t.Error("76 mm accepted")
	}
}
