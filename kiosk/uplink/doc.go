// Package uplink is the terminal's client of the back office: it drains the queue in batches, sends heartbeats and alarms, and installs signed catalog bundles.
package uplink
