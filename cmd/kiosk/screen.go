package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/ui"
	kiosktheme "github.com/tongban/tongban/kiosk/ui/theme"
)

// showScreens opens the window and runs the UI until ctx ends.
func showScreens(ctx context.Context, cfg Config, t *terminal, log *slog.Logger, started time.Time) error {
	a := app.NewWithID("cn.tongban.kiosk")
	if drv, ok := a.Driver().(interface{ SetDisableScreenBlanking(bool) }); ok {
		drv.SetDisableScreenBlanking(true)
	}
	a.Settings().SetTheme(kiosktheme.New(kiosktheme.Normal, kiosktheme.EmbeddedFonts()))
	w := a.NewWindow("通办 Tongban")
	w.SetPadded(false)
	width := float32(cfg.Width)
	if t.sims != nil {
		width += panelWidth
	}
	w.Resize(fyne.NewSize(width, float32(cfg.Height)))
	if cfg.Fullscreen {
		w.SetFullScreen(true)
	}
	// Residents cannot close the kiosk; staff stop it from the service menu
	// or the system (SIGTERM).
	w.SetCloseIntercept(func() {
		if !cfg.Fullscreen {
			w.Close()
			return
		}
		log.Warn("window close refused: kiosk is locked down")
	})
	opts := t.uiOptions
	opts.CenterName = cfg.CenterName
	opts.Logger = log
	if t.sims != nil {
		opts.DevPanel = t.sims.panel(t) // widgets need the app to exist
	}
	screens := ui.New(t.session, w, opts)
	var once sync.Once
	screens.OnScreen(func(st flow.State) {
		if st == flow.Attract {
			once.Do(func() {
				log.Info("kiosk ready", "startup_ms", time.Since(started).Milliseconds(),
					"center", cfg.Center, "terminal", cfg.Terminal, "simulate", cfg.Simulate)
				t.ready()
			})
		}
	})
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				fyne.Do(a.Quit)
				return
			case <-tick.C:
				fyne.Do(screens.Tick)
			}
		}
	}()
	w.ShowAndRun()
	return ctx.Err()
}
