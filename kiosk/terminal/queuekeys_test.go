package terminal

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk/config"
	"github.com/tongban/tongban/kiosk/keystore"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// TestQueueKeysByEpochApartFromData: the terminal seals its queue under
// keys by epoch kept in queue.key_dir (another place than the data
// folder), begins a new epoch after queue.key_epoch, and without
// queue.key_dir keeps them in DATA/queue-keys.
func TestQueueKeysByEpochApartFromData(t *testing.T) {
	for _, apart := range []bool{true, false} {
		data := t.TempDir()
		cfg := config.DefaultConfig()
		cfg.DataDir, cfg.QueueKeyEpoch = data, 24*time.Hour
		keyDir := filepath.Join(data, keystore.DirName)
		if apart {
			cfg.QueueKeyDir = filepath.Join(t.TempDir(), "keys")
			keyDir = cfg.QueueKeyDir
		}
		clock := kiosktest.NewClock(time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC))
		tm := &Terminal{cfg: cfg, opts: Options{Clock: clock}, log: slog.New(slog.DiscardHandler)}
		if err := tm.openQueue(); err != nil {
			t.Fatal(err)
		}
		for day := 0; day < 2; day++ {
			if _, err := tm.queue.Add(context.Background(), kiosktest.Submission(day, "", "", "T01", clock.Now())); err != nil {
				t.Fatal(err)
			}
			clock.Advance(24 * time.Hour)
		}
		for _, c := range tm.closers {
			c()
		}
		names, err := os.ReadDir(keyDir)
		if err != nil || len(names) != 2 {
			t.Errorf("apart=%v: %d epoch keys in %s (%v), want one per day", apart, len(names), keyDir, err)
		}
		if _, err := os.Stat(filepath.Join(data, keystore.DirName)); apart && err == nil {
			t.Errorf("queue.key_dir is set, yet keys were made in the data folder")
		}
	}
}
