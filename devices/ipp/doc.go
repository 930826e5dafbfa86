// Package ipp prints documents to a CUPS queue (or any IPP printer) over
// the Internet Printing Protocol, and follows the job and the printer.
//
// # Encoding
//
// A [Message] is one IPP request or response (RFC 8010 §3): version,
// operation or status code, request ID, attribute groups, and the
// document data that follows them. [Message.MarshalBinary] and [Decode]
// turn it into bytes and back. Decode reads bytes from the network, so it
// checks every length against what is there and never panics; it is
// fuzzed. Collections (RFC 8010 §3.1.6) are kept as the flat list of
// values they are on the wire; the client never needs to look inside.
//
// # Client
//
// A [Client] speaks to one queue of one server over HTTP (IPP's transport,
// RFC 8010 §4) with the caller's context on every request, so a scheduler
// that does not answer costs a deadline, not a hang: Print-Job (RFC 8011
// §4.2.1), Get-Job-Attributes (§4.3.4), Get-Printer-Attributes (§4.2.5)
// and Cancel-Job (§4.3.3). A [Job] and a [Printer] carry the states and
// state reasons (RFC 8011 §5.3.7, §5.4.12) that the terminal turns into
// device status; the package knows printers, never residents.
//
// # Why not a library
//
// The module proxy serves github.com/phin1x/go-ipp v1.6.1, but its
// requests take no context (a hung scheduler blocks the caller for ever),
// its HTTP adapter turns off TLS certificate checks, and its decoder reads
// value lengths as signed 16-bit numbers and ignores short reads, so a
// malformed answer panics or decodes as empty strings. What the terminal
// needs of IPP is four operations and a few attributes, written here.
//
// # Tests
//
// Package cupstest starts a private CUPS scheduler on loopback for tests.
package ipp
