//go:build !sim

package main

import (
	"context"
	"log/slog"

	"fyne.io/fyne/v2"

	"github.com/tongban/tongban/kiosk/terminal"
)

// simSlot is empty in a production build: no simulated devices, no
// in-process back office, so a configuration that says simulate is refused.
type simSlot struct {
	center        string
	terminal      string
	ownBackOffice bool
}

func (k *simSlot) starter() func(ctx context.Context, dir string, log *slog.Logger) (terminal.Surroundings, error) {
	return nil
}

func (k *simSlot) panel(*terminal.Terminal) fyne.CanvasObject { return nil }
