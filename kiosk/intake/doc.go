// Package intake accepts a resident's submission for the terminal: the one
// path from 确认签名 to 已受理.
//
// # Order
//
// Accept does three things, in this order, off the UI goroutine:
//
//  1. the queue stores the submission durably, assigning its client ID
//     (UUIDv7) and local receipt number in the same transaction;
//  2. the audit log records that it was accepted;
//  3. the uplink sends this very submission and waits for the back
//     office's answer no longer than the caller's context (bounded again
//     by Config.Wait).
//
// Only step 1 decides whether the submission was accepted: once it is
// durable, an audit or network failure leaves it accepted and queued,
// and the background drain sends it later. A back office that refuses the
// content at once is the exception the resident must hear about: the
// submission is quarantined for staff and Accept returns a kiosk.Error of
// KindInvalid in plain words.
package intake
