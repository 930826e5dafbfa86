// Package scanner reads codes from a serial QR/barcode scanner: framing by
// suffix or idle gap, decoding, duplicate suppression, and host commands.
//
// # Framing
//
// A scanner in serial mode sends each decoded code followed by a suffix,
// usually CR, sometimes CR LF, LF or TAB. A [Framer] cuts the byte stream
// at that suffix; for content that itself holds line breaks the scanner
// can instead be framed by an idle gap (no byte for, say, 50 ms), which
// [Scanner] measures with the port's read deadline, reading in the
// caller's goroutine. A code longer than the maximum length
// is dropped up to its end and reported as [ErrTooLong], so one bad read
// never swallows the next code. Control characters other than TAB, CR and
// LF (NUL, STX/ETX, XON/XOFF, ESC…) are removed, and CR, LF and TAB are
// trimmed from both ends.
//
// # Decoding
//
// QR codes carry raw bytes: UTF-8 from most generators, GBK/GB18030 from
// older Chinese ones. [Decode] keeps valid UTF-8 as is and decodes
// anything else as GB18030; bytes that are neither are [ErrUndecodable].
// With AIM identifiers switched on in the scanner, the "]Q1"-style prefix
// is split off into [Scan.Symbology].
//
// # Probe
//
// [ProbeGM65] confirms a GM65-family module by a register read, so the
// device manager can tell a live scanner from a silent port.
package scanner
