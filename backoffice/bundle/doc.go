// Package bundle signs and verifies the versioned catalog and configuration
// bundles the back office distributes to terminals.
//
// A bundle is a JSON envelope: kind, version, creation time, the key ID, the
// payload (base64) and an Ed25519 signature over a domain-separated digest of
// all of them. A terminal accepts a bundle only if the signature verifies
// with a key it trusts, the kind is the one it asked for, and the version is
// newer than the one it has installed (versions come from the persisted
// state, never from the clock, so a terminal with a wrong clock still updates
// and a replayed old bundle is still refused).
//
// Ed25519 is from the standard library. An SM2 signer can be added beside it
// (gmsm may be imported here) when a 密评 assessor asks for one; the envelope
// names the algorithm so both can coexist.
package bundle
