package main

import (
	"context"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"github.com/coreos/go-systemd/v22/daemon"
)

// notifyReady tells systemd the kiosk is up (Type=notify units); a no-op
// when not started by systemd.
func notifyReady(log *slog.Logger) {
	if ok, err := daemon.SdNotify(false, daemon.SdNotifyReady); err != nil {
		log.Warn("systemd readiness not sent", "err", err)
	} else if ok {
		log.Info("systemd told the kiosk is ready")
	}
}

// watchUI pings systemd's watchdog only while the UI goroutine answers:
// a frozen screen stops the pings, and systemd restarts the kiosk. The
// first layer of a layered watchdog (UI → systemd → hardware reboot).
func watchUI(ctx context.Context, log *slog.Logger) {
	every, err := daemon.SdWatchdogEnabled(false)
	if err != nil || every <= 0 {
		return // no watchdog configured for this process
	}
	tick := time.NewTicker(every / 3)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		answered := make(chan struct{})
		fyne.Do(func() { close(answered) })
		select {
		case <-answered:
			_, _ = daemon.SdNotify(false, daemon.SdNotifyWatchdog)
		case <-time.After(every / 3):
			log.Error("the screen did not answer; leaving it to the watchdog")
		case <-ctx.Done():
			return
		}
	}
}
