package terminal

import (
	"github.com/emmansun/gmsm/sm2"

	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/internal/powercut"
	"github.com/tongban/tongban/kiosk/config"
	"github.com/tongban/tongban/kiosk/uplink"
	servicescatalog "github.com/tongban/tongban/services-catalog"
)

// The catalog bundle's power-cut loop (see internal/powercut): a child
// terminal's uplink keeps installing newer catalog bundles, acknowledging
// each version once UpdateBundle has installed it; the power is cut at a
// random moment; the data folder must then hold the last acknowledged
// bundle or a newer one, whole, verified and loading as a catalog (the
// old one or the new one, never a broken one and never an older one).

// pcSigner signs the loop's bundles; the same seed in both processes.
func pcSigner() *bundle.Signer {
	return bundle.NewSigner(mustSM2(bytes.Repeat([]byte{7}, 32)))
}

// pcCatalog is the embedded catalog as a bundle payload with its version
// set to version.
func pcCatalog(version string) ([]byte, error) {
	return PackCatalog(servicescatalog.FS(), func(name string, data []byte) []byte {
		if name != "catalog.json" {
			return data
		}
		return bytes.Replace(data, []byte(`"version": "2026.11.0"`), []byte(`"version": "`+version+`"`), 1)
	})
}

// pcPayloadsEnv names the folder where the parent packed the two
// catalogs, so that each child starts installing at once.
const pcPayloadsEnv = "TONGBAN_PC_CATALOGS"

// packPayloads packs two catalogs of different versions and sizes into
// dir.
func packPayloads(dir string) error {
	for i := range 2 {
		p, err := pcCatalog(fmt.Sprintf("2026.12.%d", i))
		if err != nil {
			return err
		}
		if i == 1 { // make the two files differ in length too
			p = append(p, make([]byte, 6000)...)
		}
		if err := os.WriteFile(filepath.Join(dir, strconv.Itoa(i)), p, 0o600); err != nil {
			return err
		}
	}
	return nil
}

func pcPayloads() (out [2][]byte, err error) {
	for i := range out {
		if out[i], err = os.ReadFile(filepath.Join(os.Getenv(pcPayloadsEnv), strconv.Itoa(i))); err != nil {
			return out, err
		}
	}
	return out, nil
}

// pcInstall is the child: a back office on loopback always offering the
// version after the one the terminal names, alternating two catalogs of
// different sizes, and the terminal's uplink installing each in turn.
func pcInstall(dir string, rng *rand.Rand, ack func(string)) error {
	payloads, err := pcPayloads()
	if err != nil {
		return err
	}
	signer := pcSigner()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		have, _ := strconv.ParseUint(strings.Trim(r.Header.Get("If-None-Match"), `"v`), 10, 64)
		next := have + 1
		data, err := signer.Sign(bundle.KindCatalog, next, time.Now(), payloads[next%2])
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("ETag", fmt.Sprintf(`"v%d"`, next))
		w.Write(data)
	}))
	defer srv.Close()
	c, err := uplink.New(uplink.Config{
		BaseURL: srv.URL, Terminal: "PCUT", Center: "310104-TEST", Queue: noQueue{},
		BundleDir:  filepath.Join(dir, "bundles"),
		BundleKeys: []bundle.PublicKey{signer.PublicKey()},
		CheckBundle: func(kind bundle.Kind, version uint64, payload []byte) error {
			_, err := LoadCatalogBundle(payload)
			return err
		},
	})
	if err != nil {
		return err
	}
	for {
		ok, err := c.UpdateBundle(context.Background(), bundle.KindCatalog)
		if err != nil {
			return err
		}
		if ok {
			ack(strconv.FormatUint(c.InstalledVersion(bundle.KindCatalog), 10))
		}
	}
}

// checkBundle starts as the terminal would: the installed bundle must be
// verified and load as a catalog, and be no older than the last version
// acknowledged as installed.
func checkBundle(dir string, acked []string) powercut.Findings {
	var f powercut.Findings
	var last uint64
	for _, a := range acked {
		v, _ := strconv.ParseUint(a, 10, 64)
		last = max(last, v)
	}
	keys := []bundle.PublicKey{pcSigner().PublicKey()}
	env, err := uplink.LoadInstalled(filepath.Join(dir, "bundles"), bundle.NewVerifier(keys...), bundle.KindCatalog)
	switch {
	case errors.Is(err, uplink.ErrNoBundle):
		if last > 0 {
			f.Lost++
			f.Problems = append(f.Problems, fmt.Sprintf("no bundle installed, v%d was acknowledged: back to the embedded catalog", last))
		}
		return f
	case err != nil:
		f.CheckErrors++
		f.Problems = append(f.Problems, "the installed bundle is broken: "+err.Error())
		return f
	}
	if env.Version < last {
		f.Lost++
		f.Problems = append(f.Problems, fmt.Sprintf("installed v%d, older than v%d acknowledged", env.Version, last))
	}
	if _, err := LoadCatalogBundle(env.Payload); err != nil {
		f.CheckErrors++
		f.Problems = append(f.Problems, fmt.Sprintf("installed v%d does not load as a catalog: %v", env.Version, err))
	}
	// The terminal's own start-up path agrees.
	tm := &Terminal{cfg: config.Config{DataDir: dir}, catalogs: &catalogs{keys: keys}, log: slog.New(slog.DiscardHandler)}
	if err := tm.loadCatalog(); err != nil {
		f.CheckErrors++
		f.Problems = append(f.Problems, "loadCatalog: "+err.Error())
	} else if _, src := tm.catalogs.describe(); src != sourceBundle(env.Version) {
		f.CheckErrors++
		f.Problems = append(f.Problems, fmt.Sprintf("the terminal runs %s, not bundle v%d", src, env.Version))
	}
	return f
}

func TestPowerCutCatalogBundle(t *testing.T) {
	if !powercut.IsChild() {
		powercut.Require(t)
		dir := t.TempDir()
		if err := packPayloads(dir); err != nil {
			t.Fatal(err)
		}
		t.Setenv(pcPayloadsEnv, dir)
	}
	powercut.Run(t, powercut.Target{
		Name:  "catalog bundle",
		Child: pcInstall,
		Check: checkBundle,
		// The control installs in place, without a temporary file.
		Control: func(dir string, rng *rand.Rand, ack func(string)) error {
			signer := pcSigner()
			if err := os.MkdirAll(filepath.Join(dir, "bundles"), 0o755); err != nil {
				return err
			}
			if d, err := os.Open(dir); err == nil {
				d.Sync()
				d.Close()
			}
			payloads, err := pcPayloads()
			if err != nil {
				return err
			}
			for v := uint64(1); ; v++ {
				data, err := signer.Sign(bundle.KindCatalog, v, time.Now(), payloads[v%2])
				if err != nil {
					return err
				}
				f, err := os.OpenFile(filepath.Join(dir, "bundles", "catalog.bundle"), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
				if err != nil {
					return err
				}
				if _, err := f.Write(data); err != nil {
					return err
				}
				if err := f.Sync(); err != nil {
					return err
				}
				f.Close()
				ack(strconv.FormatUint(v, 10))
			}
		},
		Delay: 200 * time.Millisecond,
		Torn:  true,
	})
}

func mustSM2(d []byte) *sm2.PrivateKey {
	k, err := sm2.NewPrivateKey(d)
	if err != nil {
		panic(err)
	}
	return k
}
