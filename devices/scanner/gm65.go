package scanner

import (
	"errors"
	"fmt"
	"io"
)

// GM65 sends host commands to Grow GM65/GM805/GM861 scan modules (common
// in Chinese kiosks, 9600 8N1 by default). Commands are
// 7E 00 Type Len AddrHi AddrLo Data CRC16, the CRC being CRC-16/XMODEM over
// Type..Data; the module answers 02 00 00 Len Data CRC16.
//
// Register 0x0000 holds the working mode, illumination, aimer, read beep
// and LED; GM65 keeps the kiosk's wanted value of it and writes it whole,
// so switching one setting never needs a read in the middle of scans.
// Settings are written to RAM: a power cycle restores the module's saved
// ones.
type GM65 struct {
	W io.Writer
	// Setting is the register 0x0000 value the kiosk wants; use
	// GM65CommandMode as a starting point.
	Setting byte
}

// GM65 register 0x0000 bits (devices.md §4; confirm on the module).
const (
	GM65ModeManual     byte = 0x00
	GM65ModeCommand    byte = 0x01
	GM65ModeContinuous byte = 0x02
	GM65ModeSensor     byte = 0x03
	gm65ModeMask       byte = 0x03

	GM65LightStandard byte = 0x04 // illumination while scanning
	GM65LightOn       byte = 0x08 // illumination always on
	gm65LightMask     byte = 0x0C

	GM65AimerStandard byte = 0x10
	gm65AimerMask     byte = 0x30

	GM65ReadBeep     byte = 0x40
	GM65LEDOnSuccess byte = 0x80
)

// GM65CommandMode is a register 0x0000 value for a kiosk: scan on the
// host's trigger command, illumination and aimer while scanning, beep and
// LED on a good read.
const GM65CommandMode = GM65ModeCommand | GM65LightStandard | GM65AimerStandard | GM65ReadBeep | GM65LEDOnSuccess

// GM65 command types.
const (
	gm65Read  = 0x07
	gm65Write = 0x08
)

// GM65Command builds a command frame of type typ (07 read, 08 write,
// 09 save) for register addr.
func GM65Command(typ byte, addr uint16, data ...byte) []byte {
	body := append([]byte{typ, byte(len(data)), byte(addr >> 8), byte(addr)}, data...)
	crc := CRC16XModem(body)
	frame := append([]byte{0x7E, 0x00}, body...)
	return append(frame, byte(crc>>8), byte(crc))
}

// CRC16XModem is CRC-16/XMODEM (polynomial 0x1021, initial value 0).
func CRC16XModem(p []byte) uint16 {
	var crc uint16
	for _, b := range p {
		crc ^= uint16(b) << 8
		for i := 0; i < 8; i++ {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// Trigger starts a scan (write 01 to register 0x0002).
func (g *GM65) Trigger() error { return writeAll(g.W, GM65Command(gm65Write, 0x0002, 0x01)) }

// SetIllumination switches the illumination between "while scanning" and
// off.
func (g *GM65) SetIllumination(on bool) error {
	g.Setting &^= gm65LightMask
	if on {
		g.Setting |= GM65LightStandard
	}
	return g.writeSetting()
}

// SetReadBeep switches the beep on a good read.
func (g *GM65) SetReadBeep(on bool) error {
	if on {
		g.Setting |= GM65ReadBeep
	} else {
		g.Setting &^= GM65ReadBeep
	}
	return g.writeSetting()
}

func (g *GM65) writeSetting() error {
	return writeAll(g.W, GM65Command(gm65Write, 0x0000, g.Setting))
}

var (
	_ Triggerer      = (*GM65)(nil)
	_ Illuminator    = (*GM65)(nil)
	_ ReadBeepSwitch = (*GM65)(nil)
)

// ErrNoAnswer reports a device that did not answer a probe as expected.
var ErrNoAnswer = errors.New("scanner did not answer")

// ProbeGM65 asks a GM65-family module for register 0x0000 and checks the
// answer's frame and CRC, confirming a live module on rw. rw should have
// a read timeout (a serial port opened with one); stray code bytes before
// the answer are skipped, up to a limit.
func ProbeGM65(rw io.ReadWriter) error {
	if err := writeAll(rw, GM65Command(gm65Read, 0x0000, 0x01)); err != nil {
		return err
	}
	const limit = 256
	var got []byte
	buf := make([]byte, 64)
	for len(got) < limit {
		n, err := rw.Read(buf)
		got = append(got, buf[:n]...)
		if i := findGM65Reply(got); i >= 0 {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrNoAnswer, err)
		}
	}
	return fmt.Errorf("%w: %d bytes without a register reply", ErrNoAnswer, len(got))
}

// findGM65Reply returns where a valid 02 00 00 01 vv CRC reply starts in
// p, or -1.
func findGM65Reply(p []byte) int {
	for i := 0; i+7 <= len(p); i++ {
		if p[i] != 0x02 || p[i+1] != 0x00 || p[i+2] != 0x00 || p[i+3] != 0x01 {
			continue
		}
		crc := CRC16XModem(p[i+2 : i+5])
		if p[i+5] == byte(crc>>8) && p[i+6] == byte(crc) {
			return i
		}
	}
	return -1
}

// GM65Reply builds the module's answer carrying value (for simulators).
func GM65Reply(value byte) []byte {
	crc := CRC16XModem([]byte{0x00, 0x01, value})
	return []byte{0x02, 0x00, 0x00, 0x01, value, byte(crc >> 8), byte(crc)}
}
