package outbox

import (
	"io"
	"log/slog"
	"time"
)

// Options configure an Outbox. Key (or Epochs) is required; every other field has a
// default suited to a kiosk.
type Options struct {
	// Key is the terminal key (16 bytes, SM4) that wraps each record's data
	// key. It lives in its own file outside the database: see LoadOrCreateKey.
	Key []byte

	// Epochs, when set, holds the keys by epoch that wrap new records'
	// data keys instead of Key (kiosk/keystore.Dir); Purge shreds an epoch
	// once nothing under it is waiting. Key may then be nil, or the old
	// terminal key while records sealed under it remain.
	Epochs EpochKeys

	// Now is the clock; nil means time.Now.
	Now func() time.Time

	// Logger receives operational messages; never personal data. Nil discards.
	Logger *slog.Logger

	// QuotaBytes caps the database file. New submissions are refused once
	// the space in use would pass QuotaFill of it, so acknowledgements and
	// purges always have room. Zero means DefaultQuotaBytes.
	QuotaBytes int64

	// Retention is the short grace an acknowledged submission keeps its
	// personal data before Purge shreds it (issue 19 item 3: minutes, not
	// days; the receipt numbers and state stay for reprint and progress).
	// Zero means DefaultRetention; a negative value purges at once. It is also the safety interval against a back
	// office restored from an older backup: what was acknowledged since
	// that backup can be sent again only while it is still held here
	// (ResendAcknowledged), so it must outlast the back office's backup
	// interval.
	Retention time.Duration

	// ReserveBytes is the disk space kept in a reserve file beside the
	// queue, given up when the disk fills so that acknowledgements and
	// purges can still be written. Zero means DefaultReserveBytes; negative,
	// no reserve.
	ReserveBytes int64

	// LockTimeout is how long Open waits for another process (another
	// kiosk, kioskctl) to release the file. Zero means DefaultLockTimeout.
	LockTimeout time.Duration
}

// Defaults.
const (
	DefaultQuotaBytes   = 1 << 30 // 1 GiB
	DefaultRetention    = 15 * time.Minute
	DefaultLockTimeout  = 2 * time.Second
	DefaultReserveBytes = 4 << 20
	// QuotaFill is the share of QuotaBytes (in percent) new submissions may
	// fill; the rest is headroom for state changes and purges.
	QuotaFill = 90
	// minQuotaBytes keeps the quota above what an empty queue needs.
	minQuotaBytes = 1 << 20
)

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.QuotaBytes == 0 {
		o.QuotaBytes = DefaultQuotaBytes
	}
	if o.QuotaBytes < minQuotaBytes {
		o.QuotaBytes = minQuotaBytes
	}
	if o.Retention == 0 {
		o.Retention = DefaultRetention
	}
	if o.ReserveBytes == 0 {
		o.ReserveBytes = DefaultReserveBytes
	}
	if o.LockTimeout == 0 {
		o.LockTimeout = DefaultLockTimeout
	}
	return o
}
