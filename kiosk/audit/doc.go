// Package audit is the terminal's append-only audit log: each entry sealed
// with HMAC-SM3 under the terminal's audit key and chained to the one
// before, so that an altered, deleted, inserted, reordered or forged entry
// is found; and its head anchored at the back office, so that a cut tail
// or a rewritten history is found too.
//
// The log is a text file, one entry per line:
//
//	<hex of HMAC-SM3(key, previous entry's hash ‖ json)> <json>
//
// where json holds the sequence number, time, kind, actor, reference,
// detail, the previous entry's hash and "mac":"hmac-sm3". The first entry
// chains from 32 zero bytes. Each Append writes one line and fsyncs before
// it returns.
//
// # Keys and the old unkeyed chain
//
// The kiosk opens the log with OpenWith and the audit key from the
// terminal's key store (kiosk/terminal keeps it beside the queue key, in
// the same store). Logs written before keying carry no "mac" field and
// are chained with plain SM3, which anyone can recompute. Such a log is
// read as before and continued keyed: the change is recorded as an
// audit.keyed entry, the first one sealed. VerifyWith given the key checks
// every seal, and calls any unsealed entry after the first sealed one (or a
// log with no sealed entry at all) "unsealed": written without the key.
// Without the key, Verify checks links and order only and counts the seals
// it could not check.
//
// # Anchors
//
// Log.Head is the last entry's (sequence, hash). The terminal sends it with
// every heartbeat and every sync, signed with its SM2 key (SM3 digest; the
// key that signs its sealed submissions, vouched for by its certificate):
// an audit checkpoint the back office checks and keeps, so the terminal
// cannot later deny a head it sent. The back office keeps, per terminal,
// each (sequence, head) it was sent, and raises an alarm when
//   - a terminal reports a sequence lower than the highest it reported
//     before (its chain went backwards: a cut tail, a restored older copy,
//     entries removed and the rest re-chained), or
//   - a terminal reports a head for a sequence it already reported with
//     another head (a fork: two histories for the same entry).
//
// What the back office cannot see: a later head that does not extend the
// one anchored. It holds hashes, not entries, so when a terminal jumps from
// (100, h) to (140, h') it cannot tell whether entry 100 under h' is still
// h. That is found where the log is: the kiosk, told the anchor held
// before by its first heartbeat answer of each run, verifies its log
// against it and raises audit-rewritten if the log no longer holds it (a
// log rewritten while the kiosk was stopped); and VerifyWith with the
// anchor (kioskctl
// audit verify --anchor SEQ:HEAD; the anchor is typed or pasted from the
// back office's audit alarm or `backoffice --audit-anchor TERMINAL`, not
// fetched by kioskctl) reports the anchored entry missing
// (truncated), different with tampering in the log (rewritten), or
// different in a whole chain (forked: another branch, such as an older copy
// restored and continued, or a re-chaining by someone holding the key).
// Anything written after the last anchor and removed before the next
// heartbeat is not seen by anyone: heartbeats go every 15 s.
//
// Deleting the audit key as well as rewriting the log unkeyed makes the
// next start look like the first migration: only the anchor shows it.
//
// What the key does and does not protect: whoever lacks the key cannot
// forge or re-chain entries that verify; whoever holds it (root on a
// terminal whose key store is a file) can, but still cannot go back on
// what the back office anchored.
//
// A kiosk starting with a key that existed before and finding its log's
// last entry unsealed does not take it for an old log to migrate: it
// records, sealed, that the log was rewritten without the key (Finding),
// raises audit-rewritten, and Verify reports it.
//
// Several processes may append (the kiosk, and kioskctl recording a
// technician's action): each Append takes an flock on the file and, if
// the file grew meanwhile, continues the chain from its end.
//
// Entries name what happened and to which submission (by ID or receipt
// number), never to whom: Append refuses fields that look like an ID card
// or mobile phone number.
package audit
