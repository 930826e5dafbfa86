// Package simulation is the surroundings of a terminal on a developer's
// machine: simulated devices speaking their real byte protocols on
// pseudo-terminals, and an in-process back office on loopback (on its
// embedded store). It is what `make run`, `-simulate` and the end-to-end
// tests use, so the terminal drives its simulators through the same drivers
// and serial code as real hardware and syncs over real HTTP.
//
// The production kiosk binary does not link this package: cmd/kiosk
// imports it only when built with `-tags sim`, so a terminal whose
// configuration says simulate without such a build refuses to start
// rather than failing open onto fake devices.
package simulation
