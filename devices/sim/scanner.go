package sim

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/tongban/tongban/devices/scanner"
)

// ScannerFault is a misbehaviour the simulated scanner shows on demand.
type ScannerFault int

// Scanner faults.
const (
	// FaultGarbage sends bytes that are neither UTF-8 nor GB18030, as a
	// wrong baud rate or line noise produces, followed by the suffix.
	FaultGarbage ScannerFault = iota + 1
	// FaultSplit sends the next code in two writes with a pause between
	// them (shorter than the driver's idle gap), as a USB adapter does.
	FaultSplit
	// FaultOverLong sends a code longer than the driver's maximum.
	FaultOverLong
)

// ScannerOptions configure a simulated scanner.
type ScannerOptions struct {
	// Suffix ends each code; "" means scanner.SuffixCR. Use
	// scanner.SuffixNone explicitly through NoSuffix.
	Suffix string
	// NoSuffix sends codes with no suffix at all (idle-gap framing).
	NoSuffix bool
	// SplitPause is the pause inside a split code; 0 means 10 ms.
	SplitPause time.Duration
	// OverLongLen is the length of an over-long code; 0 means
	// scanner.DefaultMaxLen + 1.
	OverLongLen int
}

// Scanner simulates a serial QR scanner of the GM65 family: codes the
// test or the operator "presents" are sent with the configured suffix,
// GM65 register reads and writes are answered (so the driver's probe
// works), and Honeywell trigger commands are accepted. It is safe for
// concurrent use; codes presented while no host is connected wait for the
// next Serve.
type Scanner struct {
	opts ScannerOptions

	mu       sync.Mutex
	queue    []write
	split    bool // the next code is split in two writes
	register [256]byte
	wake     chan struct{}
}

// write is one write to the host, optionally followed by a pause.
type write struct {
	data  []byte
	pause time.Duration
}

// NewScanner returns a simulated scanner.
func NewScanner(opts ScannerOptions) *Scanner {
	if opts.Suffix == "" && !opts.NoSuffix {
		opts.Suffix = scanner.SuffixCR
	}
	if opts.NoSuffix {
		opts.Suffix = ""
	}
	if opts.SplitPause == 0 {
		opts.SplitPause = 10 * time.Millisecond
	}
	if opts.OverLongLen == 0 {
		opts.OverLongLen = scanner.DefaultMaxLen + 1
	}
	s := &Scanner{opts: opts, wake: make(chan struct{}, 1)}
	s.register[0] = scanner.GM65CommandMode
	return s
}

// Present simulates a resident holding a code (UTF-8 text) to the scanner.
func (s *Scanner) Present(code string) { s.PresentBytes([]byte(code)) }

// PresentBytes presents a code with raw content bytes (e.g. GB18030).
func (s *Scanner) PresentBytes(code []byte) {
	s.mu.Lock()
	data := append(append([]byte(nil), code...), s.opts.Suffix...)
	if s.split && len(code) > 1 {
		s.split = false
		half := len(code) / 2
		s.queue = append(s.queue, write{data: data[:half], pause: s.opts.SplitPause}, write{data: data[half:]})
	} else {
		s.queue = append(s.queue, write{data: data})
	}
	s.mu.Unlock()
	s.signal()
}

// Fault makes the scanner misbehave once: garbage and over-long codes are
// sent at once, a split applies to the next presented code.
func (s *Scanner) Fault(f ScannerFault) {
	switch f {
	case FaultGarbage:
		s.enqueue([]byte("\xff\xfe\x80\x00\xff" + s.opts.Suffix))
	case FaultOverLong:
		s.enqueue([]byte(strings.Repeat("9", s.opts.OverLongLen) + s.opts.Suffix))
	case FaultSplit:
		s.mu.Lock()
		s.split = true
		s.mu.Unlock()
	}
}

func (s *Scanner) enqueue(data []byte) {
	s.mu.Lock()
	s.queue = append(s.queue, write{data: data})
	s.mu.Unlock()
	s.signal()
}

func (s *Scanner) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Serve answers the host on rw until ctx ends (nil) or rw fails.
func (s *Scanner) Serve(ctx context.Context, rw io.ReadWriter) error {
	readErr := make(chan error, 1)
	go func() { readErr <- s.readCommands(rw) }()
	s.signal() // send what waited for a host
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-readErr:
			if ctx.Err() != nil {
				return nil
			}
			return err
		case <-s.wake:
			if err := s.flush(ctx, rw); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
		}
	}
}

// flush writes everything queued, in order.
func (s *Scanner) flush(ctx context.Context, w io.Writer) error {
	for {
		s.mu.Lock()
		if len(s.queue) == 0 {
			s.mu.Unlock()
			return nil
		}
		next := s.queue[0]
		s.queue = s.queue[1:]
		s.mu.Unlock()
		if _, err := w.Write(next.data); err != nil {
			return err
		}
		if next.pause > 0 {
			select {
			case <-time.After(next.pause):
			case <-ctx.Done():
				return nil
			}
		}
	}
}

// readCommands reads the host's commands and queues the answers.
func (s *Scanner) readCommands(r io.Reader) error {
	var pending []byte
	buf := make([]byte, 256)
	for {
		n, err := r.Read(buf)
		pending = append(pending, buf[:n]...)
		pending = s.handleCommands(pending)
		if err != nil {
			return err
		}
	}
}

// handleCommands answers every complete command at the start of p and
// returns what is left (an incomplete command). Unknown bytes are skipped.
func (s *Scanner) handleCommands(p []byte) []byte {
	for len(p) > 0 {
		switch {
		case p[0] == 0x7E: // GM65: 7E 00 T L AH AL data(L) CRC(2)
			if len(p) < 6 {
				return p
			}
			total := 6 + int(p[3]) + 2
			if len(p) < total {
				return p
			}
			s.gm65(p[:total])
			p = p[total:]
		case p[0] == 0x16: // Honeywell: SYN x CR
			i := bytes.IndexByte(p, '\r')
			if i < 0 {
				return p
			}
			p = p[i+1:] // trigger, stop and beep need no answer
		default:
			p = p[1:]
		}
	}
	return p
}

func (s *Scanner) gm65(cmd []byte) {
	body := cmd[2 : len(cmd)-2]
	crc := scanner.CRC16XModem(body)
	hi, lo := cmd[len(cmd)-2], cmd[len(cmd)-1]
	if cmd[1] != 0x00 || !((hi == byte(crc>>8) && lo == byte(crc)) || (hi == 0xAB && lo == 0xCD)) {
		return // a real module ignores a bad frame
	}
	typ, n, addr := body[0], int(body[1]), int(body[3])
	s.mu.Lock()
	var answer []byte
	switch typ {
	case 0x07: // read
		answer = scanner.GM65Reply(s.register[addr])
	case 0x08: // write
		for i := 0; i < n && addr+i < len(s.register); i++ {
			s.register[addr+i] = body[4+i]
		}
		answer = scanner.GM65Reply(0x00)
	case 0x09: // save to flash
		answer = scanner.GM65Reply(0x00)
	}
	if answer != nil {
		s.queue = append(s.queue, write{data: answer})
	}
	s.mu.Unlock()
	s.signal()
}

// Register returns the simulated module's register value at addr.
func (s *Scanner) Register(addr byte) byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.register[addr]
}

var _ Device = (*Scanner)(nil)
