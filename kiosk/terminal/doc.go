// Package terminal is the kiosk's application layer: it builds a terminal
// from its configuration — catalog, devices, audit log, offline queue,
// intake, uplink, staff desk and the resident session — owns every
// goroutine they need (device manager, uplink loop, daily purge on the
// injected clock, event forwarders, the catalog swap), and closes all of
// it, on every error path of New as in Close.
//
// cmd/kiosk is flags → config → terminal.New → screens; nothing else is
// wired there.
//
// # Simulation
//
// A terminal runs on real devices and its enrolled back office unless its
// configuration says simulate. Simulated surroundings come from
// Options.Simulate, which only a kiosk built with `-tags sim` sets (see
// kiosk/simulation); a production build refuses to start simulated
// rather than fall back to fake devices.
//
// # Catalog
//
// The catalog starts from the installed catalog bundle in the data folder
// (bundles/catalog.bundle), verified again against the bundle keys, or
// from the embedded one when there is none or it does not load (an alarm
// says so). A newer signed bundle that the uplink fetches is loaded first:
// one that does not load is refused with an alarm and not installed. A
// loaded one waits until the session is on the attract screen and then
// replaces the running catalog, so no visit sees two catalogs. A catalog
// bundle's payload is a zip archive of the services-catalog tree (see
// PackCatalog).
package terminal
