package sim_test

import (
	"bytes"
	"context"
	"net"
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/devices/sim"
)

var _ sim.Device = (*sim.Printer)(nil)

func newPrinter(t testing.TB, opts sim.PrinterOptions) *sim.Printer {
	t.Helper()
	if opts.Font == nil {
		font, err := os.ReadFile("../../assets/fonts/NotoSansSC-Regular-GB2312.otf")
		if err != nil {
			t.Fatal(err)
		}
		opts.Font = font
	}
	p, err := sim.NewPrinter(opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func job(f func(e *escpos.Encoder)) []byte {
	var b bytes.Buffer
	e := escpos.NewEncoder(&b)
	e.Init()
	e.Chinese(true)
	f(e)
	return b.Bytes()
}

func TestPrinterPrintsText(t *testing.T) {
	p := newPrinter(t, sim.PrinterOptions{})
	p.Process(job(func(e *escpos.Encoder) {
		e.Line("受理回执 No.42")
		e.Size(2, 2)
		e.Line("A023")
		e.Cut(escpos.CutPartial, 0)
	}))
	if got, want := p.Lines(), []string{"受理回执 No.42", "A023"}; !slices.Equal(got, want) {
		t.Errorf("lines = %q, want %q", got, want)
	}
	st := p.Stats()
	if st.Cuts != 1 || st.Ignored != 0 || st.Overflows != 0 || st.MissingGlyphs != 0 {
		t.Errorf("stats = %+v", st)
	}
	img := p.Image()
	if img.Bounds().Dx() != 384 || img.Bounds().Dy() < 24+48 {
		t.Errorf("image %v, want 384 wide and at least two lines tall", img.Bounds())
	}
	if !hasInk(img.Pix) {
		t.Error("nothing was drawn")
	}
}

// text encodes s for a printer already in Chinese mode.
func text(s string) []byte {
	var b bytes.Buffer
	e := escpos.NewEncoder(&b)
	e.Chinese(true)
	e.Text(s)
	return b.Bytes()[2:]
}

func hasInk(pix []byte) bool { return slices.Contains(pix, 0) }

// TestPrinterIgnoresMalformedCommands: unknown or malformed commands are
// skipped like a printer skips them, and the text after them still prints.
func TestPrinterIgnoresMalformedCommands(t *testing.T) {
	tests := []struct {
		name  string
		bytes []byte
	}{
		{"unknown ESC", []byte{0x1B, 0x99}},
		{"unknown GS", []byte{0x1D, 0xEE}},
		{"unknown FS", []byte{0x1C, 0x7A}},
		{"size out of range", []byte{0x1D, 0x21, 0x99}},
		{"bad align", []byte{0x1B, 0x61, 9}},
		{"QR print without data", []byte{0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30}},
		{"QR bad module", []byte{0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 40}},
		{"barcode without code set", []byte{0x1D, 0x6B, 0x49, 0x02, 'A', 'B'}},
		{"barcode without terminator", append([]byte{0x1D, 0x6B, 0x04}, bytes.Repeat([]byte{'1'}, 300)...)},
		{"raster of zero width", []byte{0x1D, 0x76, 0x30, 0, 0, 0, 5, 0}},
		{"stray control byte", []byte{0x07}},
		{"DLE without EOT", []byte{0x10, 'x'}},
		{"lone GB18030 lead byte", []byte{0x81, 0x0A}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPrinter(t, sim.PrinterOptions{})
			p.Process(job(func(e *escpos.Encoder) {}))
			p.Process(tt.bytes)
			p.Process(text("\nOK 正常\n"))
			lines := p.Lines()
			if len(lines) == 0 || lines[len(lines)-1] != "OK 正常" {
				t.Errorf("lines after the bad command = %q, want the text to print", lines)
			}
			if p.Stats().Ignored == 0 && tt.name != "barcode without terminator" {
				t.Errorf("stats %+v: the bad command was not counted", p.Stats())
			}
		})
	}
}

// TestPrinterAnswersStatus follows the roll from full to near end to out,
// and the cover open and shut, through the DLE EOT answers.
func TestPrinterAnswersStatus(t *testing.T) {
	p := newPrinter(t, sim.PrinterOptions{PaperDots: 200, NearEndDots: 120})
	ask := func() escpos.Status {
		var q []byte
		for n := 1; n <= 4; n++ {
			q = append(q, escpos.StatusRequest(n)...)
		}
		a := p.Process(q)
		if len(a) != 4 {
			t.Fatalf("%d answer bytes, want 4", len(a))
		}
		st, err := escpos.DecodeStatus([4]byte(a))
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if st := ask(); !st.Ready() || st.PaperNearEnd {
		t.Errorf("fresh printer: %s", st)
	}
	p.Process(job(func(e *escpos.Encoder) { e.Line("1"); e.Line("2"); e.Line("3") })) // 90 dots
	if st := ask(); !st.Ready() || !st.PaperNearEnd {
		t.Errorf("after 90 of 200 dots: %s, want near end", st)
	}
	p.Process(job(func(e *escpos.Encoder) { e.Line("4"); e.Line("5"); e.Line("6"); e.Line("7") }))
	if st := ask(); st.Online || !st.PaperOut {
		t.Errorf("after the roll ran out: %s, want paper out", st)
	}
	if p.Stats().Lost == 0 {
		t.Error("no line was lost when the paper ran out")
	}
	if got := p.Lines(); len(got) != 6 {
		t.Errorf("printed %q, want the six lines that fit", got)
	}
	p.LoadPaper(10_000)
	p.OpenCover()
	if st := ask(); !st.CoverOpen || st.Online || st.PaperOut {
		t.Errorf("cover open: %s", st)
	}
	p.CloseCover()
	p.JamCutter(true)
	if st := ask(); !st.CutterError || st.Ready() {
		t.Errorf("cutter jammed: %s", st)
	}
}

func TestPrinterOpenCoverAfter(t *testing.T) {
	p := newPrinter(t, sim.PrinterOptions{})
	p.OpenCoverAfter(len(job(func(e *escpos.Encoder) { e.Line("before") })))
	p.Process(job(func(e *escpos.Encoder) { e.Line("before") }))
	p.Process(text("after\n"))
	if got := p.Lines(); !slices.Equal(got, []string{"before"}) || !p.Status().CoverOpen {
		t.Errorf("lines %q, status %s: want only the line before the cover opened", got, p.Status())
	}
}

// TestPrinterChunking: bytes split anywhere give the same print, as they
// arrive in arbitrary pieces over a serial line.
func TestPrinterChunking(t *testing.T) {
	data := job(func(e *escpos.Encoder) {
		e.Line("分块测试 chunking")
		e.Text("\U00020000")
		e.Line("")
		e.QRCode(escpos.QR{Data: "https://tongban.example/q/1", Module: 4, Level: escpos.QRLevelM})
		e.Code128(escpos.Barcode{Data: "XH0123", Height: 40, Module: 2, HRI: true})
		e.Cut(escpos.CutFull, 10)
	})
	whole := newPrinter(t, sim.PrinterOptions{})
	whole.Process(data)
	for _, size := range []int{1, 2, 3, 7, 64} {
		p := newPrinter(t, sim.PrinterOptions{})
		for i := 0; i < len(data); i += size {
			p.Process(data[i:min(i+size, len(data))])
		}
		if !slices.Equal(p.Lines(), whole.Lines()) || !bytes.Equal(p.Image().Pix, whole.Image().Pix) {
			t.Errorf("chunks of %d bytes print differently", size)
		}
	}
}

func TestPrinterHugeRasterIsDiscarded(t *testing.T) {
	p := newPrinter(t, sim.PrinterOptions{})
	hdr := []byte{0x1D, 0x76, 0x30, 0, 0xFF, 0xFF, 0xFF, 0xFF} // 4 GB of image
	p.Process(hdr)
	p.Process(bytes.Repeat([]byte{0xAA}, 1<<16))
	if st := p.Stats(); st.Ignored != 1 || len(p.Lines()) != 0 {
		t.Errorf("stats %+v, lines %q: want the image ignored and its data swallowed", st, p.Lines())
	}
}

func TestPrinterServe(t *testing.T) {
	p := newPrinter(t, sim.PrinterOptions{})
	host, dev := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var serveErr error
	wg.Add(1)
	go func() { defer wg.Done(); serveErr = p.Serve(ctx, dev) }()
	c := escpos.NewConn(host)
	if _, err := c.Write(job(func(e *escpos.Encoder) { e.Line("served") })); err != nil {
		t.Fatal(err)
	}
	st, err := c.Status(ctx)
	if err != nil || !st.Ready() {
		t.Errorf("status = %s, %v", st, err)
	}
	cancel()
	wg.Wait()
	host.Close()
	dev.Close()
	if serveErr != nil {
		t.Errorf("Serve returned %v after the context ended", serveErr)
	}
	if got := p.Lines(); !slices.Equal(got, []string{"served"}) {
		t.Errorf("lines = %q", got)
	}
}

func TestPrinterWithoutFontDrawsBoxes(t *testing.T) {
	p, err := sim.NewPrinter(sim.PrinterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p.Process(job(func(e *escpos.Encoder) { e.Line("测") }))
	if !hasInk(p.Image().Pix) {
		t.Error("no box drawn")
	}
	if _, err := sim.NewPrinter(sim.PrinterOptions{Font: []byte("not a font")}); err == nil {
		t.Error("a bad font was accepted")
	}
}

// FuzzPrinterStream: any bytes, split anywhere, never panic, and the
// printer still answers status afterwards.
func FuzzPrinterStream(f *testing.F) {
	f.Add(job(func(e *escpos.Encoder) {
		e.Line("受理回执")
		e.QRCode(escpos.QR{Data: "https://tongban.example/q/1", Module: 4, Level: escpos.QRLevelM})
		e.Cut(escpos.CutPartial, 10)
	}), 5)
	f.Add([]byte{0x1D, 0x76, 0x30, 0, 1, 0, 3, 0, 0xFF, 0x10, 0x04, 0x01}, 3)
	f.Add([]byte{0x1D, 0x28, 0x6B, 0xFF, 0xFF}, 1)
	f.Add([]byte{0x1C, 0x26, 0x81, 0x30, 0x81, 0x30, 0xFE, 0xFE, 0x81}, 2)
	f.Add([]byte{0x1D, 0x6B, 0x49, 0x05, '{', 'C', 0xFF, 0x00, 0x01}, 4)
	f.Add([]byte{0x1B, 0x33, 0xFF, 0x1B, 0x64, 0xFF, 0x1D, 0x21, 0x77, 'W', 'W', 'W'}, 7)
	font, err := os.ReadFile("../../assets/fonts/NotoSansSC-Regular-GB2312.otf")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, split int) {
		p, err := sim.NewPrinter(sim.PrinterOptions{Font: font, PaperDots: 20_000, KeepDots: 4096})
		if err != nil {
			t.Fatal(err)
		}
		split = min(max(split, 0), len(data))
		p.Process(data[:split])
		p.Process(data[split:])
		// Finish whatever command is open, then ask for status.
		p.Process(bytes.Repeat([]byte{0}, 300))
		_ = p.Image()
	})
}
