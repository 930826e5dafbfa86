package terminal

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/config"
	"github.com/tongban/tongban/kiosk/simulation"
)

// openFDs counts this process's open file descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("needs /proc/self/fd (Linux)")
	}
	return len(entries)
}

// settled waits, bounded, until the goroutine and descriptor counts are
// back to what they were, and says what is still open otherwise.
func settled(t *testing.T, goroutines, fds int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		g, f := runtime.NumGoroutine(), openFDs(t)
		if g <= goroutines && f <= fds {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			n := runtime.Stack(buf, true)
			t.Fatalf("leak: %d goroutines (was %d), %d descriptors (was %d)\n%s", g, goroutines, f, fds, buf[:n])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestNewClosesEverythingOnEveryError forces New to fail after each of
// its steps, and on the real early errors, and checks that nothing it
// started is left: no goroutine, no descriptor (simulators, back office,
// audit log), no bbolt lock (the queue file reopens at once), no device link.
// wire() used to return on such errors with all of it still open.
func TestNewClosesEverythingOnEveryError(t *testing.T) {
	type setup func(t *testing.T, cfg *config.Config, o *Options)
	forceAt := func(step string) setup {
		return func(t *testing.T, cfg *config.Config, o *Options) { o.failAt = step }
	}
	tests := []struct {
		name  string
		setup setup
		want  string // in the error
	}{
		{"after the simulation", forceAt("simulation"), "forced"},
		{"after the devices", forceAt("devices"), "forced"},
		{"after the audit log", forceAt("audit"), "forced"},
		{"after the queue", forceAt("queue"), "forced"},
		{"after the uplink", forceAt("uplink"), "forced"},
		{"after the catalog", forceAt("catalog"), "forced"},
		{"after the session", forceAt("session"), "forced"},
		{"after the goroutines started", forceAt("run"), "forced"},
		{"audit log cannot open", func(t *testing.T, cfg *config.Config, o *Options) {
			os.MkdirAll(filepath.Join(cfg.DataDir, "audit.log"), 0o700)
		}, "audit log"},
		{"queue key cannot load", func(t *testing.T, cfg *config.Config, o *Options) {
			os.MkdirAll(filepath.Join(cfg.DataDir, "terminal.key"), 0o700)
		}, "terminal key"},
		{"catalog does not load", func(t *testing.T, cfg *config.Config, o *Options) {
			o.CatalogFS = os.DirFS(t.TempDir())
		}, "catalog does not load"},
		{"simulated configuration in a production build", func(t *testing.T, cfg *config.Config, o *Options) {
			o.Simulate = nil
		}, "built without simulation"},
	}
	// A first terminal warms up what stays for the process (HTTP
	// transports, the font and catalog caches), so the counts compare.
	warm := t.TempDir()
	if tm, err := New(context.Background(), simConfig(warm), simOptions(nil)); err == nil {
		tm.Close()
	} else {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g0, f0 := runtime.NumGoroutine(), openFDs(t)
			cfg := simConfig(t.TempDir())
			var sims *simulation.Surroundings
			opts := simOptions(&sims)
			tt.setup(t, &cfg, &opts)
			tm, err := New(context.Background(), cfg, opts)
			if err == nil {
				tm.Close()
				t.Fatal("New succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to say %q", err, tt.want)
			}
			settled(t, g0, f0)
			if q := filepath.Join(cfg.DataDir, "queue.db"); fileExists(q) {
				db, err := bolt.Open(q, 0o600, &bolt.Options{Timeout: 100 * time.Millisecond})
				if err != nil {
					t.Fatalf("the queue file is still locked: %v", err)
				}
				db.Close()
			}
			if p := filepath.Join(cfg.DataDir, "audit.log"); fileExists(p) {
				if rep, err := audit.Verify(p); err != nil || !rep.OK() {
					t.Errorf("audit log after the failure: %+v, %v", rep, err)
				}
			}
			for _, name := range []string{simulation.NamePrinter, simulation.NameScanner, simulation.NameIDReader} {
				if _, err := os.Lstat(filepath.Join(cfg.DataDir, "dev", name)); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("simulated %s still plugged in: %v", name, err)
				}
			}
		})
	}
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// simConfig is a simulated terminal's configuration in dir.
func simConfig(dir string) config.Config {
	cfg := config.DefaultConfig()
	cfg.DataDir, cfg.Simulate = dir, true
	return cfg
}

// simOptions starts the simulation and keeps it in *sims (when not nil).
func simOptions(sims **simulation.Surroundings) Options {
	return Options{
		Logger: slog.New(slog.DiscardHandler), Version: "test",
		Simulate: func(ctx context.Context, dir string, log *slog.Logger) (Surroundings, error) {
			s, err := simulation.Start(ctx, simulation.Options{Dir: dir, Center: "XH01", Terminal: config.DefaultConfig().Terminal, Logger: log})
			if err != nil {
				return nil, err
			}
			if sims != nil {
				*sims = s
			}
			return s, nil
		},
	}
}

// TestCloseLeavesNothing: a terminal that ran stops every goroutine and
// closes every file and lock when closed.
func TestCloseLeavesNothing(t *testing.T) {
	warm := t.TempDir()
	if tm, err := New(context.Background(), simConfig(warm), simOptions(nil)); err == nil {
		tm.Close()
	}
	g0, f0 := runtime.NumGoroutine(), openFDs(t)
	cfg := simConfig(t.TempDir())
	tm, err := New(context.Background(), cfg, simOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !tm.Manager().Snapshot().BackOffice {
		if time.Now().After(deadline) {
			t.Fatal("the simulated back office was never reached")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := tm.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := tm.Close(); err != nil {
		t.Errorf("Close again: %v", err)
	}
	settled(t, g0, f0)
	db, err := bolt.Open(filepath.Join(cfg.DataDir, "queue.db"), 0o600, &bolt.Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("the queue file is still locked: %v", err)
	}
	db.Close()
}
