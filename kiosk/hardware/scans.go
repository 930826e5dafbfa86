package hardware

import (
	"context"
	"log/slog"

	"github.com/tongban/tongban/devices/scanner"
	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/scancode"
)

// ScanFeed turns a scanner's codes into classified kiosk.ScanEvents for
// the session. Its Attach method is a DeviceSpec.Attach, so the device
// manager runs it whenever the scanner is online.
type ScanFeed struct {
	opts   scanner.Options
	rules  scancode.Rules
	log    *slog.Logger
	events chan kiosk.ScanEvent
}

// NewScanFeed returns a feed with room for buffer unread events; when the
// session falls behind, the oldest unread scan is dropped (the resident
// can scan again; a stale scan must not act later).
func NewScanFeed(opts scanner.Options, rules scancode.Rules, buffer int, logger *slog.Logger) *ScanFeed {
	if buffer < 1 {
		buffer = 1
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &ScanFeed{opts: opts, rules: rules, log: logger, events: make(chan kiosk.ScanEvent, buffer)}
}

// Events delivers scans to the session.
func (f *ScanFeed) Events() <-chan kiosk.ScanEvent { return f.events }

// Attach reads codes from rw until ctx ends (nil) or the port fails.
func (f *ScanFeed) Attach(ctx context.Context, rw serialport.Line) error {
	return scanner.New(rw, f.opts).Run(ctx, f.deliver)
}

func (f *ScanFeed) deliver(s scanner.Scan) {
	ev := kiosk.ScanEvent{At: s.At}
	if s.Err != nil {
		ev.Err = scancode.Unreadable(s.Err)
	} else {
		ev.Code, ev.Err = f.rules.Classify(s.Text)
	}
	f.log.Debug("scan", "code", ev.Code, "error", ev.Err != nil)
	for {
		select {
		case f.events <- ev:
			return
		default:
		}
		select {
		case <-f.events:
			f.log.Warn("scan dropped: the session did not take it")
		default:
		}
	}
}
