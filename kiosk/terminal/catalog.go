package terminal

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/catalog"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/ui"
	"github.com/tongban/tongban/kiosk/uplink"
	servicescatalog "github.com/tongban/tongban/services-catalog"
)

// Where a running catalog came from.
const sourceEmbedded = "embedded"

func sourceBundle(version uint64) string { return fmt.Sprintf("bundle v%d", version) }

// catalogs holds the running catalog and a newer one waiting for the
// session to be on the attract screen. The session and the screens see it
// through the methods below, which always read the running one.
type catalogs struct {
	keys []bundle.PublicKey // what catalog bundles must be signed with

	mu       sync.Mutex
	cur      *catalog.Catalog
	src      string
	next     *catalog.Catalog // loaded, installed, waiting for the visit to end
	nextSrc  string
	checked  *catalog.Catalog // loaded by CheckBundle, for OnBundle
	checkedV uint64
}

var (
	_ flow.Catalog    = (*catalogs)(nil)
	_ ui.Browser      = (*catalogs)(nil)
	_ ui.FigureSource = (*catalogs)(nil)
)

func (c *catalogs) current() *catalog.Catalog {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cur
}

func (c *catalogs) describe() (version, source string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cur.Version(), c.src
}

// stage keeps cat to replace the running catalog between visits.
func (c *catalogs) stage(cat *catalog.Catalog, src string) {
	c.mu.Lock()
	c.next, c.nextSrc = cat, src
	c.mu.Unlock()
}

func (c *catalogs) pending() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.next != nil
}

// swap puts the staged catalog in use; ok false when none was staged.
func (c *catalogs) swap() (version, source string, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.next == nil {
		return "", "", false
	}
	c.cur, c.src, c.next, c.nextSrc = c.next, c.nextSrc, nil, ""
	return c.cur.Version(), c.src, true
}

func (c *catalogs) Item(code kiosk.ItemCode) (kiosk.Item, bool) { return c.current().Item(code) }

func (c *catalogs) browser() ui.Browser                     { return ui.CatalogBrowser(c.current()) }
func (c *catalogs) Popular(n int) []kiosk.Item              { return c.browser().Popular(n) }
func (c *catalogs) Departments() []ui.Group                 { return c.browser().Departments() }
func (c *catalogs) InDepartment(id string) []kiosk.Item     { return c.browser().InDepartment(id) }
func (c *catalogs) LifeEvents() []ui.Group                  { return c.browser().LifeEvents() }
func (c *catalogs) ForLifeEvent(id string) []kiosk.Item     { return c.browser().ForLifeEvent(id) }
func (c *catalogs) Search(query string, n int) []kiosk.Item { return c.browser().Search(query, n) }

// Figures are an item's dated money figures, from the running catalog.
func (c *catalogs) Figures(it kiosk.Item, on time.Time) []kiosk.ShownFigure {
	return c.current().Figures(it, on)
}

// eligible asks the running catalog's rules, with the form's answers when
// there are some.
func (c *catalogs) eligible(it kiosk.Item, who kiosk.Identity, answers kiosk.Answers, today time.Time) (bool, kiosk.Text) {
	v, err := c.current().Eligible(it.Code, who, answers, today)
	if err != nil {
		return false, kiosk.MessageOf(err)
	}
	if v.OK() {
		return true, kiosk.Text{}
	}
	return false, kiosk.MessageOf(v.Err())
}

// loadCatalog starts from the installed catalog bundle, verified again,
// or the embedded catalog when there is none or it does not load.
func (t *Terminal) loadCatalog() error {
	if t.catalogs == nil {
		t.catalogs = &catalogs{}
	}
	if len(t.catalogs.keys) > 0 {
		env, err := uplink.LoadInstalled(t.bundleDir(), bundle.NewVerifier(t.catalogs.keys...), bundle.KindCatalog)
		if err == nil {
			var cat *catalog.Catalog
			if cat, err = LoadCatalogBundle(env.Payload); err == nil {
				t.catalogs.cur, t.catalogs.src = cat, sourceBundle(env.Version)
				t.log.Info("catalog loaded", "version", cat.Version(), "items", cat.Len(), "source", t.catalogs.src)
				return nil
			}
		}
		if !errors.Is(err, uplink.ErrNoBundle) {
			t.log.Error("the installed catalog bundle does not load; using the embedded catalog", "err", err)
			t.record("catalog.refused", "", clip("installed bundle: "+err.Error()))
			t.raise(string(alarmBundleRefused), "", clip("the installed catalog bundle does not load: "+err.Error()))
		}
	}
	fsys := t.opts.CatalogFS
	if fsys == nil {
		fsys = servicescatalog.FS()
	}
	cat, err := catalog.Load(fsys)
	if err != nil {
		return fmt.Errorf("the services catalog does not load: %w", err)
	}
	t.catalogs.cur, t.catalogs.src = cat, sourceEmbedded
	t.log.Info("catalog loaded", "version", cat.Version(), "items", cat.Len(), "source", sourceEmbedded)
	return nil
}

// checkBundle is the uplink's CheckBundle: a catalog bundle must load.
func (t *Terminal) checkBundle(kind bundle.Kind, version uint64, payload []byte) error {
	if kind == bundle.KindConfig {
		_, err := StaffRoster(payload)
		return err
	}
	if kind != bundle.KindCatalog {
		return nil
	}
	cat, err := LoadCatalogBundle(payload)
	if err != nil {
		t.record("catalog.refused", "", clip(fmt.Sprintf("bundle v%d: %v", version, err)))
		return err
	}
	t.catalogs.mu.Lock()
	t.catalogs.checked, t.catalogs.checkedV = cat, version
	t.catalogs.mu.Unlock()
	return nil
}

// takeBundle is the uplink's OnBundle: an installed catalog bundle waits
// for the session to be between visits.
func (t *Terminal) takeBundle(kind bundle.Kind, version uint64, payload []byte) error {
	if kind == bundle.KindConfig {
		return t.takeConfigBundle(version, payload)
	}
	if kind != bundle.KindCatalog {
		return nil
	}
	c := t.catalogs
	c.mu.Lock()
	cat := c.checked
	if c.checkedV != version {
		cat = nil
	}
	c.checked = nil
	c.mu.Unlock()
	if cat == nil {
		var err error
		if cat, err = LoadCatalogBundle(payload); err != nil {
			return err
		}
	}
	c.stage(cat, sourceBundle(version))
	t.log.Info("catalog bundle installed; it replaces the running catalog between visits", "version", cat.Version(), "bundle", version)
	return nil
}

// swapCatalogs replaces the running catalog with a staged one while the
// session is on the attract screen, so that no visit sees two catalogs.
func (t *Terminal) swapCatalogs(ctx context.Context) {
	for t.sleep(ctx, catalogSwapPoll) {
		if !t.catalogs.pending() || t.session.View().State != flow.Attract {
			continue
		}
		if v, src, ok := t.catalogs.swap(); ok {
			t.log.Info("catalog replaced", "version", v, "source", src)
			t.record("catalog.replaced", "", v+" "+src)
		}
	}
}

// catalogSwapPoll is how often a staged catalog looks for the attract screen.
const catalogSwapPoll = time.Second

// LoadCatalogBundle loads a catalog bundle's payload: a zip archive of the
// services-catalog tree (catalog.json, departments.json, life_events.json,
// parameters.json, items/...).
func LoadCatalogBundle(payload []byte) (*catalog.Catalog, error) {
	zr, err := zip.NewReader(bytes.NewReader(payload), int64(len(payload)))
	if err != nil {
		return nil, fmt.Errorf("the catalog bundle is not a zip archive: %w", err)
	}
	return catalog.Load(zr)
}

// PackCatalog writes fsys (a services-catalog tree) as a catalog bundle
// payload, with change applied to each file's bytes (nil: unchanged), for
// publishing with `backoffice --publish catalog=FILE` and for tests.
func PackCatalog(fsys fs.FS, change func(name string, data []byte) []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		if change != nil {
			data = change(name, data)
		}
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		_, err = io.Copy(w, bytes.NewReader(data))
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// clip keeps an audit or alarm detail within its field.
func clip(s string) string {
	n := 400
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
