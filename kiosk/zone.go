package kiosk

import "time"

// Shanghai is the terminals' local time (UTC+8, no daylight saving): what
// receipts, receipt numbers and screens show, whatever the machine's zone.
var Shanghai = time.FixedZone("CST", 8*3600)
