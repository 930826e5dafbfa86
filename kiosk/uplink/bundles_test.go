package uplink

import (
	"bytes"

	"github.com/emmansun/gmsm/sm2"

	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/tongban/tongban/backoffice/bundle"
)

func TestBundleInstall(t *testing.T) {
	bo := startBackOffice(t)
	ctx := context.Background()
	dir := t.TempDir()
	var got []string
	mk := func() *Client {
		return newClient(t, bo.URL, newFakeQueue(), &fakeClock{now: t0}, func(c *Config) {
			c.BundleDir = dir
			c.BundleKeys = []bundle.PublicKey{bo.BundleKey}
			c.OnBundle = func(k bundle.Kind, v uint64, p []byte) error { got = append(got, string(k)+":"+string(p)); return nil }
		})
	}
	c := mk()
	if ok, err := c.UpdateBundle(ctx, bundle.KindCatalog); ok || err != nil {
		t.Fatalf("nothing published: %v %v", ok, err)
	}
	bo.Server.PublishBundle(ctx, bundle.KindCatalog, []byte(`{"v":1}`))
	if ok, err := c.UpdateBundle(ctx, bundle.KindCatalog); !ok || err != nil {
		t.Fatalf("v1: %v %v", ok, err)
	}
	if ok, err := c.UpdateBundle(ctx, bundle.KindCatalog); ok || err != nil {
		t.Fatalf("v1 again: %v %v", ok, err)
	}
	bo.Server.PublishBundle(ctx, bundle.KindCatalog, []byte(`{"v":2}`))
	if ok, err := c.UpdateBundle(ctx, bundle.KindCatalog); !ok || err != nil || c.InstalledVersion(bundle.KindCatalog) != 2 {
		t.Fatalf("v2: %v %v", ok, err)
	}
	if len(got) != 2 || got[1] != `catalog:{"v":2}` {
		t.Fatalf("OnBundle calls: %v", got)
	}
	// A restarted terminal knows what it has, from the verified file.
	if v := mk().InstalledVersion(bundle.KindCatalog); v != 2 {
		t.Fatalf("after restart: version %d", v)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 || entries[0].Name() != "catalog.bundle" || entries[1].Name() != "catalog.floor" {
		t.Errorf("want the bundle and its floor, no temp files: %v", entries)
	}
}

func TestBundleRefused(t *testing.T) {
	good := bundle.NewSigner(mustSM2(bytes.Repeat([]byte{1}, 32)))
	seed := make([]byte, 32)
	seed[0] = 1
	evil := bundle.NewSigner(mustSM2(seed))
	serve := func(data []byte) string {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(data) }))
		t.Cleanup(ts.Close)
		return ts.URL
	}
	sign := func(s *bundle.Signer, k bundle.Kind, v uint64) []byte {
		b, _ := s.Sign(k, v, t0, []byte(`{}`))
		return b
	}
	dir := t.TempDir()
	installed := sign(good, bundle.KindCatalog, 5)
	if err := writeFileAtomic(bundlePath(dir, bundle.KindCatalog), installed); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"wrong key", sign(evil, bundle.KindCatalog, 9), bundle.ErrUnknownKey},
		{"older", sign(good, bundle.KindCatalog, 4), bundle.ErrNotNewer},
		{"same", sign(good, bundle.KindCatalog, 5), bundle.ErrNotNewer},
		{"other kind", sign(good, bundle.KindConfig, 9), bundle.ErrWrongKind},
		{"garbage", []byte("<html>"), bundle.ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, serve(tc.data), newFakeQueue(), &fakeClock{now: t0}, func(c *Config) {
				c.BundleDir = dir
				c.BundleKeys = []bundle.PublicKey{good.PublicKey()}
				c.OnBundle = func(bundle.Kind, uint64, []byte) error { t.Error("OnBundle called for a refused bundle"); return nil }
			})
			if ok, err := c.UpdateBundle(context.Background(), bundle.KindCatalog); ok || !errors.Is(err, tc.want) {
				t.Fatalf("got %v %v, want %v", ok, err, tc.want)
			}
			now, _ := os.ReadFile(filepath.Join(dir, "catalog.bundle"))
			if string(now) != string(installed) {
				t.Fatal("the installed bundle changed")
			}
		})
	}
	// A tampered installed file is not trusted at start.
	os.WriteFile(bundlePath(dir, bundle.KindCatalog), []byte(`{"kind":"catalog","version":99}`), 0o644)
	c := newClient(t, serve(nil), newFakeQueue(), &fakeClock{now: t0}, func(c *Config) {
		c.BundleDir = dir
		c.BundleKeys = []bundle.PublicKey{good.PublicKey()}
	})
	if v := c.InstalledVersion(bundle.KindCatalog); v != 0 {
		t.Fatalf("tampered file accepted as version %d", v)
	}
}

// TestBundleThatDoesNotLoad: a correctly signed, newer bundle that the
// terminal cannot load is not installed, raises one alarm, and is not
// taken again; the next good version installs.
func TestBundleThatDoesNotLoad(t *testing.T) {
	bo := startBackOffice(t)
	ctx := context.Background()
	dir := t.TempDir()
	checks := 0
	c := newClient(t, bo.URL, newFakeQueue(), &fakeClock{now: t0}, func(c *Config) {
		c.BundleDir = dir
		c.BundleKeys = []bundle.PublicKey{bo.BundleKey}
		c.CheckBundle = func(k bundle.Kind, v uint64, p []byte) error {
			checks++
			if string(p) == "broken" {
				return errors.New("items/x.json: unexpected end of JSON")
			}
			return nil
		}
	})
	bo.Server.PublishBundle(ctx, bundle.KindCatalog, []byte("broken"))
	for i := range 2 {
		ok, err := c.UpdateBundle(ctx, bundle.KindCatalog)
		if ok || (i == 0 && err == nil) {
			t.Fatalf("attempt %d: installed %v, %v; want refused", i, ok, err)
		}
	}
	if checks != 1 {
		t.Errorf("the refused version was checked %d times, want once", checks)
	}
	if c.InstalledVersion(bundle.KindCatalog) != 0 {
		t.Error("a bundle that does not load counts as installed")
	}
	if _, err := os.Stat(filepath.Join(dir, "catalog.bundle")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a bundle that does not load was written: %v", err)
	}
	if err := c.DeliverAlarms(ctx); err != nil {
		t.Fatal(err)
	}
	alarms, _ := bo.Store.Alarms(ctx, testTerminal, 10)
	if len(alarms) != 1 || alarms[0].Kind != "bundle-refused" {
		t.Errorf("alarms %+v, want one bundle-refused", alarms)
	}
	bo.Server.PublishBundle(ctx, bundle.KindCatalog, []byte("good"))
	if ok, err := c.UpdateBundle(ctx, bundle.KindCatalog); !ok || err != nil || c.InstalledVersion(bundle.KindCatalog) != 2 {
		t.Fatalf("v2: %v %v", ok, err)
	}
}

func mustSM2(d []byte) *sm2.PrivateKey {
	k, err := sm2.NewPrivateKey(d)
	if err != nil {
		panic(err)
	}
	return k
}
