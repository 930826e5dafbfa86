package uplink

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/bundle"

	"github.com/tongban/tongban/internal/durable"
)

// ErrNoBundle is LoadInstalled's error when no bundle of the kind is installed.
var ErrNoBundle = errors.New("uplink: no bundle installed")

// bundlePath is where the installed bundle of kind lives.
func bundlePath(dir string, kind bundle.Kind) string {
	return filepath.Join(dir, string(kind)+".bundle")
}

// LoadInstalled reads and re-verifies the installed bundle of kind in dir.
// The terminal calls it at start to load its catalog; a tampered file is
// refused like a tampered download.
func LoadInstalled(dir string, v *bundle.Verifier, kind bundle.Kind) (bundle.Envelope, error) {
	data, err := os.ReadFile(bundlePath(dir, kind))
	if errors.Is(err, os.ErrNotExist) {
		return bundle.Envelope{}, ErrNoBundle
	}
	if err != nil {
		return bundle.Envelope{}, err
	}
	return v.Verify(data, kind, 0)
}

// InstalledVersion is the version of the installed bundle of kind (0: none).
func (c *Client) InstalledVersion(kind bundle.Kind) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.installed[kind]
}

// UpdateBundle fetches the latest bundle of kind and installs it if it is
// correctly signed and newer than the installed one. It reports whether it
// installed something. A bundle with a bad signature, of another kind, or
// not newer is refused with an error wrapping the bundle package's Err*.
func (c *Client) UpdateBundle(ctx context.Context, kind bundle.Kind) (bool, error) {
	if c.cfg.BundleDir == "" {
		return false, errors.New("uplink: no bundle directory configured")
	}
	c.mu.Lock()
	// The floor, kept apart from the bundle, is at least the installed
	// version: a damaged or removed bundle file does not reopen the door
	// to older bundles (belowFloor), though the floor's own version may be
	// installed again.
	fl := c.floors[kind]
	have := c.installed[kind]
	known := max(have, c.refused[kind]) // a refused version is not fetched again
	c.mu.Unlock()
	var data []byte
	status, _, err := c.do(ctx, http.MethodGet, "/v1/bundles/"+string(kind), nil, &data, "If-None-Match", `"v`+strconv.FormatUint(known, 10)+`"`)
	var se *StatusError
	switch {
	case errors.As(err, &se) && se.Status == http.StatusNotFound:
		return false, nil // nothing published yet
	case err != nil:
		return false, err
	case status == http.StatusNotModified:
		return false, nil
	}
	env, err := c.verifier.Verify(data, kind, have)
	if errors.Is(err, bundle.ErrNotNewer) && have > 0 {
		// The server offers what we have or older: a rollback or a stale
		// mirror. Keep ours.
		c.log.Warn("bundle refused: not newer than installed", "kind", kind, "err", err)
		return false, err
	}
	if err != nil {
		c.log.Error("bundle refused", "kind", kind, "err", err)
		return false, err
	}
	if why := belowFloor(env, fl); why != "" {
		c.log.Warn("bundle refused: below the rollback floor", "kind", kind, "why", why)
		return false, fmt.Errorf("%w: %s", bundle.ErrNotNewer, why)
	}
	c.mu.Lock()
	seen := env.Version <= c.refused[kind]
	c.mu.Unlock()
	if seen {
		return false, nil // refused before: the alarm was raised then
	}
	if c.cfg.CheckBundle != nil {
		if err := c.cfg.CheckBundle(kind, env.Version, env.Payload); err != nil {
			c.mu.Lock()
			c.refused[kind] = env.Version
			c.mu.Unlock()
			c.log.Error("bundle refused: it does not load; keeping the running one", "kind", kind, "version", env.Version, "err", err)
			c.Alarm(api.AlarmBundleRefused, "", fmt.Sprintf("the %s bundle v%d does not load: %v", kind, env.Version, err))
			return false, fmt.Errorf("uplink: the %s bundle v%d does not load: %w", kind, env.Version, err)
		}
	}
	if err := writeFileAtomic(bundlePath(c.cfg.BundleDir, kind), data); err != nil {
		return false, fmt.Errorf("uplink: installing the %s bundle: %w", kind, err)
	}
	nf := fl.raise(floor{Version: env.Version, CreatedAt: env.CreatedAt})
	if err := saveFloor(c.cfg.BundleDir, kind, nf); err != nil {
		// The bundle itself is installed and carries its version and date:
		// at the next start it sets the floor.
		c.log.Warn("rollback floor not saved", "kind", kind, "err", err)
	}
	c.mu.Lock()
	c.installed[kind] = env.Version
	c.floors[kind] = nf
	c.mu.Unlock()
	c.log.Info("bundle installed", "kind", kind, "version", env.Version)
	if c.cfg.OnBundle != nil {
		if err := c.cfg.OnBundle(kind, env.Version, env.Payload); err != nil {
			return true, fmt.Errorf("uplink: the %s bundle v%d is installed but was not taken into use: %w", kind, env.Version, err)
		}
	}
	return true, nil
}

// writeFileAtomic replaces path with data so that a power cut leaves
// either the old file or the new one (internal/durable).
func writeFileAtomic(path string, data []byte) error {
	return durable.WriteFile(path, data, 0o600)
}
