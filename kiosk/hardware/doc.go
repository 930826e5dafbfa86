// Package hardware adapts the drivers in devices/* to the kiosk's
// interfaces: ID cards become identities, receipts (laid out by
// kiosk/receipt) become ESC/POS print jobs that can be reprinted, a
// scanner's codes become classified scan events, and a device manager
// publishes device status. ManagedPrinter and ManagedIDReader borrow their
// port from the manager for each job, so a replugged device is used again
// without a restart.
//
// # Device manager
//
// A [Manager] looks after each configured device ([DeviceSpec]): it finds
// the port (a fixed path, or a USB VID/PID through devices/serialport),
// opens it, confirms the device by speaking its protocol (the kind's
// [Probe] or [StatusProbe], wired by the caller), and then either polls it
// or hands the open port to a long-running reader ([DeviceSpec.Attach],
// for the scanner). When the device is lost it is closed and looked for
// again with a backoff, so unplugging and replugging recovers without a
// restart. Every change is published to subscribers as a [Snapshot]: the
// status of each device in the CEN/XFS and CUSS model (online, offline,
// no-device, hardware-error, user-error, busy; paper full/low/out/jammed),
// the back office's reachability, and the terminal state.
//
// Drivers use an online device through [Manager.Use], which serialises
// them with the manager's polling. They read it in their caller's
// goroutine with the port's read deadline (devices/serialport), so no
// reader is left behind on a port the manager lends to someone else next.
// [ManagedIDReader.WatchRemovals] watches a card that was read, with
// idcard.Watch on the manager's clock, until it is taken away.
//
// # Gating
//
// [Snapshot.Availability] tells whether a catalog item can be served now
// from what it needs (kiosk.Item.Needs), and if not, why, in plain words
// that point to the staffed counter. Items come back by themselves with
// the next snapshot once the device does.
package hardware
