// Package hardware adapts the drivers in devices/* to the kiosk's interfaces: ID cards become identities, receipts become ESC/POS jobs, and a device manager publishes device status.
package hardware
