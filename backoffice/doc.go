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
// # Logging
//
// Requests are logged with the route pattern, the terminal, the status and
// a reason code: never a body, an ID number, a name or a query string.
package backoffice
