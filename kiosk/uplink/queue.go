package uplink

import "github.com/tongban/tongban/kiosk"

// Queue is what the uplink needs from the offline queue (kiosk/outbox).
type Queue interface {
	// NextBatch hands out up to max pending submissions, oldest first, and
	// marks them in flight so they are not handed out twice.
	NextBatch(max int) ([]kiosk.Submission, error)
	// Acknowledge records the back office's receipt number for a
	// submission; from then on it is acknowledged.
	Acknowledge(id, official string) error
	// Quarantine sets a permanently rejected submission aside for staff,
	// with the back office's reason. It is never sent again by itself.
	Quarantine(id, reason string) error
	// Release returns in-flight submissions to pending, to be sent again.
	Release(ids []string) error
	// Depth is the number of submissions not yet acknowledged.
	Depth() int
}
