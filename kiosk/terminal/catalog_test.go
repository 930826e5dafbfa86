package terminal

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/simulation"
	servicescatalog "github.com/tongban/tongban/services-catalog"
)

// bundleTerminal starts a simulated terminal in dir whose uplink beats
// fast, so published bundles arrive within the test.
func bundleTerminal(t *testing.T, dir string) (*Terminal, *simulation.Surroundings, *lockedBuffer) {
	t.Helper()
	var sims *simulation.Surroundings
	opts := simOptions(&sims)
	buf := &lockedBuffer{}
	opts.Logger = slog.New(slog.NewJSONHandler(buf, nil))
	opts.HeartbeatEvery = 100 * time.Millisecond
	tm, err := New(context.Background(), simConfig(dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tm.Close() })
	return tm, sims, buf
}

// catalogPayload is the embedded catalog as a bundle payload, with its
// version changed (or catalog.json broken when version is "").
func catalogPayload(t *testing.T, version string) []byte {
	t.Helper()
	p, err := PackCatalog(servicescatalog.FS(), func(name string, data []byte) []byte {
		if name != "catalog.json" {
			return data
		}
		if version == "" {
			return []byte(`{"version": `)
		}
		return bytes.Replace(data, []byte(`"version": "2026.11.0"`), []byte(`"version": "`+version+`"`), 1)
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 10 s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestCatalogBundleApplied: a verified, newer catalog bundle is installed
// in the data folder and replaces the running catalog once the visit in
// progress has ended, never during it; it is verified and used again at
// start; one that does not load is refused with an alarm and the running
// catalog stays; a tampered installed file is refused at start. (Before,
// bundles were fetched and verified, then never used.)
func TestCatalogBundleApplied(t *testing.T) {
	if testing.Short() {
		t.Skip("starts simulated terminals and their back office")
	}
	ctx := context.Background()
	dir := t.TempDir()
	tm, sims, _ := bundleTerminal(t, dir)
	embedded, _ := tm.Catalog()
	if v, src := tm.Catalog(); src != "embedded" {
		t.Fatalf("catalog at start %s from %q, want embedded", v, src)
	}
	s := tm.Session()
	s.Start()
	waitFor(t, "identify screen", func() bool { return s.View().State == flow.Identify })

	if _, err := sims.Office().Server.PublishBundle(ctx, bundle.KindCatalog, catalogPayload(t, "2099.1.0")); err != nil {
		t.Fatal(err)
	}
	installed := filepath.Join(dir, "bundles", "catalog.bundle")
	waitFor(t, "bundle installed", func() bool { _, err := os.Stat(installed); return err == nil })
	time.Sleep(2 * catalogSwapPoll) // the swap had its chances during the visit
	if v, src := tm.Catalog(); v != embedded || src != "embedded" {
		t.Fatalf("during a visit the catalog became %s from %s", v, src)
	}
	s.End()
	waitFor(t, "catalog replaced after the visit", func() bool {
		v, src := tm.Catalog()
		return v == "2099.1.0" && src == "bundle v1"
	})
	if it, ok := tm.catalogs.Item(e2eItem); !ok || it.Code != e2eItem {
		t.Errorf("the new catalog lacks %s", e2eItem)
	}

	// A signed, newer bundle that does not load: refused, alarmed, v1 stays.
	if _, err := sims.Office().Server.PublishBundle(ctx, bundle.KindCatalog, catalogPayload(t, "")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "bundle-refused alarm", func() bool {
		alarms, _ := sims.Office().Store.Alarms(ctx, tm.cfg.Terminal, 10)
		for _, a := range alarms {
			if a.Kind == "bundle-refused" {
				return true
			}
		}
		return false
	})
	if v, src := tm.Catalog(); v != "2099.1.0" || src != "bundle v1" {
		t.Errorf("after a broken bundle the catalog is %s from %s, want v1 kept", v, src)
	}
	kinds := auditKinds(t, filepath.Join(dir, "audit.log"))
	if !strings.Contains(strings.Join(asStrings(kinds), " "), "catalog.replaced") || !strings.Contains(strings.Join(asStrings(kinds), " "), "catalog.refused") {
		t.Errorf("audit log kinds %v: want catalog.replaced and catalog.refused", kinds)
	}
	tm.Close()

	// Restarted: the installed bundle is verified and used at once.
	tm2, _, _ := bundleTerminal(t, dir)
	if v, src := tm2.Catalog(); v != "2099.1.0" || src != "bundle v1" {
		t.Errorf("after restart the catalog is %s from %s, want the installed bundle v1", v, src)
	}
	tm2.Close()

	// Tampered on disk: refused at start, the embedded catalog runs.
	data, err := os.ReadFile(installed)
	if err != nil {
		t.Fatal(err)
	}
	// One character of the signed payload changed: still valid JSON and
	// base64, no longer what was signed.
	at := bytes.Index(data, []byte(`"payload":"`))
	if at < 0 {
		t.Fatalf("no payload in the installed bundle: %.200s", data)
	}
	at += len(`"payload":"`) + 100
	if data[at] == 'A' {
		data[at] = 'B'
	} else {
		data[at] = 'A'
	}
	if err := os.WriteFile(installed, data, 0o600); err != nil {
		t.Fatal(err)
	}
	tm3, _, log := bundleTerminal(t, dir)
	if v, src := tm3.Catalog(); v != embedded || src != "embedded" {
		t.Errorf("with a tampered bundle the catalog is %s from %s, want embedded", v, src)
	}
	if !strings.Contains(log.String(), "installed catalog bundle does not load") {
		t.Errorf("the tampered bundle was not reported: %.300s", log)
	}
}

func asStrings[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
