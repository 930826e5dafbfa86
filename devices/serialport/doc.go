// Package serialport opens serial ports and lists them with their USB
// identity. It is the only importer of go.bug.st/serial.
//
// # Listing and matching
//
// [List] returns every serial port the system knows with its USB vendor
// and product IDs, serial number and physical USB path. A [Match] picks a
// configured device out of that list by VID/PID, narrowed by serial number
// or physical path when two devices share an ID (two CH340 adapters, say).
// IDs compare case-insensitively: Linux reports "1a86", Windows "1A86".
// Pseudo-terminals are never listed; configure them by path.
//
// # Opening
//
// [Open] returns a [Conn] in raw mode. It has read deadlines like a
// net.Conn ([Conn.SetReadDeadline]): a Read that sees no byte by the
// deadline returns an error for which errors.Is(err, os.ErrDeadlineExceeded)
// holds (instead of the library's (0, nil)), and after the port is
// unplugged or closed Read returns an error for which errors.Is(err,
// os.ErrClosed) holds, so drivers can tell silence from loss. Drivers read
// in their caller's goroutine with a deadline; none keeps a reader
// goroutine of its own.
package serialport
