package main

import (
	"context"
	"log/slog"

	"github.com/tongban/tongban/kiosk/flow"
)

// startUplink starts the sync to the back office (filled in by the uplink).
func startUplink(ctx context.Context, cfg Config, log *slog.Logger, t *terminal) (flow.Confirmer, flow.Tickets) {
	return nil, nil
}
