// Package ssmtoken is the signed token a 随申码 or e-certificate QR code
// carries, as the back office's stand-in for the issuing platform checks it:
// the claims (kind, name, ID number, a single-use nonce, an expiry) signed
// with SM2 (SM3 digest).
//
// The real platform's format is not public; this one lets the terminal,
// the simulators and the back office agree, and lets tests forge every way
// a code can be wrong. Parse takes outside bytes and is fuzzed.
package ssmtoken
