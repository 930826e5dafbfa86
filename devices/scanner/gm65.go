package scanner

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tongban/tongban/devices/serialport"
)

// GM65-family scan modules (Grow GM65/GM805/GM861, common in Chinese
// kiosks, 9600 8N1 by default) take commands 7E 00 Type Len AddrHi AddrLo
// Data CRC16, the CRC being CRC-16/XMODEM over Type..Data, and answer
// 02 00 00 Len Data CRC16. The kiosk uses a register read as the module's
// probe ([ProbeGM65]); the simulator in devices/sim answers it.

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

// gm65Read is the command type of a register read.
const gm65Read = 0x07

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

// ErrNoAnswer reports a device that did not answer a probe as expected.
var ErrNoAnswer = errors.New("scanner did not answer")

// probeWait bounds how long ProbeGM65 waits for the module's answer.
const probeWait = 500 * time.Millisecond

// ProbeGM65 asks a GM65-family module for register 0x0000 and checks the
// answer's frame and CRC, confirming a live module on rw. Stray code
// bytes before the answer are skipped, up to a limit. A module that has
// not answered within probeWait is not there.
func ProbeGM65(rw serialport.Line) error {
	if _, err := rw.Write(GM65Command(gm65Read, 0x0000, 0x01)); err != nil {
		return err
	}
	const limit = 256
	var got []byte
	buf := make([]byte, 64)
	deadline := time.Now().Add(probeWait)
	for len(got) < limit {
		n, err := serialport.ReadContext(context.Background(), rw, buf, deadline)
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
