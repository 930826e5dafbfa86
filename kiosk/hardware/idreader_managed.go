package hardware

import (
	"context"
	"errors"
	"time"

	"github.com/tongban/tongban/devices/idcard"
	"github.com/tongban/tongban/devices/serialport"
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
	read   chan struct{} // a card was read: WatchRemovals watches it
}

// NewManagedIDReader returns a card reader whose port comes from m.
func NewManagedIDReader(m *Manager, idOpts *idcard.Options, opts IDReaderOptions) *ManagedIDReader {
	port := &leasedPort{}
	return &ManagedIDReader{m: m, port: port, reader: NewIDReader(idcard.NewReader(port, idOpts), opts),
		slice: time.Second, read: make(chan struct{}, 1)}
}

// ReadCard waits for a card until ctx ends.
func (r *ManagedIDReader) ReadCard(ctx context.Context) (kiosk.Identity, error) {
	for {
		var id kiosk.Identity
		sliceCtx, cancel := context.WithTimeout(ctx, r.slice)
		err := r.m.Use(sliceCtx, kiosk.DeviceIDReader, func(rw serialport.Line) error {
			r.port.set(rw)
			defer r.port.set(nil)
			var err error
			id, err = r.reader.ReadCard(sliceCtx)
			return err
		})
		cancel()
		switch {
		case err == nil:
			select {
			case r.read <- struct{}{}:
			default: // already told
			}
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

// removalPoll is how often a card that was read is looked for.
const removalPoll = 500 * time.Millisecond

// WatchRemovals runs until ctx ends (the terminal's life, not a visit's: a
// card left behind is still the resident's, and the attract screen keeps
// asking for it to be taken). After each card read it watches the reader
// with idcard.Watch on the manager's clock, tells changed whether the card
// lies there, and stops watching once it is taken away. A reader that
// fails three looks in a row is watched afresh.
func (r *ManagedIDReader) WatchRemovals(ctx context.Context, changed func(present bool)) {
	opts := idcard.WatchOptions{Interval: removalPoll, Clock: watchClock{r.m.clock}}
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.read:
		}
		for ctx.Err() == nil {
			watch, taken := context.WithCancel(ctx)
			err := idcard.Watch(watch, r.cardPresent, opts, func(present bool) {
				changed(present)
				if !present {
					taken()
				}
			})
			gone := watch.Err() != nil
			taken()
			if err == nil && gone {
				break
			}
		}
	}
}

// cardPresent looks once for a card through the manager.
func (r *ManagedIDReader) cardPresent(ctx context.Context) (bool, error) {
	present := false
	err := r.m.Use(ctx, kiosk.DeviceIDReader, func(rw serialport.Line) error {
		r.port.set(rw)
		defer r.port.set(nil)
		lookCtx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		p, err := r.reader.CardPresent(lookCtx)
		present = p
		return err
	})
	return present, err
}

// watchClock lets idcard.Watch run on a kiosk.Clock.
type watchClock struct{ kiosk.Clock }

func (c watchClock) AfterFunc(d time.Duration, f func()) idcard.Timer { return c.Clock.AfterFunc(d, f) }

// SAMStatusProbe is a Probe for the device manager: the reader answers a
// SAM status request when it is there and working.
func SAMStatusProbe(rw serialport.Line) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return idcard.NewReader(rw, nil).SAMStatus(ctx)
}
