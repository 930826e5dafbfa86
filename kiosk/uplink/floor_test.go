package uplink

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/bundle"
)

// TestRollbackFloorSurvivesDamage: once v5 is installed, an older, validly
// signed bundle (a replay, a stale mirror) is refused after every kind of
// damage a disk or an intruder can do to one of the two files: the bundle
// file removed (v5 itself may then come back), the floor file garbled or
// removed or zeroed. A newer
// bundle dated before the installed one is refused too; a genuinely newer
// one installs.
func TestRollbackFloorSurvivesDamage(t *testing.T) {
	signer := bundle.NewSigner(mustSM2(bytes.Repeat([]byte{1}, 32)))
	sign := func(v uint64, at time.Time) []byte {
		b, err := signer.Sign(bundle.KindCatalog, v, at, []byte(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var mu sync.Mutex
	var offered []byte
	offer := func(b []byte) { mu.Lock(); offered = b; mu.Unlock() }
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Write(offered)
	}))
	defer ts.Close()
	dir := t.TempDir()
	start := func() *Client {
		return newClient(t, ts.URL, newFakeQueue(), &fakeClock{now: t0}, func(c *Config) {
			c.BundleDir = dir
			c.BundleKeys = []bundle.PublicKey{signer.PublicKey()}
		})
	}
	ctx := context.Background()
	offer(sign(5, t0))
	if ok, err := start().UpdateBundle(ctx, bundle.KindCatalog); !ok || err != nil {
		t.Fatalf("v5: %v %v", ok, err)
	}
	v5, _ := os.ReadFile(bundlePath(dir, bundle.KindCatalog))

	old := sign(4, t0.Add(-24*time.Hour))
	damage := []struct {
		name string
		do   func()
	}{
		{"bundle file removed", func() { os.Remove(bundlePath(dir, bundle.KindCatalog)) }},
		{"floor file garbled", func() {
			os.WriteFile(bundlePath(dir, bundle.KindCatalog), v5, 0o600)
			os.WriteFile(floorPath(dir, bundle.KindCatalog), []byte("\x00\x00garbage"), 0o600)
		}},
		{"floor file removed", func() { os.Remove(floorPath(dir, bundle.KindCatalog)) }},
		{"floor file says 0", func() { os.WriteFile(floorPath(dir, bundle.KindCatalog), []byte(`{"version":0}`), 0o600) }},
	}
	for _, d := range damage {
		d.do()
		c := start() // the terminal restarts after the damage
		if f := c.Floor(bundle.KindCatalog); f != 5 {
			t.Errorf("%s: floor %d after restart, want 5", d.name, f)
		}
		offer(old)
		if ok, err := c.UpdateBundle(ctx, bundle.KindCatalog); ok || !errors.Is(err, bundle.ErrNotNewer) {
			t.Errorf("%s: the older bundle: %v %v, want refused as not newer", d.name, ok, err)
		}
		if d.name == "bundle file removed" {
			// The lost version itself may come back.
			offer(v5)
			if ok, err := c.UpdateBundle(ctx, bundle.KindCatalog); !ok || err != nil {
				t.Errorf("v5 again after its file was lost: %v %v", ok, err)
			}
		}
	}
	// Newer by version, but dated before the installed bundle: refused.
	offer(sign(6, t0.Add(-time.Hour)))
	if ok, err := start().UpdateBundle(ctx, bundle.KindCatalog); ok || !errors.Is(err, bundle.ErrNotNewer) {
		t.Errorf("back-dated v6: %v %v", ok, err)
	}
	// A genuinely newer one installs and raises the floor.
	offer(sign(7, t0.Add(time.Hour)))
	c := start()
	if ok, err := c.UpdateBundle(ctx, bundle.KindCatalog); !ok || err != nil || c.Floor(bundle.KindCatalog) != 7 {
		t.Fatalf("v7: %v %v, floor %d", ok, err, c.Floor(bundle.KindCatalog))
	}
	if f, err := loadFloor(dir, bundle.KindCatalog); err != nil || f.Version != 7 || !f.CreatedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("floor file: %+v %v", f, err)
	}
}

// FuzzLoadFloor: whatever bytes the floor file holds, reading it never
// panics, never yields a zero floor without an error unless the file is
// absent, and a floor it reads is written back the same.
func FuzzLoadFloor(f *testing.F) {
	for _, s := range []string{`{"version":5,"created_at":"2026-07-01T02:30:00Z"}`, `{"version":0}`, ``, `null`, "\x00\x00", `{"version":-1}`, `{"version":1,"created_at":"x"}`} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := os.WriteFile(floorPath(dir, bundle.KindConfig), b, 0o600); err != nil {
			t.Fatal(err)
		}
		fl, err := loadFloor(dir, bundle.KindConfig)
		if err != nil {
			return
		}
		if fl.Version == 0 {
			t.Fatalf("%q read as a zero floor without an error", b)
		}
		if err := saveFloor(dir, bundle.KindConfig, fl); err != nil {
			t.Fatal(err)
		}
		again, err := loadFloor(dir, bundle.KindConfig)
		if err != nil || again.Version != fl.Version || !again.CreatedAt.Equal(fl.CreatedAt) {
			t.Fatalf("round trip: %+v → %+v %v", fl, again, err)
		}
	})
}
