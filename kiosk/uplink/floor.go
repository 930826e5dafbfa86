package uplink

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/tongban/tongban/backoffice/bundle"
)

// floor is the rollback floor of a kind of bundle: the newest version the
// terminal has installed and that bundle's own date. A bundle offered
// later must not be below the version nor dated before it.
type floor struct {
	Version   uint64    `json:"version"`
	CreatedAt time.Time `json:"created_at"`
}

// raise returns the higher of two floors.
func (f floor) raise(g floor) floor {
	if g.Version > f.Version || (g.Version == f.Version && g.CreatedAt.After(f.CreatedAt)) {
		return g
	}
	return f
}

// floorPath is where the floor of kind is kept, beside the bundle.
func floorPath(dir string, kind bundle.Kind) string {
	return filepath.Join(dir, string(kind)+".floor")
}

// loadFloor reads the floor of kind. A missing file is a zero floor; a
// damaged one is an error, and the caller falls back to the installed
// bundle, which carries its own version and date: damaging the file does
// not lower the floor below what is installed.
func loadFloor(dir string, kind bundle.Kind) (floor, error) {
	b, err := os.ReadFile(floorPath(dir, kind))
	if errors.Is(err, os.ErrNotExist) {
		return floor{}, nil
	}
	if err != nil {
		return floor{}, err
	}
	var f floor
	if err := json.Unmarshal(b, &f); err != nil || f.Version == 0 {
		return floor{}, fmt.Errorf("uplink: the %s rollback floor file is damaged", kind)
	}
	return f, nil
}

// saveFloor keeps f durably (internal/durable): a power cut leaves the old
// floor or the new one.
func saveFloor(dir string, kind bundle.Kind, f floor) error {
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return writeFileAtomic(floorPath(dir, kind), b)
}

// belowFloor says why env may not be installed over f, or "". The floor's
// own version may be installed again (its file was lost), not older ones.
func belowFloor(env bundle.Envelope, f floor) string {
	switch {
	case env.Version < f.Version:
		return fmt.Sprintf("version %d is below the floor %d", env.Version, f.Version)
	case !f.CreatedAt.IsZero() && env.CreatedAt.Before(f.CreatedAt):
		return fmt.Sprintf("version %d is dated %s, before the installed bundle's %s", env.Version,
			env.CreatedAt.UTC().Format(time.RFC3339), f.CreatedAt.UTC().Format(time.RFC3339))
	}
	return ""
}

// Floor is the rollback floor of kind: the version a bundle offered may
// not be below.
func (c *Client) Floor(kind bundle.Kind) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.floors[kind].Version
}
