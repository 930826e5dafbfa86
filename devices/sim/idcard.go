package sim

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tongban/tongban/devices/idcard"
)

// IDCardFaults are the troubles the simulated reader can be asked to show.
// The zero value is a healthy reader.
type IDCardFaults struct {
	// RemoveMidRead takes the card away during the next read command: the
	// reader answers 41 (read failed) and the card is gone.
	RemoveMidRead bool
	// CorruptReplies damages the checksum of the next n replies.
	CorruptReplies int
	// Delay holds every reply back this long: a slow device, or an absent
	// one when it is longer than the host's timeout.
	Delay time.Duration
	// SAMSelfTestFailed makes every command answer 60.
	SAMSelfTestFailed bool
	// Garbage sends noise (including broken preambles) before every reply.
	Garbage bool
}

// cardState is where the card in the field is in the find-select-read cycle.
type cardState int

const (
	stateIdle     cardState = iota // in the field, not found yet
	stateFound                     // find answered 9F
	stateSelected                  // select answered 90
	stateRead                      // read; find answers 80 until re-presented
)

// IDCardReader simulates a SAM ID card reader, byte for byte. Place and
// Remove move a card in and out of the field; SetFaults injects faults.
// It is safe to drive from other goroutines while Serve runs.
type IDCardReader struct {
	mu     sync.Mutex
	card   *SyntheticCard
	state  cardState
	faults IDCardFaults
	samID  idcard.SAMID

	baud              int // 0: no pacing
	bytesIn, bytesOut atomic.Int64
	late              atomic.Int64 // ns the pacing woke after its schedule
}

// IDCardOptions configure a simulated reader.
type IDCardOptions struct {
	// Card, when not nil, lies on the reader from the start.
	Card *SyntheticCard
	// Faults are the faults from the start.
	Faults IDCardFaults
	// Baud, when positive, paces the simulator like a UART at that speed:
	// each request costs its wire time before it is answered and each reply
	// is written in chunks at the wire's pace.
	Baud int
	// SAM is the SAM module's serial number; zero: SimSAMID.
	SAM idcard.SAMID
}

// SimSAMID is the serial number of the simulated reader's SAM module
// (05.01-20240101-0000000042-0000000007, as SimSAMID.String writes it):
// the reader that `make run`'s local back office allow-lists.
var SimSAMID = func() idcard.SAMID {
	var id idcard.SAMID
	le := binary.LittleEndian
	le.PutUint16(id[0:], 5)
	le.PutUint16(id[2:], 1)
	le.PutUint32(id[4:], 20240101)
	le.PutUint32(id[8:], 42)
	le.PutUint32(id[12:], 7)
	return id
}()

var _ Device = (*IDCardReader)(nil)

// NewIDCardReader makes a simulated reader.
func NewIDCardReader(opts IDCardOptions) *IDCardReader {
	s := &IDCardReader{faults: opts.Faults, baud: opts.Baud}
	if opts.Card != nil {
		c := *opts.Card
		s.card = &c
	}
	s.samID = SimSAMID
	if opts.SAM != (idcard.SAMID{}) {
		s.samID = opts.SAM
	}
	return s
}

// SetSAM swaps the SAM module: the reader answers sam to a SAM ID request
// from now on (a reader replaced, or one that claims another's SAM).
func (s *IDCardReader) SetSAM(sam idcard.SAMID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.samID = sam
}

// Place puts a card on the reader (replacing any card there).
func (s *IDCardReader) Place(c SyntheticCard) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.card, s.state = &c, stateIdle
}

// Remove takes the card away.
func (s *IDCardReader) Remove() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.card, s.state = nil, stateIdle
}

// SetFaults replaces the faults in effect.
func (s *IDCardReader) SetFaults(f IDCardFaults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
}

// Lateness is how much later than its UART schedule the simulator's pacing
// delivered, in total: the timer and scheduler delays of this machine, which
// a benchmark subtracts to tell the driver's own overhead.
func (s *IDCardReader) Lateness() time.Duration { return time.Duration(s.late.Load()) }

// WireBytes is the number of bytes received and sent so far.
func (s *IDCardReader) WireBytes() int64 { return s.bytesIn.Load() + s.bytesOut.Load() }

// Serve answers requests on rw until ctx ends (it returns nil) or rw fails.
// It reads rw in a goroutine of its own; when rw has no read deadline, that
// goroutine ends only when rw is closed.
func (s *IDCardReader) Serve(ctx context.Context, rw io.ReadWriter) error {
	if d, ok := rw.(interface{ SetReadDeadline(time.Time) error }); ok {
		stop := context.AfterFunc(ctx, func() { d.SetReadDeadline(time.Unix(1, 0)) })
		defer stop()
	}
	p := &pacer{baud: s.baud}
	// A UART receives while it transmits: read in a goroutine of its own so
	// that a host writing while a reply is on its way never blocks us both.
	type chunk struct {
		b   []byte
		err error
	}
	chunks := make(chan chunk, 16)
	go func() {
		for {
			b := make([]byte, 2048)
			n, err := rw.Read(b)
			select {
			case chunks <- chunk{b[:n], err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	buf := make([]byte, 0, 8192)
	for {
		var c chunk
		select {
		case c = <-chunks:
		case <-ctx.Done():
			return nil
		}
		buf = append(buf, c.b...)
		s.bytesIn.Add(int64(len(c.b)))
		for {
			frame, skip, serr := idcard.Scan(buf)
			if serr == nil {
				p.start()
				p.wait(len(frame))
				s.late.Add(int64(p.lateness()))
				reply := s.answer(frame)
				buf = buf[:copy(buf, buf[skip+len(frame):])]
				if werr := s.send(ctx, rw, p, reply); werr != nil {
					return werr
				}
				continue
			}
			var fe *idcard.FrameError
			if errors.As(serr, &fe) {
				// A host frame we cannot trust: say so, as a reader does.
				status := byte(0x10)
				if fe.Reason != "checksum mismatch" {
					status = 0x11
				}
				if werr := s.send(ctx, rw, p, s.encode(status, nil)); werr != nil {
					return werr
				}
			}
			buf = buf[:copy(buf, buf[skip:])]
			if errors.Is(serr, idcard.ErrShortFrame) {
				break
			}
		}
		if c.err != nil {
			if c.err == io.EOF || ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("sim: id card reader: %w", c.err)
		}
	}
}

// garbage is sent between frames when asked: noise, a lone sync, a
// preamble with an impossible length.
var garbage = []byte{0x00, 0x55, 0xAA, 0xAA, 0x96, 0x13, 0xAA, 0xAA, 0xAA, 0x96, 0x69, 0xFF, 0xFF, 0x42}

// send writes one reply with the faults in effect, at the wire's pace.
func (s *IDCardReader) send(ctx context.Context, w io.Writer, p *pacer, reply []byte) error {
	s.mu.Lock()
	f := s.faults
	if s.faults.CorruptReplies > 0 {
		s.faults.CorruptReplies--
		reply[len(reply)-1] ^= 0xFF
	}
	s.mu.Unlock()
	if f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-ctx.Done():
			return nil
		}
	}
	if f.Garbage {
		reply = append(append([]byte(nil), garbage...), reply...)
	}
	const chunk = 32 // a UART FIFO's worth at a time
	p.start()
	for len(reply) > 0 {
		n := len(reply)
		if p.baud > 0 {
			n = min(n, chunk)
			p.wait(n)
		}
		if _, err := w.Write(reply[:n]); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("sim: id card reader: %w", err)
		}
		s.bytesOut.Add(int64(n))
		reply = reply[n:]
	}
	s.late.Add(int64(p.lateness()))
	return nil
}

// encode builds a reply frame with SW1 SW2 = 00 00.
func (s *IDCardReader) encode(sw3 byte, data []byte) []byte {
	n := 3 + len(data) + 1
	f := []byte{0xAA, 0xAA, 0xAA, 0x96, 0x69, byte(n >> 8), byte(n), 0x00, 0x00, sw3}
	f = append(f, data...)
	var x byte
	for _, c := range f[5:] {
		x ^= c
	}
	return append(f, x)
}

// answer is the reader's state machine: one reply per request.
func (s *IDCardReader) answer(frame []byte) []byte {
	cmd, _, err := idcard.ParseRequest(frame)
	if err != nil {
		return s.encode(0x11, nil)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.faults.SAMSelfTestFailed {
		return s.encode(0x60, nil)
	}
	switch cmd {
	case idcard.CmdResetSAM, idcard.CmdSAMStatus:
		return s.encode(0x90, nil)
	case idcard.CmdSAMID:
		return s.encode(0x90, s.samID[:])
	case idcard.CmdFindCard:
		if s.card == nil || s.state == stateRead {
			return s.encode(0x80, nil)
		}
		s.state = stateFound
		return s.encode(0x9F, make([]byte, 4))
	case idcard.CmdSelectCard:
		if s.card == nil || s.state == stateIdle {
			return s.encode(0x81, nil)
		}
		if s.state == stateFound {
			s.state = stateSelected
		}
		return s.encode(0x90, make([]byte, 8))
	case idcard.CmdReadBase, idcard.CmdReadFingerprint:
		if s.card == nil || (s.state != stateSelected && s.state != stateRead) {
			return s.encode(0x41, nil)
		}
		if s.faults.RemoveMidRead {
			s.faults.RemoveMidRead = false
			s.card, s.state = nil, stateIdle
			return s.encode(0x41, nil)
		}
		s.state = stateRead
		return s.encode(0x90, s.cardData(cmd == idcard.CmdReadFingerprint))
	case idcard.CmdReadAddress:
		if s.card == nil || (s.state != stateSelected && s.state != stateRead) {
			return s.encode(0x41, nil)
		}
		if s.card.AppendedAddress == "" {
			return s.encode(0x91, nil)
		}
		b := make([]byte, 70)
		put(b, 0, 70, s.card.AppendedAddress)
		return s.encode(0x90, b)
	}
	return s.encode(0x21, nil)
}

// cardData is the data of a 30 01 or 30 10 reply.
func (s *IDCardReader) cardData(withFP bool) []byte {
	text, photo := s.card.TextBlock(), s.card.photo()
	var d []byte
	be := binary.BigEndian
	d = be.AppendUint16(d, uint16(len(text)))
	d = be.AppendUint16(d, uint16(len(photo)))
	if withFP {
		d = be.AppendUint16(d, uint16(len(s.card.Fingerprint)))
	}
	d = append(append(d, text...), photo...)
	if withFP {
		d = append(d, s.card.Fingerprint...)
	}
	return d
}

// pacer makes bytes cost their time on a UART line: 10 bits a byte (8N1).
// It keeps an absolute schedule so that sleeping late does not add up.
type pacer struct {
	baud int
	next time.Time
}

// start begins a transmission: the schedule restarts now if it is behind.
func (p *pacer) start() {
	if now := time.Now(); p.next.Before(now) {
		p.next = now
	}
}

// wait sleeps until n more bytes have crossed the line.
func (p *pacer) wait(n int) {
	if p.baud <= 0 {
		return
	}
	p.next = p.next.Add(WireTime(n, p.baud))
	time.Sleep(time.Until(p.next))
}

// lateness is how far behind its schedule the pacer is now.
func (p *pacer) lateness() time.Duration {
	if p.baud <= 0 {
		return 0
	}
	return max(time.Since(p.next), 0)
}

// WireTime is how long n bytes take on an 8N1 line at baud.
func WireTime(n, baud int) time.Duration {
	return time.Duration(int64(n) * 10 * int64(time.Second) / int64(baud))
}
