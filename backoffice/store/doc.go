// Package store keeps the back office's data: enrolment tokens and
// terminals, submissions with their official receipt numbers, idempotent
// batch answers, heartbeats and alarms, signed bundles, counter tickets,
// appointment slots and the e-licence table; and what must survive a
// restart for trust: each terminal's audit chain anchors (AnchorAudit), the
// e-licence lookup log under keyed pseudonyms (RecordLookup, LookupsOf) and
// the used 随申码 token nonces until their tokens expire (UseNonce).
//
// [Store] is the interface the server uses. [DB] implements it with one set
// of SQL statements over database/sql, on SQLite through modernc.org/sqlite
// (no cgo; the default, embedded store) or on PostgreSQL through
// github.com/jackc/pgx/v5 (a city fleet, or a PostgreSQL-compatible
// distributed engine). The two differ only in a small dialect: column types
// and how the schema is locked while migrating. The same test suite runs
// against both.
//
// # Guarantees
//
//   - (terminal, client submission ID) is a permanent unique key: a replayed
//     submission gets its original official receipt number back, however
//     long the terminal was offline.
//   - A batch of submissions is saved in one transaction.
//   - An enrolment token is consumed at most once, atomically.
//   - Times are stored as UTC microseconds since the epoch.
//   - Personal data: submissions' payloads are stored as sent (a production
//     deployment encrypts the column or the volume); ID numbers used only
//     for lookup (appointments, licences) are stored as keyed hashes made by
//     the caller.
package store
