package api

// StaffCredential is one staff member's credential as the back office
// issues it and the signed configuration bundle carries it to the
// terminals of the member's centre. It holds no secret a terminal could
// give away: the badge's secret only as its SHA-256 (the secret is 128
// random bits, so no guessing reverses it) and the PIN only as its slow
// PBKDF2-SM3 hash (pbkdf2-sm3$ITER$SALT$HASH, as kiosk/staffdesk checks).
type StaffCredential struct {
	Number      string `json:"number"`       // staff number, on the badge and in every audit line
	Name        string `json:"name"`         // for the console only; terminals never show or log it
	Center      string `json:"center"`       // the centre whose terminals accept the badge
	BadgeSHA256 string `json:"badge_sha256"` // hex SHA-256 of the badge's secret
	PINHash     string `json:"pin_hash"`     // pbkdf2-sm3$ITER$SALT$HASH
	Revoked     bool   `json:"revoked,omitempty"`
}

// StaffRoster is the "staff" section of a configuration bundle's payload:
// the centre's credentials, the whole list each time, so a credential
// missing or revoked in the next bundle no longer opens the staff menu.
type StaffRoster struct {
	Staff []StaffCredential `json:"staff"`
}

// StaffBadgePrefix begins a staff badge's QR content:
// TBSTAFF1:<staff number>:<32 hex digits of the badge secret>.
const StaffBadgePrefix = "TBSTAFF1:"
