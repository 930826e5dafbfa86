package idcard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/tongban/tongban/devices/serialport"
)

// Timeouts bound how long each command waits for its reply.
type Timeouts struct {
	Find            time.Duration // find card and select card
	SAM             time.Duration // reset, status and SAM ID
	ReadBase        time.Duration // text and photo
	ReadFingerprint time.Duration // text, photo and fingerprints
	ReadAddress     time.Duration // appended address
	// Quiet is how long the line must stay silent for stale bytes to be
	// considered drained after a timeout or a damaged frame.
	Quiet time.Duration
}

// DefaultTimeouts are generous versions of the vendors' host timeouts
// (reference/devices.md §1.8): a 1295-byte reply takes 112 ms at 115200 baud.
func DefaultTimeouts() Timeouts {
	return Timeouts{
		Find:            300 * time.Millisecond,
		SAM:             1000 * time.Millisecond,
		ReadBase:        2000 * time.Millisecond,
		ReadFingerprint: 3000 * time.Millisecond,
		ReadAddress:     1500 * time.Millisecond,
		Quiet:           30 * time.Millisecond,
	}
}

func (t Timeouts) of(c Command) time.Duration {
	switch c {
	case CmdFindCard, CmdSelectCard:
		return t.Find
	case CmdReadBase:
		return t.ReadBase
	case CmdReadFingerprint:
		return t.ReadFingerprint
	case CmdReadAddress:
		return t.ReadAddress
	}
	return t.SAM
}

// Options configure a Reader. The zero value of a field means its default.
type Options struct {
	Timeouts Timeouts     // zero fields take DefaultTimeouts
	Logger   *slog.Logger // nil discards; never receives personal data
}

// Port is the line to a reader: a serialport.Conn in the field, a net.Conn
// or a pseudo-terminal in tests. Its reads obey the read deadline, and a
// read past it fails with an error matching os.ErrDeadlineExceeded.
type Port = serialport.Line

// Reader drives one ID card reader. Its methods are safe for concurrent
// use; commands are sent one at a time. It reads the port in the caller's
// goroutine, with a deadline, and leaves no goroutine behind.
type Reader struct {
	mu       sync.Mutex
	port     Port
	buf      []byte // received bytes not yet consumed
	timeouts Timeouts
	log      *slog.Logger
	dirty    bool // stale bytes may be on the line
}

// NewReader drives the reader on rw. opts may be nil.
func NewReader(port Port, opts *Options) *Reader {
	var o Options
	if opts != nil {
		o = *opts
	}
	d := DefaultTimeouts()
	t := o.Timeouts
	for _, f := range []struct{ v, def *time.Duration }{
		{&t.Find, &d.Find}, {&t.SAM, &d.SAM}, {&t.ReadBase, &d.ReadBase},
		{&t.ReadFingerprint, &d.ReadFingerprint}, {&t.ReadAddress, &d.ReadAddress}, {&t.Quiet, &d.Quiet},
	} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Reader{port: port, timeouts: t, log: log, buf: make([]byte, 0, 4096)}
}

// Exchange sends one command and returns the reply that fits it. Replies
// whose SW3 is not the command's success come back as a *StatusError along
// with the response. Frames that cannot answer this command (late replies
// to an earlier one) are skipped.
func (r *Reader) Exchange(ctx context.Context, cmd Command, data []byte) (Response, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return Response{}, err
	}
	if r.dirty {
		r.drain(ctx)
	}
	deadline := time.Now().Add(r.timeouts.of(cmd))
	ctxBound := false
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline, ctxBound = d, true
	}
	// fail explains an error: the context's end when it came first.
	fail := func(err error) error {
		r.dirty = true
		if cerr := ctx.Err(); cerr != nil {
			return fmt.Errorf("idcard: %s: %w", cmd, cerr)
		}
		if ctxBound && !time.Now().Before(deadline) {
			return fmt.Errorf("idcard: %s: %w", cmd, context.DeadlineExceeded)
		}
		if isTimeout(err) {
			err = ErrTimeout
		}
		return fmt.Errorf("idcard: %s: %w", cmd, err)
	}
	if wd, ok := r.port.(interface{ SetWriteDeadline(time.Time) error }); ok {
		wd.SetWriteDeadline(deadline)
	}
	if _, err := r.port.Write(EncodeRequest(cmd, data)); err != nil {
		return Response{}, fail(err)
	}
	for {
		frame, err := r.readFrame(ctx, deadline)
		if err != nil {
			return Response{}, fail(err)
		}
		resp, err := ParseResponse(frame)
		if err != nil {
			r.dirty = true
			return Response{}, fmt.Errorf("idcard: %s: %w", cmd, err)
		}
		if !cmd.fits(resp.SW3, len(resp.Data)) {
			r.log.Debug("idcard: skipping a reply that does not answer the command",
				"cmd", cmd.String(), "sw3", resp.SW3.String(), "len", len(resp.Data))
			continue
		}
		if resp.SW3 != cmd.success() {
			return resp, &StatusError{Cmd: cmd, SW1: resp.SW1, SW2: resp.SW2, SW3: resp.SW3}
		}
		return resp, nil
	}
}

// readFrame returns the next complete frame received before deadline,
// skipping noise. A preamble with an impossible length is noise. A frame
// with a bad checksum is reported unless a good frame follows it in what
// was already received (the bad one may have been noise that swallowed it).
func (r *Reader) readFrame(ctx context.Context, deadline time.Time) ([]byte, error) {
	var damaged error
	for {
		frame, skip, err := Scan(r.buf)
		if err == nil {
			out := append([]byte(nil), frame...)
			r.consume(skip + len(frame))
			return out, nil
		}
		r.consume(skip)
		var fe *FrameError
		if errors.As(err, &fe) {
			r.log.Debug("idcard: skipped a damaged frame", "reason", fe.Reason, "len", fe.Len)
			if fe.Reason == reasonChecksum {
				damaged = err
			}
			continue
		}
		if damaged != nil {
			return nil, damaged
		}
		if len(r.buf) == cap(r.buf) {
			r.buf = append(r.buf, 0)[:len(r.buf)] // grow
		}
		n, err := r.read(ctx, r.buf[len(r.buf):cap(r.buf)], deadline)
		r.buf = r.buf[:len(r.buf)+n]
		if err != nil && n == 0 {
			return nil, err
		}
	}
}

// read reads into p before deadline, in the caller's goroutine. It
// returns ErrTimeout when nothing arrived in time and ctx.Err() when ctx
// ended first.
func (r *Reader) read(ctx context.Context, p []byte, deadline time.Time) (int, error) {
	n, err := serialport.ReadContext(ctx, r.port, p, deadline)
	if n == 0 && isTimeout(err) {
		return 0, ErrTimeout
	}
	return n, err
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &t) && t.Timeout())
}

func (r *Reader) consume(n int) {
	m := copy(r.buf, r.buf[n:])
	r.buf = r.buf[:m]
}

// drainLimit bounds how long stale bytes are discarded before a command.
const drainLimit = time.Second

// drain discards what is on the line until it stays quiet, after a timeout
// or a damaged frame left stale bytes behind.
func (r *Reader) drain(ctx context.Context) {
	r.buf = r.buf[:0]
	scratch := make([]byte, 512)
	end := time.Now().Add(drainLimit)
	for time.Now().Before(end) {
		n, err := r.read(ctx, scratch, time.Now().Add(r.timeouts.Quiet))
		if n > 0 {
			r.log.Debug("idcard: discarded stale bytes", "bytes", n)
		}
		if err != nil {
			break
		}
	}
	r.dirty = false
}
