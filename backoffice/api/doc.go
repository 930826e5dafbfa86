// Package api holds the wire types of the back-office API and its OpenAPI 3
// document, shared by the server (package backoffice) and the terminal's
// client (package kiosk/uplink).
//
// # Conventions
//
// Payloads follow the data-exchange conventions of Shanghai's 一网通办
// community acceptance interface where they are known (reference/catalog.md
// §4 D): an applicant block (idtype, idno, fullname, sex "1"/"2", birthday,
// cellno, 户籍 and 居住 region codes), an affairs block (affairscode,
// affairsname, itemcode, suid, subtime, suborgancode) and form data whose
// display map is the human-readable copy the back office shows. A real
// integration is then a field mapping, not a rewrite.
//
// Every error answer is an [ErrorBody] with a stable code, a plain-words
// message and whether retrying can help. Request bodies are decoded
// strictly: unknown fields are refused.
//
// The OpenAPI document is embedded; [OpenAPIDocument] returns it and the
// server serves it at GET /openapi.json.
package api
