// Command kiosk runs a Tongban self-service terminal: the full-screen
// resident app, its devices, its offline queue and its sync to the back
// office. With no arguments it starts on embedded defaults: simulated
// devices and an in-process back office.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/tongban/tongban/kiosk/config"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "kiosk:", err)
		os.Exit(1)
	}
}

// run parses flags and the config file, wires the terminal and shows it
// until ctx ends or the window is closed by staff.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	started := time.Now()
	// A kiosk idles most of the time: collect more often for a smaller
	// footprint; the pauses are far below a frame.
	debug.SetGCPercent(50)
	fs := flag.NewFlagSet("kiosk", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "configuration file of `key = value` lines (optional)")
	dataDir := fs.String("data", "", "data folder (queue, keys, audit log); overrides data.dir")
	simulate := fs.Bool("simulate", false, "use simulated devices and an in-process back office")
	windowed := fs.Bool("windowed", false, "run in a window instead of full screen (development)")
	memProfile := fs.String("memprofile", "", "write a heap profile of the idle kiosk to this file (technicians)")
	debug := fs.Bool("debug", false, "log at debug level (start-up phases, device traffic summaries)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx = context.WithValue(ctx, heapProfileKey{}, *memProfile)
	level := slog.LevelInfo
	if *debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))

	cfg := config.DefaultConfig()
	if *configPath != "" {
		f, err := os.Open(*configPath)
		if err != nil {
			return fmt.Errorf("cannot open the configuration file: %w", err)
		}
		err = config.ParseConfigFile(&cfg, f, *configPath)
		f.Close()
		if err != nil {
			return err
		}
	}
	if *dataDir != "" {
		cfg.DataDir = *dataDir
	}
	if *simulate {
		cfg.Simulate = true
	}
	if *windowed {
		cfg.Fullscreen = false
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("cannot create the data folder %s: %w", cfg.DataDir, err)
	}

	ctx, stop := context.WithCancel(ctx)
	defer stop()
	log.Debug("start-up: configuration read", "ms", time.Since(started).Milliseconds())
	a := newApp(log, started)
	t, err := wire(ctx, cfg, log, func() {
		log.Info("kiosk stopped from the staff menu")
		stop()
	})
	if err != nil {
		return err
	}
	defer t.Close()
	log.Debug("start-up: terminal wired", "ms", time.Since(started).Milliseconds())
	err = showScreens(ctx, a, cfg, t, log, started)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
