package sim

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/tongban/tongban/devices/escpos"
)

// PrinterOptions configure a simulated receipt printer.
type PrinterOptions struct {
	// Profile gives the paper width; the zero value means escpos.Paper58().
	Profile escpos.Profile
	// Font is an OpenType or TrueType font for rendering text, e.g.
	// assets.FontRegular(). Without one, text is drawn as outlined cells.
	Font []byte
	// BoldFont renders emphasised text; without it bold text is smeared
	// one dot to the right, as a printer does.
	BoldFont []byte
	// PaperDots is the length of the paper roll in dots (8 per mm); zero
	// means 40 m.
	PaperDots int
	// NearEndDots is how much paper is left when the near-end sensor
	// trips; zero means 2 m.
	NearEndDots int
	// KeepDots is how much of the printed roll the image keeps (older
	// output scrolls away, bounding memory); zero means 16384 dots (2 m).
	KeepDots int
}

// Printer simulates an ESC/POS thermal printer: it parses the byte stream,
// prints onto a paper roll that runs low and out, answers DLE EOT status
// requests and renders what it printed as an image. Faults are set with
// OpenCover, OpenCoverAfter, JamCutter and LoadPaper. Safe for concurrent use.
type Printer struct {
	mu sync.Mutex

	profile  escpos.Profile
	nearEnd  int
	paper    int // dots of paper left
	cover    bool
	coverIn  int // bytes until the cover opens; <0: never
	jammed   bool
	pending  []byte
	discard  int
	chinese  bool
	mode     printMode
	spacing  int
	align    escpos.Align
	qrData   []byte
	qrModule int
	qrLevel  escpos.QRLevel
	bar      barcodeMode
	roll     *roll
	lines    []string
	line     []cell // text waiting for LF
	lineText []rune
	stats    PrinterStats
}

// PrinterStats counts what happened, for tests.
type PrinterStats struct {
	Bytes         int // bytes received
	Ignored       int // unknown or malformed commands skipped
	Overflows     int // lines or images wider than the paper (wrapped or cut)
	MissingGlyphs int // characters the font has no glyph for (printed as boxes)
	Lost          int // printed items dropped because the paper was out or the cover open
	Cuts          int
	StatusAnswers int
}

type printMode struct {
	width, height int // magnification 1..8
	bold          bool
	underline     int
}

type barcodeMode struct{ height, module, hri int }

// NewPrinter returns a simulated printer with a full roll and the cover shut.
func NewPrinter(opts PrinterOptions) (*Printer, error) {
	if opts.Profile.Dots == 0 {
		opts.Profile = escpos.Paper58()
	}
	if err := opts.Profile.Validate(); err != nil {
		return nil, err
	}
	if opts.PaperDots == 0 {
		opts.PaperDots = 40_000 * escpos.DotsPerMM
	}
	if opts.NearEndDots == 0 {
		opts.NearEndDots = 2_000 * escpos.DotsPerMM
	}
	if opts.KeepDots <= 0 {
		opts.KeepDots = 16384
	}
	glyphs, err := newGlyphSet(opts.Font, opts.BoldFont)
	if err != nil {
		return nil, err
	}
	p := &Printer{
		profile: opts.Profile,
		nearEnd: opts.NearEndDots,
		paper:   opts.PaperDots,
		coverIn: -1,
		roll:    newRoll(opts.Profile.Dots, opts.KeepDots, glyphs),
	}
	p.reset()
	return p, nil
}

func (p *Printer) reset() {
	p.chinese = false
	p.mode = printMode{width: 1, height: 1}
	p.spacing = escpos.DefaultLineDots
	p.align = escpos.AlignLeft
	p.qrModule, p.qrLevel = 3, escpos.QRLevelL
	p.bar = barcodeMode{height: 162, module: 3}
}

// Serve reads the host's bytes from rw and writes status answers back,
// until ctx ends (it returns nil) or rw fails. A read blocked on rw is left
// behind when ctx ends; it finishes when rw is closed.
func (p *Printer) Serve(ctx context.Context, rw io.ReadWriter) error {
	type chunk struct {
		b   []byte
		err error
	}
	chunks := make(chan chunk)
	go func() {
		for {
			buf := make([]byte, 4096)
			n, err := rw.Read(buf)
			select {
			case chunks <- chunk{buf[:n], err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case c := <-chunks:
			if answers := p.Process(c.b); len(answers) > 0 {
				if _, err := rw.Write(answers); err != nil {
					return fmt.Errorf("sim printer: answering status: %w", err)
				}
			}
			if c.err == io.EOF {
				return nil
			}
			if c.err != nil {
				return fmt.Errorf("sim printer: reading: %w", c.err)
			}
		}
	}
}

// Process takes bytes from the host and returns the printer's answers.
func (p *Printer) Process(b []byte) []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	var answers []byte
	for len(b) > 0 {
		if p.coverIn >= 0 {
			take := min(len(b), p.coverIn)
			answers = append(answers, p.consume(b[:take])...)
			b = b[take:]
			p.coverIn -= take
			if p.coverIn == 0 {
				p.cover, p.coverIn = true, -1
			}
			continue
		}
		answers = append(answers, p.consume(b)...)
		b = nil
	}
	return answers
}

func (p *Printer) consume(b []byte) []byte {
	p.stats.Bytes += len(b)
	if p.discard > 0 {
		skip := min(p.discard, len(b))
		p.discard -= skip
		b = b[skip:]
	}
	p.pending = append(p.pending, b...)
	var answers []byte
	for len(p.pending) > 0 && p.discard == 0 {
		n, discard, need := commandLength(p.pending, p.chinese)
		if need {
			break
		}
		answers = append(answers, p.exec(p.pending[:n])...)
		p.pending = p.pending[n:]
		if discard > 0 {
			skip := min(discard, len(p.pending))
			p.pending = p.pending[skip:]
			p.discard = discard - skip
		}
	}
	if len(p.pending) == 0 {
		p.pending = nil // let the backing array go
	}
	return answers
}

// Status is the printer's current real-time status.
func (p *Printer) Status() escpos.Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.status()
}

func (p *Printer) status() escpos.Status {
	out := p.paper <= 0
	return escpos.Status{
		Online:         !p.cover && !out && !p.jammed,
		CoverOpen:      p.cover,
		StoppedNoPaper: out,
		Error:          p.jammed,
		CutterError:    p.jammed,
		PaperNearEnd:   p.paper <= p.nearEnd,
		PaperOut:       out,
	}
}

// printing reports whether the mechanism can print now.
func (p *Printer) printing() bool { return p.status().Online }

// OpenCover opens the paper cover: printing stops until CloseCover.
func (p *Printer) OpenCover() { p.mu.Lock(); p.cover = true; p.mu.Unlock() }

// CloseCover shuts the cover.
func (p *Printer) CloseCover() { p.mu.Lock(); p.cover = false; p.mu.Unlock() }

// OpenCoverAfter opens the cover once n more bytes have arrived, to
// simulate a cover opened in the middle of a job.
func (p *Printer) OpenCoverAfter(n int) { p.mu.Lock(); p.coverIn = max(n, 0); p.mu.Unlock() }

// JamCutter makes the autocutter fail (true) or clears it (false).
func (p *Printer) JamCutter(jam bool) { p.mu.Lock(); p.jammed = jam; p.mu.Unlock() }

// LoadPaper puts in a new roll of the given length in dots.
func (p *Printer) LoadPaper(dots int) { p.mu.Lock(); p.paper = dots; p.mu.Unlock() }

// PaperLeft is the paper left on the roll, in dots.
func (p *Printer) PaperLeft() int { p.mu.Lock(); defer p.mu.Unlock(); return p.paper }

// Stats returns the counters.
func (p *Printer) Stats() PrinterStats { p.mu.Lock(); defer p.mu.Unlock(); return p.stats }

// Lines returns the text lines printed so far, as printed.
func (p *Printer) Lines() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.lines...)
}

// exec carries out one complete command.
func (p *Printer) exec(c []byte) []byte {
	switch c[0] {
	case lf:
		p.flushLine(true)
		return nil
	case '\r':
		return nil
	case '\t':
		p.putRune(' ')
		return nil
	case dle:
		if len(c) == 3 && c[1] == 0x04 && c[2] >= 1 && c[2] <= 4 {
			p.stats.StatusAnswers++
			a := p.status().Answers()
			return []byte{a[c[2]-1]}
		}
		if len(c) == 1 {
			p.stats.Ignored++
		}
		return nil
	case esc:
		p.execESC(c)
		return nil
	case fs:
		p.execFS(c)
		return nil
	case gs:
		p.execGS(c)
		return nil
	}
	switch {
	case c[0] >= 0x20 && c[0] < 0x7F:
		p.putRune(rune(c[0]))
	case c[0] < 0x20 || c[0] == 0x7F:
		p.stats.Ignored++ // a control byte a printer ignores
	case p.chinese && len(c) > 1:
		r, err := simplifiedchinese.GB18030.NewDecoder().Bytes(c)
		if err != nil || len(r) == 0 || bytes.ContainsRune(r, utf8.RuneError) {
			p.stats.Ignored++
			p.putRune('?')
			return nil
		}
		for _, x := range string(r) {
			p.putRune(x)
		}
	default: // a byte outside ASCII in single-byte mode, or a lone lead byte
		if p.chinese {
			p.stats.Ignored++
		}
		p.putRune('?')
	}
	return nil
}

func (p *Printer) execESC(c []byte) {
	if len(c) < 2 {
		p.stats.Ignored++
		return
	}
	arg := byte(0)
	if len(c) > 2 {
		arg = c[2]
	}
	switch c[1] {
	case '@':
		p.flushLine(false)
		p.reset()
	case '2':
		p.spacing = escpos.DefaultLineDots
	case '3':
		p.spacing = int(arg)
	case '!':
		p.mode.bold = arg&0x08 != 0
		p.mode.height = 1 + int(arg>>4&1)
		p.mode.width = 1 + int(arg>>5&1)
		p.mode.underline = int(arg >> 7)
	case 'E':
		p.mode.bold = arg&1 != 0
	case '-':
		if arg <= 2 || arg == '0' || arg == '1' || arg == '2' {
			p.mode.underline = int(arg & 3)
		} else {
			p.stats.Ignored++
		}
	case 'a':
		if a := escpos.Align(arg & 0x0F); a <= escpos.AlignRight && (arg <= 2 || (arg >= '0' && arg <= '2')) {
			p.align = a
		} else {
			p.stats.Ignored++
		}
	case 'd':
		p.flushLine(false)
		p.advance(int(arg) * p.spacing)
	case 'J':
		p.flushLine(false)
		p.advance(int(arg))
	case 'i', 'm':
		p.flushLine(false)
		p.cut()
	case 't', 'M', 'G', 'V', '{', ' ', 'R', 'U', 'r', 'K', '$', '\\', 'c', 'p', '*':
		// understood, no effect on the rendering
	default:
		p.stats.Ignored++
	}
}

func (p *Printer) execFS(c []byte) {
	switch c[1] {
	case '&':
		p.chinese = true
	case '.':
		p.chinese = false
	case '!', '-', 'C', 'W', 'S', 'p':
	default:
		p.stats.Ignored++
	}
}

func (p *Printer) execGS(c []byte) {
	arg := 0
	if len(c) > 2 {
		arg = int(c[2])
	}
	switch c[1] {
	case '!':
		w, h := arg>>4+1, arg&0x0F+1
		if w > 8 || h > 8 {
			p.stats.Ignored++
			return
		}
		p.mode.width, p.mode.height = w, h
	case 'h':
		if arg > 0 {
			p.bar.height = arg
		}
	case 'w':
		if arg >= 1 && arg <= 6 {
			p.bar.module = arg
		}
	case 'H':
		p.bar.hri = arg & 3
	case 'V':
		p.flushLine(false)
		if len(c) == 4 {
			p.advance(int(c[3]))
		}
		p.cut()
	case '(':
		p.execGSParen(c)
	case 'v':
		if len(c) < 8 {
			p.stats.Ignored++
			return
		}
		x := int(c[4]) | int(c[5])<<8
		y := int(c[6]) | int(c[7])<<8
		if x == 0 || y == 0 || len(c) < 8+x*y { // empty, or too big and discarded
			p.stats.Ignored++
			return
		}
		bm := escpos.NewBitmap(x*8, y)
		for row := 0; row < y; row++ {
			for col := 0; col < x*8; col++ {
				bm.Bits[row][col] = c[8+row*x+col/8]&(0x80>>(col%8)) != 0
			}
		}
		p.flushLine(false)
		p.putImage(bm)
	case 'k':
		p.execBarcode(c)
	case 'f', 'a', 'r', 'B', 'I', '/', 'b', 'L', 'W', 'P', '8':
	default:
		p.stats.Ignored++
	}
}

// execGSParen handles GS ( k, the QR code functions (cn 49).
func (p *Printer) execGSParen(c []byte) {
	if c[2] != 'k' || len(c) < 7 || c[5] != '1' {
		if c[2] != 'k' && c[2] != 'L' && c[2] != 'E' && c[2] != 'A' {
			p.stats.Ignored++
		}
		return
	}
	fn, args := c[6], c[7:]
	switch fn {
	case 'A': // model
	case 'C':
		if len(args) == 1 && args[0] >= 1 && args[0] <= 16 {
			p.qrModule = int(args[0])
		} else {
			p.stats.Ignored++
		}
	case 'E':
		if len(args) == 1 && args[0] >= 0x30 && args[0] <= 0x33 {
			p.qrLevel = escpos.QRLevel(args[0])
		} else {
			p.stats.Ignored++
		}
	case 'P':
		if len(args) >= 1 && args[0] == '0' {
			p.qrData = append([]byte(nil), args[1:]...)
		} else {
			p.stats.Ignored++
		}
	case 'Q':
		if len(p.qrData) == 0 {
			p.stats.Ignored++
			return
		}
		bm, err := escpos.QRBitmap(string(p.qrData), p.qrLevel)
		if err != nil {
			p.stats.Ignored++
			return
		}
		p.flushLine(false)
		p.putImage(bm.Scale(p.qrModule))
	default:
		p.stats.Ignored++
	}
}

func (p *Printer) execBarcode(c []byte) {
	if len(c) < 4 || c[2] != 73 { // only CODE128 is rendered
		p.stats.Ignored++
		return
	}
	data := string(c[4:])
	if len(data) < 2 || data[0] != '{' || data[1] < 'A' || data[1] > 'C' {
		p.stats.Ignored++
		return
	}
	text := data[2:]
	bars, err := escpos.Code128Bars(text)
	if err != nil || len(text) == 0 {
		p.stats.Ignored++
		return
	}
	bm := escpos.NewBitmap(len(bars)*p.bar.module, p.bar.height)
	for y := range bm.Bits {
		for x := range bm.Bits[y] {
			bm.Bits[y][x] = bars[x/p.bar.module]
		}
	}
	p.flushLine(false)
	p.putImage(bm)
	if p.bar.hri >= 2 {
		saved := p.align
		p.align = escpos.AlignCenter
		for _, r := range text {
			p.putRune(r)
		}
		p.flushLine(true)
		p.align = saved
	}
}
