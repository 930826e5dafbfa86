// Package backofficetest runs a real back office for other packages' tests:
// the embedded store, fresh keys, mutual TLS on a loopback port, stopped
// when the test ends. Tests of the terminal's side (enrolment, provisioning,
// sync) use it rather than each building one.
package backofficetest
