package api

import (
	"crypto/subtle"
	"strings"
)

// ProgressKeyParam names the query parameter that carries a submission's
// progress key: GET /v1/receipts/{receipt}?k=… and the console's public
// progress page …/q/{receipt}?k=….
const ProgressKeyParam = "k"

// ProgressKey is the secret that lets whoever holds the receipt see the
// submission's progress; the receipt number alone, which is sequential,
// shows nothing. It is the random part of the submission's client ID (a
// UUIDv7 drawn from crypto/rand: the last 16 hex digits hold 62 random
// bits), so both ends know it without a field of its own: the terminal
// prints it in the receipt's QR code, the back office compares it with the
// stored client ID. "" when clientID is not a 36-character UUID.
func ProgressKey(clientID string) string {
	if len(clientID) != 36 {
		return ""
	}
	hex := strings.ReplaceAll(clientID, "-", "")
	if len(hex) != 32 {
		return ""
	}
	return strings.ToLower(hex[16:])
}

// ProgressKeyMatches reports, in constant time, whether key is the progress
// key of the submission with clientID.
func ProgressKeyMatches(clientID, key string) bool {
	want := ProgressKey(clientID)
	return want != "" && subtle.ConstantTimeCompare([]byte(want), []byte(strings.ToLower(key))) == 1
}
