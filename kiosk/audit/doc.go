// Package audit is the terminal's append-only audit log, hash-chained with
// SM3 so that an altered, deleted, inserted or reordered entry is found.
//
// The log is a text file, one entry per line:
//
//	<sm3 hex of (previous entry's hash ‖ json)> <json>
//
// where json holds the sequence number, time, kind, actor, reference, detail
// and the previous entry's hash. The first entry chains from 32 zero bytes.
// Each Append writes one line and fsyncs before it returns.
//
// Entries name what happened and to which submission (by ID or receipt
// number), never to whom: Append refuses fields that look like an ID card
// or mobile phone number.
//
// What the chain does not do alone: anyone who can rewrite the file can also
// recompute every hash after a change, or cut entries off the end. Verify
// reports the head (last sequence number and hash); shipping it to the back
// office with each heartbeat, or an SM2-signed checkpoint (DESIGN §6,
// reference note: hourly), anchors the chain against that. Neither is built
// here yet.
package audit
