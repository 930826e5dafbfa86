// Package sim holds wire-level simulators of the terminal's devices: an ID
// card reader speaking the SAM frame protocol, an ESC/POS receipt printer
// that renders what it printed, and a QR scanner. Each answers byte for byte
// like the real device, with faults on demand, over any io.ReadWriter: an
// in-memory pipe in tests, a pseudo-terminal for `make run` and
// `kioskctl devsim`.
package sim
