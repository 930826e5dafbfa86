//go:build sim

package main

import (
	"context"
	"log/slog"

	"fyne.io/fyne/v2"

	"github.com/tongban/tongban/kiosk/simulation"
	"github.com/tongban/tongban/kiosk/terminal"
)

// simSlot starts the simulated surroundings when the terminal asks for
// them (a kiosk built with -tags sim) and keeps them for the panel.
type simSlot struct {
	center        string
	terminal      string // its card reader is allow-listed at the simulated back office
	ownBackOffice bool   // the configuration names a back office: simulate only the devices
	s             *simulation.Surroundings
}

func (k *simSlot) starter() func(ctx context.Context, dir string, log *slog.Logger) (terminal.Surroundings, error) {
	return func(ctx context.Context, dir string, log *slog.Logger) (terminal.Surroundings, error) {
		s, err := simulation.Start(ctx, simulation.Options{Dir: dir, Center: k.center, Terminal: k.terminal, Logger: log, NoBackOffice: k.ownBackOffice})
		if err != nil {
			return nil, err
		}
		k.s = s
		return s, nil
	}
}

// panel is the developer panel, or nil when the terminal is not simulated.
func (k *simSlot) panel(t *terminal.Terminal) fyne.CanvasObject {
	if k.s == nil || !t.Simulated() {
		return nil
	}
	return newPanel(k.s, t)
}
