// Package faultproxy is a TCP proxy on loopback for tests that puts the
// faults of a bad network and a dying server between an HTTP client and
// its server: added latency, a trickle of a few bytes a second, a reset in
// the middle of a request or of an answer, an answer withheld after the
// server committed (the client times out), and the server killed while a
// request reaches it.
//
// It reads each HTTP/1.1 request and answer whole (keep-alive connections
// carry several; the Go client does not pipeline), and draws one fault per
// request from a generator seeded by Config.Seed: the same seed gives the
// same sequence of faults. Which request meets which fault depends on the
// timing of concurrent requests, so a replay is close, not identical.
//
// Only tests import it.
package faultproxy
