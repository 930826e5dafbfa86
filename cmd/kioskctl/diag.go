package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/config"
	"github.com/tongban/tongban/kiosk/outbox"
	"github.com/tongban/tongban/kiosk/technician"
)

// runDiag writes the terminal's diagnostics file, the one technician
// mode's 导出诊断文件 writes (kiosk/technician), from a shell: for a terminal
// whose screen is not usable, or to attach to a support ticket.
func runDiag(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("diag", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "/var/lib/tongban", "the terminal's data folder")
	conf := fs.String("config", "/etc/tongban/kiosk.conf", "the terminal's configuration file")
	out := fs.String("out", "", "the folder to write the file into: a USB stick's mount point (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		sticks := mountedSticks()
		if len(sticks) != 1 {
			return fmt.Errorf("diag: give the folder to write into with -out (USB sticks mounted: %q)", sticks)
		}
		*out = sticks[0]
	}
	d := collectDiag(ctx, *data, *conf)
	path, err := technician.Export(*out, d)
	if err == nil {
		fmt.Fprintln(stdout, path)
	}
	return technicianAction(*data, "diag", err)
}

// mountedSticks are the USB sticks mounted now (/proc/mounts).
func mountedSticks() []string {
	f, err := os.Open("/proc/mounts")
	if err != nil {
		return nil
	}
	defer f.Close()
	return technician.Sticks(f)
}

// collectDiag reads the terminal from outside the kiosk: the configuration,
// each device's port probed (a port the running kiosk holds shows as in
// use), the queue read-only (while the kiosk runs it holds the queue, and
// the file says so), the back office asked with the enrolled CA.
func collectDiag(ctx context.Context, data, conf string) technician.Diagnostics {
	var problems []string
	cfg := config.DefaultConfig()
	if f, err := os.Open(conf); err != nil {
		problems = append(problems, "configuration: "+err.Error())
	} else {
		if err := config.ParseConfigFile(&cfg, f, conf); err != nil {
			problems = append(problems, "configuration: "+err.Error())
		}
		f.Close()
	}
	listed, _ := serialport.List()
	assigned := technician.ConfiguredPorts(cfg, listed)
	s := technician.Sources{
		Center: cfg.Center, Terminal: cfg.Terminal, DataDir: data,
		Versions: toolVersions,
		Devices: func() []kiosk.DeviceStatus {
			return technician.DeviceStates(ctx, assigned, technician.OpenSerial, 300*time.Millisecond)
		},
		Found: func() []technician.Finding {
			out := make([]technician.Finding, len(listed))
			for i, p := range listed {
				out[i] = technician.Finding{Port: p}
			}
			return out
		},
		Assigned: func() technician.Assignment { return assigned },
		Net: func(ctx context.Context) technician.NetResult {
			ca := filepath.Join(data, "identity", "ca.pem")
			if _, err := os.Stat(filepath.Join(data, "identity", "identity.json")); err != nil {
				return technician.NetResult{Problem: technician.ProblemNotEnrolled}
			}
			return technician.NetCheck{CAFile: ca, Now: time.Now}.Check(ctx, cfg.BackOffice)
		},
	}
	q, err := openQueueForDiag(data)
	if err != nil {
		s.Queue = failedStats{err}
	} else {
		defer q.Close()
		s.Queue = q
	}
	d := technician.Collect(ctx, s)
	d.Problems = append(problems, d.Problems...)
	return d
}

func openQueueForDiag(data string) (*outbox.Outbox, error) {
	db := filepath.Join(data, "queue.db")
	if _, err := os.Stat(db); err != nil {
		return nil, fmt.Errorf("no queue at %s", db)
	}
	key, err := outbox.LoadKey(filepath.Join(data, "terminal.key"))
	if err != nil {
		return nil, fmt.Errorf("the queue's key cannot be read: %w", err)
	}
	q, err := outbox.OpenReadOnly(db, key)
	if err != nil {
		return nil, fmt.Errorf("the queue cannot be read now (the running kiosk may hold it): %w", err)
	}
	return q, nil
}

// failedStats is a queue that could not be read: the diagnostics say why.
type failedStats struct{ err error }

func (f failedStats) Stats() (outbox.Stats, error) { return outbox.Stats{}, f.err }

// toolVersions is this build's version, as the Go toolchain recorded it.
func toolVersions() []kiosk.Component {
	v := kiosk.Component{Name: "kioskctl", Version: "unknown"}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v.Version = bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v.Version += " " + s.Value[:12]
			}
		}
	}
	return []kiosk.Component{v}
}
