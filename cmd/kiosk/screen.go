package main

import (
	"context"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/tongban/tongban/kiosk/config"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/terminal"
	"github.com/tongban/tongban/kiosk/ui"
	kiosktheme "github.com/tongban/tongban/kiosk/ui/theme"
)

// windowTitle names the kiosk's window (seen only by technicians, in a
// window list during development).
const windowTitle = "通办 Tongban"

// newApp creates the Fyne app with the kiosk's theme, and starts parsing
// the embedded CJK fonts in the background while the terminal is wired:
// the first screen then draws without waiting for them.
func newApp(log *slog.Logger, started time.Time) fyne.App {
	a := app.NewWithID("cn.tongban.kiosk")
	a.Settings().SetTheme(kiosktheme.New(kiosktheme.Normal, kiosktheme.EmbeddedFonts()))
	go func() {
		for _, style := range []fyne.TextStyle{{}, {Bold: true}} {
			fyne.MeasureText("通办自助服务", 32, style)
		}
		log.Debug("start-up: fonts ready", "ms", time.Since(started).Milliseconds())
	}()
	log.Debug("start-up: app created", "ms", time.Since(started).Milliseconds())
	return a
}

// settleMemory hands the start-up's garbage (parsed font tables, decoded
// catalog files) back to the system once the first screen is up: the kiosk
// then idles well within its memory budget for months.
func settleMemory(log *slog.Logger, heapProfile string) {
	time.Sleep(2 * time.Second)
	debug.FreeOSMemory()
	if heapProfile != "" {
		if f, err := os.Create(heapProfile); err == nil {
			_ = pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	log.Debug("memory settled", "heap_inuse_mb", m.HeapInuse>>20, "sys_mb", m.Sys>>20)
}

// showScreens opens the window and runs the UI until ctx ends. restart
// stops the kiosk so that its service starts it again (after a technician's
// reset, into set-up).
func showScreens(ctx context.Context, a fyne.App, cfg config.Config, configPath string, t *terminal.Terminal, sims *simSlot, log *slog.Logger, started time.Time, heapProfile string, restart func()) error {
	if drv, ok := a.Driver().(interface{ SetDisableScreenBlanking(bool) }); ok {
		drv.SetDisableScreenBlanking(true)
	}
	w := a.NewWindow(windowTitle)
	screens, _ := buildScreens(ctx, w, cfg, configPath, t, sims, log, restart)
	log.Debug("start-up: screens built", "ms", time.Since(started).Milliseconds())
	var once sync.Once
	screens.OnScreen(func(st flow.State) {
		log.Debug("screen drawn", "screen", st.String(), "ms", time.Since(started).Milliseconds())
		if st == flow.Attract {
			once.Do(func() {
				log.Info("kiosk ready", "startup_ms", time.Since(started).Milliseconds(),
					"center", cfg.Center, "terminal", cfg.Terminal, "simulate", cfg.Simulate)
				notifyReady(log)
				go settleMemory(log, heapProfile)
			})
		}
	})
	go watchUI(ctx, log)
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
	a.Lifecycle().SetOnStarted(func() {
		log.Debug("start-up: driver started", "ms", time.Since(started).Milliseconds())
		fyne.Do(screens.Redraw) // the first screen, now that the driver runs
	})
	w.ShowAndRun()
	return ctx.Err()
}

// buildScreens lays the resident screens, and technician mode behind its
// gesture, on w for terminal t.
func buildScreens(ctx context.Context, w fyne.Window, cfg config.Config, configPath string, t *terminal.Terminal, sims *simSlot, log *slog.Logger, restart func()) (*ui.Screens, *techEntry) {
	w.SetPadded(false)
	panel := sims.panel(t) // nil unless simulated; widgets need the app to exist
	// The developer panel lies over the screen (kiosk/ui): the window is
	// the panel's size, simulated or not.
	w.Resize(fyne.NewSize(float32(cfg.Width), float32(cfg.Height)))
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
	opts := t.UIOptions()
	opts.CenterName = cfg.CenterName
	opts.Logger = log
	opts.DevPanel = panel
	if sp := startVoice(ctx, cfg, opts.Words, log); sp != nil {
		opts.Voice = sp
	}
	tech := newTechEntry(ctx, w, cfg, configPath, t, log, restart)
	if tech != nil {
		tech.words = opts.Words
		opts.Technician = tech.Open // its diagnostics open the install screen (openInstall)
	}
	screens := ui.New(t.Session(), w, opts)
	if tech != nil {
		tech.redraw = screens.Redraw
	}
	return screens, tech
}
