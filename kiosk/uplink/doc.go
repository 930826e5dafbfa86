// Package uplink is the terminal's client of the back office. It drains the
// offline queue in batches, sends heartbeats (with the device states and,
// like every batch, the audit chain's head for the back office to anchor) and
// alarms, polls for signed catalog and configuration bundles and installs
// them atomically, answers progress queries by receipt number, and enrols
// the terminal (a single-use token and a CSR for a key made here) so that
// everything else runs over mutual TLS.
//
// Enrolment survives a power cut anywhere: the key is on disk before the
// token leaves and is reused until an answer is in place, the answer is
// written whole before any identity file is replaced, and the back office
// answers the same token and key with the same certificate (enrolment.go).
//
// # One loop
//
// Client.Run is one loop over four jobs (heartbeat, alarms, bundle polls,
// drain attempts), each on its own schedule with its own backoff and in
// its own goroutine, so an upload that fails or hangs stops no heartbeat
// or alarm. Every request reports whether the back office answered
// (Config.Reachable). Client.Send uploads one given submission at once,
// for the receipt of a resident who is still at the screen.
//
// # Delivery
//
// Submissions are delivered effectively once: at-least-once sending, with
// an Idempotency-Key per batch and the back office's permanent unique key on
// (terminal, client ID). When "the server committed but the answer was
// lost", the items go back to the queue (Queue.Release) and the next send
// gets them back as duplicates with their original receipt numbers.
// Per-item outcomes: accepted or duplicate → Queue.Acknowledge; a permanent
// rejection → Queue.Quarantine (staff see it; nothing is dropped); a
// retryable one → Queue.Release. A whole batch refused as malformed is
// re-sent one item at a time so a single poison item cannot block the queue.
//
// Transient failures (network, 5xx, 429) are retried forever with
// full-jitter exponential backoff from 1 s to 5 min; the clock and the
// random source are injected, so tests do not sleep.
//
// # Clock skew
//
// Nothing here trusts the terminal's clock for correctness: receipt numbers
// and acceptance times come from the server, bundles are ordered by
// version, backoff uses durations. The server's time comes back with each
// heartbeat; the measured skew is logged and used when checking the
// server's certificate, which is pinned to the back office CA, so a
// terminal whose clock is wrong still connects (see [Identity.TLSConfig]).
//
// # Queries and documents
//
// [Client] implements kiosk.Departments: [Client.Query] and
// [Client.Document] ask the back office, which answers from the department
// service connected for the item at this terminal's center, for the
// resident whose identification event the visit holds. [Client.Connected]
// is what each heartbeat's answer says is connected at this center;
// Config.OnConnected hears of changes. Nothing of an answer is kept here.
package uplink
