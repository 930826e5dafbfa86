package kiosk

// Accepted is what the terminal's intake returns once a resident's
// submission is durable in the offline queue: the identifiers it was
// stored under and, when the back office answered within the wait, the
// official receipt number.
type Accepted struct {
	ID           string // client-generated UUIDv7, assigned in the queue's transaction
	LocalReceipt string // terminal code + date + sequence, assigned in the same transaction
	Official     string // the back office's receipt number; empty while only queued
	Queued       bool   // the back office has not confirmed this submission yet
}
