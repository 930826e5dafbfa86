// Package kiosk holds the domain of a Tongban (通办) self-service terminal:
// the resident's identity as read from a card, the service items of the
// catalog and their form fields, submissions and receipts, device and
// terminal status, and the small interfaces the application needs from the
// outside world (card reader, printer, queue, back office, clock).
//
// It imports only the standard library. Implementations live in the
// subpackages named after what they wrap (outbox, uplink, hardware, ...),
// and everything is wired together in cmd/kiosk.
package kiosk
