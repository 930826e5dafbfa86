// Package console is the back office's web console for people: center
// staff work what residents submitted (受理 → 办理中 → 办结, 退回, 需补件)
// and call counter tickets, import their center's department records
// (CSV, with backoffice/connector's parser and its report of bad rows),
// directors read their center's reports and keep
// its staff accounts, city operators run the fleet (heartbeats, alarms,
// enrolment, revocation, bundles) and auditors read the audit trail.
//
// Pages are server-rendered with html/template from embedded files, in
// Chinese and English, with no script: they work on a counter PC and a
// tablet alike. The console is served on the back office's TLS listener
// ([Mount]) beside the terminal API: its routes use password sessions, the
// API's client certificates.
//
// # Security
//
// Passwords are hashed with argon2id. Ten wrong passwords in a row lock an
// account for a while, and a remote address that keeps failing is slowed
// down. The session cookie is Secure, HttpOnly and SameSite=Strict, holds
// a random token whose hash alone is stored, and dies after an idle
// timeout or at log-out. Every form carries a CSRF token bound to the
// session; a POST without it is refused. Every action is written to the
// store's append-only audit trail: who, what, when and from where.
//
// Lists show names and ID numbers masked (6+4). The detail page of a
// submission, with the whole form and the signature, is shown only to
// staff of the submission's center; anyone else gets 403. Logs carry the
// route pattern and status, never a query string or a form value.
package console
