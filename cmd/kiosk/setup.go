package main

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"

	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
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
	showSetUp(ctx, w, f, log, func() {
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

// showSetUp shows the first-boot set-up on w: zero-touch from the
// provision file when there is one, else typed; both run the network,
// clock and device checks (setUpChecks). done runs once the terminal is
// set up.
func showSetUp(ctx context.Context, w fyne.Window, f flags, log *slog.Logger, done func()) *setup.Wizard {
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
		Checks: setUpChecks(),
		Pinyin: pinyin.Suggestions,
		Done:   done,
	})
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
