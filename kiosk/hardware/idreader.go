package hardware

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/tongban/tongban/devices/idcard"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/idnumber"
)

// TakeCardPrompt is what the kiosk says while a card is left on the reader.
var TakeCardPrompt = kiosk.Msg("identify.take_card")

// IDReaderOptions configure an IDReader. Zero fields take their defaults.
type IDReaderOptions struct {
	// Poll is the pause between looks for a card while waiting (300 ms).
	Poll time.Duration
	// Now gives today's date for the expiry check (time.Now).
	Now func() time.Time
	// Read chooses what is read besides text and photo. The appended
	// address is worth reading: it is the holder's current address.
	Read idcard.ReadOptions
	// Logger receives error kinds, never personal data (discarded when nil).
	Logger *slog.Logger
}

// IDReader is the kiosk's card reader: it implements kiosk.CardReader over
// the SAM reader driver and watches for cards placed and taken away.
type IDReader struct {
	reader *idcard.Reader
	opts   IDReaderOptions
	log    *slog.Logger
	mu     sync.Mutex // one find-select-read sequence at a time
}

var _ kiosk.CardReader = (*IDReader)(nil)

// maxLineRetries is how many damaged or missing replies in a row a read
// tolerates before it reports the device as faulty.
const maxLineRetries = 3

// NewIDReader adapts a driver to the kiosk.
func NewIDReader(r *idcard.Reader, opts IDReaderOptions) *IDReader {
	if opts.Poll <= 0 {
		opts.Poll = 300 * time.Millisecond
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &IDReader{reader: r, opts: opts, log: log}
}

// ReadCard waits for a card until ctx ends, reads it and checks it: the
// number's check digit, the birth date and sex against the number, and the
// expiry date. Every error is a *kiosk.Error with plain words.
func (a *IDReader) ReadCard(ctx context.Context) (kiosk.Identity, error) {
	const op = "hardware.IDReader.ReadCard"
	lineErrors := 0
	for {
		a.mu.Lock()
		card, err := a.reader.ReadCard(ctx, a.opts.Read)
		var sam idcard.SAMID
		var samErr error
		if err == nil {
			// The reader that read the card vouches for it: its SAM ID is
			// asked at each read, since a replugged reader may be another.
			sam, samErr = a.reader.SAMID(ctx)
		}
		a.mu.Unlock()
		if err == nil {
			id, err := a.check(card)
			switch {
			case err != nil:
			case samErr != nil:
				// The card is read: the visit goes on, but the back office
				// will not vouch for it (its queries stay greyed).
				a.log.Warn("id card reader: the SAM ID could not be read", "error", samErr.Error())
			default:
				id.ReaderSAM = sam.String()
			}
			return id, err
		}
		if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			// The wait ended before a card was read.
			return kiosk.Identity{}, cardError(op, fmt.Errorf("%w: %w", idcard.ErrNoCard, err))
		}
		switch {
		case errors.Is(err, idcard.ErrNoCard):
			lineErrors = 0
		case errors.Is(err, idcard.ErrFrame), errors.Is(err, idcard.ErrTimeout):
			lineErrors++
			a.log.Warn("id card reader: line error, retrying", "error", err.Error(), "in_a_row", lineErrors)
			if lineErrors >= maxLineRetries {
				return kiosk.Identity{}, cardError(op, err)
			}
			continue
		default:
			a.log.Warn("id card reader: read failed", "error", err.Error())
			return kiosk.Identity{}, cardError(op, err)
		}
		t := time.NewTimer(a.opts.Poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return kiosk.Identity{}, cardError(op, fmt.Errorf("%w: %w", idcard.ErrNoCard, ctx.Err()))
		case <-t.C:
		}
	}
}

// check converts and validates a card just read.
func (a *IDReader) check(card *idcard.Card) (kiosk.Identity, error) {
	id := Identity(card)
	if err := idnumber.CheckIdentity(id); err != nil {
		a.log.Warn("id card reader: card data failed its checks", "kind", kindName(err))
		return kiosk.Identity{}, &kiosk.Error{
			Op:      "hardware.IDReader.ReadCard",
			Kind:    kiosk.KindCardUnreadable,
			Message: kiosk.Msg("card.details_mismatch"),
			Err:     err,
		}
	}
	if err := idnumber.CheckExpiry(id, a.opts.Now()); err != nil {
		return kiosk.Identity{}, err
	}
	return id, nil
}

func kindName(err error) string {
	for _, e := range []error{idnumber.ErrFormat, idnumber.ErrCheckDigit, idnumber.ErrBirthDate, idnumber.ErrPrefix, idnumber.ErrBirthMismatch, idnumber.ErrSexMismatch} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	return "other"
}

// CardPresent reports whether a card lies on the reader.
func (a *IDReader) CardPresent(ctx context.Context) (bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	p, err := a.reader.CardPresent(ctx)
	if err != nil {
		return false, cardError("hardware.IDReader.CardPresent", err)
	}
	return p, nil
}
