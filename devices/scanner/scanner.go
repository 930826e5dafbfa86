package scanner

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/tongban/tongban/devices/serialport"
)

// DefaultDuplicateWindow is how long the same code read again counts as
// the same scan, when Options.DuplicateWindow is 0. A resident holding a
// phone in front of a scanner in continuous mode produces a read every
// few hundred milliseconds; the window slides with each repeat.
const DefaultDuplicateWindow = 2 * time.Second

// Options configure a Scanner. The zero value frames by idle gap.
type Options struct {
	Framing
	// AIM is true when the scanner is set to prefix each code with its
	// AIM symbology identifier ("]Q1").
	AIM bool
	// DuplicateWindow: a code equal to the previous one within this window
	// of the previous read is dropped. 0 means DefaultDuplicateWindow;
	// negative keeps every read.
	DuplicateWindow time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Scan is one code read by the scanner.
type Scan struct {
	Text      string    // the decoded content
	Symbology string    // AIM identifier such as "]Q1", when the scanner sends one
	Encoding  Encoding  // how Text was decoded
	At        time.Time // when the code was complete (its suffix or idle gap seen)
	// Err is ErrTooLong or ErrUndecodable when a code was read but cannot
	// be used; Text is then empty. The caller should ask the resident to
	// scan again.
	Err error
}

// Port is the scanner's line: a serialport.Conn in the field, a net.Conn or
// a pseudo-terminal in tests. Its reads obey the read deadline.
type Port = serialport.DeadlineReader

// Scanner reads codes from a scanner's byte stream.
type Scanner struct {
	r      Port
	opts   Options
	framer *Framer
	now    func() time.Time

	lastText string
	lastAt   time.Time
}

// New returns a scanner reading from r.
func New(r Port, opts Options) *Scanner {
	if opts.Suffix == SuffixNone && opts.IdleGap <= 0 {
		opts.IdleGap = DefaultIdleGap
	}
	if opts.DuplicateWindow == 0 {
		opts.DuplicateWindow = DefaultDuplicateWindow
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Scanner{r: r, opts: opts, framer: NewFramer(opts.Framing), now: now}
}

// Run reads codes until ctx ends or the stream fails, calling emit for
// each code. It reads in the caller's goroutine and leaves none behind: a
// read waits for the next byte until ctx ends, or, while a code framed by
// idle gap is unfinished, until the gap has passed. It returns nil when
// ctx ended, and the read error otherwise (io.EOF for a stream that ended;
// a port that was unplugged reports its own error). Bytes of an
// unfinished code are framed as a last code when the stream ends, so
// nothing read is lost.
func (s *Scanner) Run(ctx context.Context, emit func(Scan)) error {
	onFrame := func(f Frame) { s.deliver(f, emit) }
	buf := make([]byte, 512)
	var idleEnd time.Time // when silence ends the unfinished code
	for {
		var deadline time.Time
		if s.opts.IdleGap > 0 && s.framer.Pending() {
			deadline = idleEnd
		}
		n, err := serialport.ReadContext(ctx, s.r, buf, deadline)
		if n > 0 {
			s.framer.Push(buf[:n], onFrame)
			idleEnd = time.Now().Add(s.opts.IdleGap)
		}
		switch {
		case ctx.Err() != nil:
			return nil
		case err == nil:
		case isTimeout(err):
			if s.opts.IdleGap > 0 && s.framer.Pending() && !time.Now().Before(idleEnd) {
				s.framer.End(onFrame)
			}
		default:
			s.framer.End(onFrame)
			return err
		}
	}
}

func isTimeout(err error) bool {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// deliver decodes a frame, drops duplicates and hands the scan on.
func (s *Scanner) deliver(f Frame, emit func(Scan)) {
	at := s.now()
	if f.TooLong {
		emit(Scan{At: at, Err: ErrTooLong})
		return
	}
	text, sym, enc, err := Decode(f.Data, s.opts.AIM)
	if err != nil {
		emit(Scan{At: at, Symbology: sym, Err: err})
		return
	}
	if s.opts.DuplicateWindow > 0 && text == s.lastText && at.Sub(s.lastAt) < s.opts.DuplicateWindow {
		s.lastAt = at // the window slides while the same code keeps coming
		return
	}
	s.lastText, s.lastAt = text, at
	emit(Scan{Text: text, Symbology: sym, Encoding: enc, At: at})
}
