// Command kiosk runs a Tongban self-service terminal: the full-screen
// resident app, its devices, its offline queue and its sync to the back
// office. It runs on real devices and the enrolled back office, named in
// its configuration file; `-simulate` (in a kiosk built with -tags sim, as
// `make run` does) starts it on simulated devices with an in-process back
// office instead.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/tongban/tongban/kiosk/config"
	"github.com/tongban/tongban/kiosk/terminal"
)

// version is the kiosk software's version, reported in heartbeats.
const version = "0.1.0"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "kiosk:", err)
		os.Exit(1)
	}
}

// flags are the command line's settings.
type flags struct {
	configPath, dataDir, memProfile string
	provFile                        string
	simulate, windowed, debug       bool
}

func parseFlags(args []string, stderr io.Writer) (flags, error) {
	var f flags
	fs := flag.NewFlagSet("kiosk", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.configPath, "config", "", "configuration file of `key = value` lines")
	fs.StringVar(&f.dataDir, "data", "", "data folder (queue, keys, audit log); overrides data.dir")
	fs.BoolVar(&f.simulate, "simulate", false, "use simulated devices and an in-process back office (a kiosk built with -tags sim)")
	fs.BoolVar(&f.windowed, "windowed", false, "run in a window instead of full screen (development)")
	fs.StringVar(&f.memProfile, "memprofile", "", "write a heap profile of the idle kiosk to this file (technicians)")
	fs.BoolVar(&f.debug, "debug", false, "log at debug level (start-up phases, device traffic summaries)")
	fs.StringVar(&f.provFile, "provision", "/var/lib/tongban-prov/tongban-provision.conf", "provision file for first-boot set-up, used while -config does not exist")
	return f, fs.Parse(args)
}

// loadConfig is the defaults, then the file, then the flags.
func loadConfig(f flags) (config.Config, error) {
	cfg := config.DefaultConfig()
	if f.configPath != "" {
		file, err := os.Open(f.configPath)
		if err != nil {
			return cfg, fmt.Errorf("cannot open the configuration file: %w", err)
		}
		err = config.ParseConfigFile(&cfg, file, f.configPath)
		file.Close()
		if err != nil {
			return cfg, err
		}
	}
	if f.dataDir != "" {
		cfg.DataDir = f.dataDir
	}
	if f.simulate {
		cfg.Simulate = true
	}
	if f.windowed {
		cfg.Fullscreen = false
	}
	if err := cfg.Validate(); err != nil {
		return cfg, err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return cfg, fmt.Errorf("cannot create the data folder %s: %w", cfg.DataDir, err)
	}
	return cfg, nil
}

// run is flags → config → terminal → screens, until ctx ends or staff
// stop the kiosk.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	started := time.Now()
	// A kiosk idles most of the time: collect more often for a smaller
	// footprint; the pauses are far below a frame.
	debug.SetGCPercent(50)
	f, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	level := slog.LevelInfo
	if f.debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))
	if needsSetUp(f) {
		err := runSetUp(ctx, newApp(log, started), f, log)
		if errors.Is(err, context.Canceled) {
			return nil
		}
		return err
	}
	cfg, err := loadConfig(f)
	if err != nil {
		return err
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	log.Debug("start-up: configuration read", "ms", time.Since(started).Milliseconds())
	a := newApp(log, started)
	sims := &simSlot{center: cfg.Center, terminal: cfg.Terminal, ownBackOffice: cfg.BackOffice != ""}
	t, err := terminal.New(ctx, cfg, terminal.Options{Logger: log, Version: version, Exit: stop, Simulate: sims.starter()})
	if err != nil {
		return err
	}
	defer t.Close()
	log.Debug("start-up: terminal wired", "ms", time.Since(started).Milliseconds())
	err = showScreens(ctx, a, cfg, f.configPath, t, sims, log, started, f.memProfile, stop)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
