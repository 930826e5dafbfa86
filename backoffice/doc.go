// Package backoffice is the reference back-office server that terminals
// sync to: enrolment with a single-use token and mutual TLS afterwards,
// idempotent batch upload of submissions with per-item results and official
// receipt numbers, status by receipt number, signed catalog and
// configuration bundles, heartbeats and alarms, counter tickets,
// appointment slots and the e-licence lookup (证照免交).
//
// [New] returns the HTTP handler over a [store.Store]; [Serve] runs it
// with TLS (or, for development, plain HTTP on loopback only) and
// [ListenLocal] starts one in-process on a loopback port with an embedded
// store, so a kiosk can run against it with no set-up. The API is written
// down in package api (OpenAPI 3, served at GET /openapi.json); a test keeps
// the document and the routes in step.
//
// # Identity
//
// Under mutual TLS a terminal is the common name of its client certificate,
// issued by [CA] at enrolment; the certificate must be the one most recently
// issued to that terminal (re-enrolment revokes the old one). In dev mode
// (Options.InsecureDev) the X-Tongban-Terminal header is trusted instead.
//
// # Audit anchors
//
// Every heartbeat and batch carries the head (sequence, hash) of the
// terminal's audit chain (kiosk/audit), signed with the terminal's SM2 key
// when its certificate carries one (an audit checkpoint: required then,
// checked, and kept with the anchor). The back office keeps each head it
// is sent and raises audit-rollback when a terminal reports a sequence
// below the highest it anchored, and audit-fork when a sequence comes again
// with another head; each alarm names the anchor for
// `kioskctl audit verify --anchor SEQ:HEAD`, and `backoffice --audit-anchor
// TERMINAL` prints it. A later head that does not extend the anchored one
// cannot be seen here (the back office holds hashes, not entries): each
// heartbeat answer carries the anchor held before it, and the terminal
// checks once a run that its log still holds it (kioskctl audit verify
// --anchor does the same by hand). A bad head in a batch
// is logged and skipped, never a reason to refuse residents' submissions.

// # Queries and documents
//
// POST /v1/queries and POST /v1/documents answer an item's query or
// document for a resident identified at the terminal in this visit
// ([Server.IdentificationLive]), from the connector configured for the
// item at the terminal's center (Options.Connectors, backoffice/connector).
// Documents are rendered, signed and numbered by backoffice/document
// (Options.Documents, [NewDocumentIssuer]), their records kept in the
// store ([DocumentRecords]), their QR codes leading to the public
// verification pages under [VerifyPrefix] on the same listener. Three
// failures in a row of a connector at a center raise a connector-failing
// alarm, resolved by its next answer. Each heartbeat's answer lists what
// is connected at the terminal's center ([Server.Connected]): bundles are
// fleet-wide, the heartbeat is per terminal.
//
// # Logging
//
// Requests are logged with the route pattern, the terminal, the status and
// a reason code: never a body, an ID number, a name or a query string.
package backoffice
