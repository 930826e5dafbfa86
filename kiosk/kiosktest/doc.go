// Package kiosktest holds hand-written fakes of the kiosk's interfaces for
// tests: a clock that moves only when told, a card reader, a queue and a
// printer that record what they were given, and synthetic residents.
package kiosktest
