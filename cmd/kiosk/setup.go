package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"

	"github.com/tongban/tongban/devices/scanner"
	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/config"
	"github.com/tongban/tongban/kiosk/pinyin"
	"github.com/tongban/tongban/kiosk/provision"
	"github.com/tongban/tongban/kiosk/technician"
	"github.com/tongban/tongban/kiosk/ui/setup"
	"github.com/tongban/tongban/kiosk/uplink"
)

// needsSetUp reports whether the kiosk starts in first-boot set-up: a real
// terminal (not simulated) whose configuration file does not exist yet. On
// the image /etc/tongban/kiosk.conf points into the data partition, which
// is empty until the terminal is set up.
func needsSetUp(f flags) bool {
	if f.simulate || f.configPath == "" {
		return false
	}
	_, err := os.Stat(f.configPath)
	return errors.Is(err, fs.ErrNotExist)
}

// setUpDataDir is where set-up writes the configuration: the -data folder,
// or the folder the configuration's link points into, or the
// configuration's own folder.
func setUpDataDir(f flags) string {
	if f.dataDir != "" {
		return f.dataDir
	}
	if target, err := os.Readlink(f.configPath); err == nil {
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(f.configPath), target)
		}
		return filepath.Dir(target)
	}
	return filepath.Dir(f.configPath)
}

// runSetUp shows the first-boot set-up full screen and returns once the
// terminal is set up: the kiosk then exits and its service starts it again
// on the new configuration.
func runSetUp(ctx context.Context, a fyne.App, f flags, log *slog.Logger) error {
	data := setUpDataDir(f)
	log.Info("set-up: this terminal has no configuration yet; showing the first-boot set-up", "data", data, "provision", f.provFile)
	w := a.NewWindow(windowTitle)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1920, 1080))
	w.SetFullScreen(!f.windowed)
	done := make(chan struct{})
	showSetUp(ctx, w, f, log, machineSetUp(log), func() {
		log.Info("set-up finished: starting again on the new configuration")
		close(done)
	})
	// The set-up is the kiosk up and answering: systemd is told so, and
	// the UI watchdog runs as it does for the resident screens (without
	// it, the unit's start timeout restarted the set-up every 90 s).
	notifyReady(log)
	go watchUI(ctx, log)
	go func() {
		select {
		case <-done:
			time.Sleep(2 * time.Second) // the technician reads 设置完成
		case <-ctx.Done():
		}
		fyne.Do(a.Quit)
	}()
	w.ShowAndRun()
	return ctx.Err()
}

// setUpWiring is what the set-up uses of this machine: the network, clock
// and device checks, and the QR scanner read while the form is shown.
type setUpWiring struct {
	checks  *setup.Checks
	scanner setUpScanner
}

// machineSetUp is the set-up's wiring on this machine's network and
// serial ports.
func machineSetUp(log *slog.Logger) setUpWiring {
	detect := func(ctx context.Context) ([]technician.Finding, error) {
		return technician.Detect(ctx, serialport.List, nil, technician.OpenSerial, 300*time.Millisecond)
	}
	return setUpWiring{
		checks: setUpChecks(),
		scanner: setUpScanner{Port: defaultScannerPort, Baud: config.DefaultConfig().Scanner.Baud,
			Detect: detect, Open: technician.OpenSerial, Log: log},
	}
}

// showSetUp shows the first-boot set-up on w: zero-touch from the
// provision file when there is one, else typed; both run the network,
// clock and device checks (wiring.checks), and the typed one reads the
// scanner for an enrolment code. done runs once the terminal is set up.
func showSetUp(ctx context.Context, w fyne.Window, f flags, log *slog.Logger, wiring setUpWiring, done func()) *setup.Wizard {
	data := setUpDataDir(f)
	applier := &provision.Applier{DataDir: data, Enrol: uplink.Enrol, Now: time.Now, Log: log}
	return setup.Show(ctx, w, setup.Options{
		ProvFile: f.provFile,
		Draft:    filepath.Join(data, "setup", provision.FileName),
		CAFile:   filepath.Join(filepath.Dir(f.provFile), "backoffice-ca.pem"),
		Apply: func(ctx context.Context, path string, progress func(provision.Step, error)) error {
			a := *applier
			a.Progress = func(s provision.Step, err error) {
				if err != nil {
					log.Warn("set-up: step failed", "step", string(s), "err", err)
				} else {
					log.Info("set-up: step done", "step", string(s))
				}
				progress(s, err)
			}
			return a.Apply(ctx, path)
		},
		Checks:  wiring.checks,
		Scanner: wiring.scanner.Read,
		Pinyin:  pinyin.Suggestions,
		Done:    done,
	})
}

// defaultScannerPort is where udev names the scanner
// (packaging/99-tongban-devices.rules) and where a typed set-up's
// configuration looks for it.
const defaultScannerPort = "/dev/kiosk-scanner"

// errNoScanner is a set-up with no scanner to read: nothing answered as
// one on any port.
var errNoScanner = errors.New("no scanner: nothing at the default port and none answered the probe")

// setUpScanner reads the terminal's QR scanner during the typed set-up,
// so that the back office's enrolment code can be scanned: on Port when
// it exists, else on the port the probe finds a scanner answering on.
type setUpScanner struct {
	Port   string // the default port
	Baud   int
	Detect func(ctx context.Context) ([]technician.Finding, error) // lists and probes the ports
	Open   technician.Opener
	Log    *slog.Logger
}

// Read reads codes until ctx ends (nil) or the scanner cannot be read (why,
// also logged: the wizard only says that typing is the way).
func (s setUpScanner) Read(ctx context.Context, got func(code string, err error)) error {
	err := s.read(ctx, got)
	if err != nil && ctx.Err() == nil {
		s.Log.Warn("set-up: the scanner is not read; the enrolment token is typed", "err", err)
		return err
	}
	return nil
}

func (s setUpScanner) read(ctx context.Context, got func(code string, err error)) error {
	path := s.Port
	if _, err := os.Stat(path); path == "" || err != nil {
		found, err := s.Detect(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if path = technician.Assign(found)[kiosk.DeviceScanner]; path == "" {
			if err != nil {
				return fmt.Errorf("%w (%v)", errNoScanner, err)
			}
			return errNoScanner
		}
	}
	conn, err := s.Open(path, s.Baud)
	if err != nil {
		return fmt.Errorf("the scanner on %s cannot be opened: %w", path, err)
	}
	defer conn.Close()
	s.Log.Info("set-up: reading the scanner for an enrolment code", "port", path)
	// Framed by the idle gap: the scanner's suffix is not known yet.
	err = scanner.New(conn, scanner.Options{}).Run(ctx, func(sc scanner.Scan) {
		got(sc.Text, sc.Err) // the code holds the token: never logged
	})
	if ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("the scanner on %s stopped answering: %w", path, err)
}

// setUpChecks are the typed set-up's checks on this machine's network and
// serial ports (kiosk/technician).
func setUpChecks() *setup.Checks {
	return &setup.Checks{
		Net: func(ctx context.Context, url, ca string) technician.NetResult {
			if _, err := os.Stat(ca); err != nil {
				ca = "" // no CA on the stick: the system's roots
			}
			return technician.NetCheck{CAFile: ca, Now: time.Now}.Check(ctx, url)
		},
		Detect: func(ctx context.Context) ([]technician.Finding, error) {
			return technician.Detect(ctx, serialport.List, nil, technician.OpenSerial, 300*time.Millisecond)
		},
		Tester: technician.SerialTester{Open: technician.OpenSerial, SelfTest: func() kiosk.SelfTest {
			return kiosk.SelfTest{Versions: []kiosk.Component{{Name: "Tongban", Version: version}}, PrintedAt: time.Now()}
		}},
	}
}
