// Package serialport opens serial ports and lists them with their USB identity. It is the only importer of go.bug.st/serial.
package serialport
