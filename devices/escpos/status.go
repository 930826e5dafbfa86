package escpos

import (
	"errors"
	"fmt"
)

// ErrNotStatus is returned for a byte that cannot be a DLE EOT answer: its
// fixed bits (bit 1 and bit 4 set, bit 0 and bit 7 clear) are wrong.
var ErrNotStatus = errors.New("escpos: byte is not a real-time status answer")

// Status is a printer's real-time status, from the answers to DLE EOT 1..4.
type Status struct {
	Online          bool // n=1 bit 3 clear
	CoverOpen       bool // n=2 bit 2
	FeedButton      bool // n=2 bit 3: paper being fed by the FEED button
	StoppedNoPaper  bool // n=2 bit 5: printing stopped by paper end
	Error           bool // n=2 bit 6: an error occurred
	MechanicalError bool // n=3 bit 2: recoverable error (e.g. jam)
	CutterError     bool // n=3 bit 3
	Unrecoverable   bool // n=3 bit 5
	AutoRecoverable bool // n=3 bit 6: head too hot, recovers by itself
	PaperNearEnd    bool // n=4 bits 2-3
	PaperOut        bool // n=4 bits 5-6, or n=2 bit 5
}

// Status request commands and the fixed bits of their answers.
const (
	StatusPrinter  = 1 // DLE EOT 1: printer status
	StatusOffline  = 2 // DLE EOT 2: offline cause
	StatusError    = 3 // DLE EOT 3: error cause
	StatusPaper    = 4 // DLE EOT 4: roll paper sensor
	statusFixed    = 0x12
	statusFixedMsk = 0x93
)

// StatusRequest returns the bytes asking for status n (1..4).
func StatusRequest(n int) []byte { return []byte{DLE, EOT, byte(n)} }

// ValidStatusByte reports whether b has the fixed bits of a DLE EOT answer.
func ValidStatusByte(b byte) bool { return b&statusFixedMsk == statusFixed }

// DecodeStatus decodes the answers to DLE EOT 1, 2, 3 and 4, in that order.
func DecodeStatus(answers [4]byte) (Status, error) {
	for i, b := range answers {
		if !ValidStatusByte(b) {
			return Status{}, fmt.Errorf("%w: answer to DLE EOT %d was %#02x", ErrNotStatus, i+1, b)
		}
	}
	p, off, er, pa := answers[0], answers[1], answers[2], answers[3]
	return Status{
		Online:          p&0x08 == 0,
		CoverOpen:       off&0x04 != 0,
		FeedButton:      off&0x08 != 0,
		StoppedNoPaper:  off&0x20 != 0,
		Error:           off&0x40 != 0,
		MechanicalError: er&0x04 != 0,
		CutterError:     er&0x08 != 0,
		Unrecoverable:   er&0x20 != 0,
		AutoRecoverable: er&0x40 != 0,
		PaperNearEnd:    pa&0x0C != 0,
		PaperOut:        pa&0x60 != 0 || off&0x20 != 0,
	}, nil
}

// Answers encodes s as a printer answers DLE EOT 1..4. It is the inverse of
// DecodeStatus, for simulators and tests.
func (s Status) Answers() [4]byte {
	a := [4]byte{statusFixed, statusFixed, statusFixed, statusFixed}
	set := func(i int, bit byte, on bool) {
		if on {
			a[i] |= bit
		}
	}
	set(0, 0x08, !s.Online)
	set(1, 0x04, s.CoverOpen)
	set(1, 0x08, s.FeedButton)
	set(1, 0x20, s.StoppedNoPaper)
	set(1, 0x40, s.Error)
	set(2, 0x04, s.MechanicalError)
	set(2, 0x08, s.CutterError)
	set(2, 0x20, s.Unrecoverable)
	set(2, 0x40, s.AutoRecoverable)
	set(3, 0x0C, s.PaperNearEnd)
	set(3, 0x60, s.PaperOut)
	return a
}

// Ready reports whether the printer can print now: online, cover closed,
// paper in, no error.
func (s Status) Ready() bool {
	return s.Online && !s.CoverOpen && !s.PaperOut && !s.CutterError && !s.Unrecoverable && !s.MechanicalError
}

// String describes s in a few words for logs.
func (s Status) String() string {
	var parts []string
	add := func(on bool, word string) {
		if on {
			parts = append(parts, word)
		}
	}
	add(s.Online, "online")
	add(!s.Online, "offline")
	add(s.CoverOpen, "cover open")
	add(s.PaperOut, "paper out")
	add(s.PaperNearEnd && !s.PaperOut, "paper near end")
	add(s.CutterError, "cutter error")
	add(s.MechanicalError, "mechanical error")
	add(s.Unrecoverable, "unrecoverable error")
	add(s.AutoRecoverable, "overheated")
	out := parts[0]
	for _, p := range parts[1:] {
		out += ", " + p
	}
	return out
}
