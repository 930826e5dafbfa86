package api

// ErrorBody is the body of every non-2xx answer.
type ErrorBody struct {
	Error Problem `json:"error"`
}

// Problem says what went wrong in plain words, without personal data.
type Problem struct {
	Code      string `json:"code"`      // stable, machine-readable, e.g. "token-used"
	Message   string `json:"message"`   // plain words for staff and logs
	Retryable bool   `json:"retryable"` // whether sending the same request later can succeed
}

// Problem codes.
const (
	CodeMalformed        = "malformed"     // the body is not the JSON this endpoint takes
	CodeUnknownField     = "unknown-field" // the body has a field this endpoint does not know
	CodeTooLarge         = "too-large"     // the body or batch is over the limit
	CodeMissingKey       = "missing-idempotency-key"
	CodeKeyReused        = "idempotency-key-reused" // same key, different body
	CodeUnauthenticated  = "unauthenticated"        // no client certificate (or dev header)
	CodeWrongTerminal    = "wrong-terminal"         // the certificate belongs to another terminal
	CodeCertReplaced     = "certificate-replaced"   // an older certificate of a re-enrolled terminal
	CodeTokenUnknown     = "token-unknown"
	CodeTokenUsed        = "token-used"
	CodeTokenExpired     = "token-expired"
	CodeBadCSR           = "bad-csr"
	CodeAlreadyEnrolled  = "already-enrolled" // the token is for a terminal enrolled already; re-enrol explicitly
	CodeCenterChange     = "center-change"    // the token would move an enrolled terminal to another center
	CodeNotFound         = "not-found"
	CodeSlotFull         = "slot-full"
	CodeAlreadyCancelled = "already-cancelled"
	CodePlaceClosed      = "place-closed"      // the appointment's place is closed for now
	CodeUnavailable      = "unavailable"       // the server cannot serve now (store down, no CA)
	CodeWrongCenter      = "wrong-center"      // a center other than the terminal's own
	CodeTooMany          = "too-many-requests" // over the terminal's rate; Retry-After says when
	CodeInternal         = "internal"
	CodeNotIdentified    = "not-identified" // no live identification event for this resident at this terminal
	CodeRateLimited      = "rate-limited"   // too many lookups from this terminal; wait
	CodeUnverified       = "identity-unverified"
	CodeNotConnected     = "not-connected"          // the item's query or document is not connected at this center
	CodeNoRecord         = "no-record"              // the department has no record of this resident for the item
	CodeDepartmentDown   = "department-unavailable" // the department's service failed; try later or go to the counter
)
