// Package scanner reads codes from a serial QR/barcode scanner: framing by suffix or idle gap, decoding, duplicate suppression, and host commands.
package scanner
