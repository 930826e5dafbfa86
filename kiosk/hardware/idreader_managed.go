package hardware

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/tongban/tongban/devices/idcard"
	"github.com/tongban/tongban/kiosk"
)

// ManagedIDReader reads ID cards through the device manager. It borrows the
// reader's port in short slices, so the manager can still check the reader's
// health between them and a replugged reader is used again without a
// restart; while the port is missing it waits instead of failing, because
// the terminal's status (and the greyed items) already tell the resident.
type ManagedIDReader struct {
	m      *Manager
	port   *leasedPort
	reader *IDReader
	slice  time.Duration
	// OnPresence, when set, is told when a card that was read is taken
	// away (false), so the session can stop asking for it.
	OnPresence func(present bool)
}

// NewManagedIDReader returns a card reader whose port comes from m.
func NewManagedIDReader(m *Manager, idOpts *idcard.Options, opts IDReaderOptions) *ManagedIDReader {
	port := &leasedPort{}
	return &ManagedIDReader{m: m, port: port, reader: NewIDReader(idcard.NewReader(port, idOpts), opts), slice: time.Second}
}

// ReadCard waits for a card until ctx ends.
func (r *ManagedIDReader) ReadCard(ctx context.Context) (kiosk.Identity, error) {
	for {
		var id kiosk.Identity
		sliceCtx, cancel := context.WithTimeout(ctx, r.slice)
		err := r.m.Use(sliceCtx, kiosk.DeviceIDReader, func(rw io.ReadWriter) error {
			r.port.set(rw)
			defer r.port.set(nil)
			var err error
			id, err = r.reader.ReadCard(sliceCtx)
			return err
		})
		cancel()
		switch {
		case err == nil:
			go r.watchRemoval()
			return id, nil
		case ctx.Err() != nil:
			return kiosk.Identity{}, ctx.Err()
		case kiosk.KindOf(err) == kiosk.KindNoCard || errors.Is(err, context.DeadlineExceeded):
			continue // nothing on the reader in this slice
		case kiosk.KindOf(err) == kiosk.KindDevice && !r.m.Snapshot().Devices[kiosk.DeviceIDReader].Usable():
			select { // the reader is away: wait for the manager to find it again
			case <-ctx.Done():
				return kiosk.Identity{}, ctx.Err()
			case <-time.After(r.slice):
			}
		default:
			return kiosk.Identity{}, err
		}
	}
}

// watchRemoval reports when the card just read leaves the reader.
// It outlives the session on purpose: a card left behind is still the
// resident's, and the attract screen keeps asking for it to be taken.
func (r *ManagedIDReader) watchRemoval() {
	if r.OnPresence == nil {
		return
	}
	for {
		time.Sleep(500 * time.Millisecond)
		present := true
		_ = r.m.Use(context.Background(), kiosk.DeviceIDReader, func(rw io.ReadWriter) error {
			r.port.set(rw)
			defer r.port.set(nil)
			pctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			p, err := r.reader.CardPresent(pctx)
			if err == nil {
				present = p
			}
			return err
		})
		if !present {
			r.OnPresence(false)
			return
		}
	}
}

// SAMStatusProbe is a Probe for the device manager: the reader answers a
// SAM status request when it is there and working.
func SAMStatusProbe(rw io.ReadWriter) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return idcard.NewReader(withDeadlines(rw), nil).SAMStatus(ctx)
}
