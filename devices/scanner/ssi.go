package scanner

import "io"

// SSI sends host commands to Zebra/Symbol scanners speaking the Simple
// Serial Interface: packets of Len Op Src Status data… CkHi CkLo, where
// Len excludes the checksum and the checksum is the 16-bit two's
// complement of the byte sum. Decoded data arrives in length-delimited
// DECODE_DATA packets, which this package does not parse: set such a
// scanner to send raw data with a suffix, or frame by idle gap.
type SSI struct {
	W io.Writer
}

// SSI opcodes used here (devices.md §4).
const (
	ssiStartSession = 0xE4
	ssiStopSession  = 0xE5
	ssiBeep         = 0xE6
	ssiSourceHost   = 0x04
)

// SSIPacket builds one host→scanner packet.
func SSIPacket(op byte, data ...byte) []byte {
	p := make([]byte, 0, 6+len(data))
	p = append(p, byte(4+len(data)), op, ssiSourceHost, 0x00)
	p = append(p, data...)
	var sum uint16
	for _, b := range p {
		sum += uint16(b)
	}
	ck := -sum // two's complement
	return append(p, byte(ck>>8), byte(ck))
}

// Trigger starts a scan session.
func (s SSI) Trigger() error { return writeAll(s.W, SSIPacket(ssiStartSession)) }

// StopTrigger ends the scan session.
func (s SSI) StopTrigger() error { return writeAll(s.W, SSIPacket(ssiStopSession)) }

// Beep sounds beep code 0 (one short high beep).
func (s SSI) Beep() error { return writeAll(s.W, SSIPacket(ssiBeep, 0x00)) }

var (
	_ Triggerer      = SSI{}
	_ TriggerStopper = SSI{}
	_ Beeper         = SSI{}
)
