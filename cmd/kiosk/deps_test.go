package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestProductionBuildLinksNoBackOffice: the kiosk binary a terminal runs
// (built without -tags sim) links no back-office store, no SQLite, no pgx,
// no simulators; the simulated build does, for `make run`.
func TestProductionBuildLinksNoBackOffice(t *testing.T) {
	forbidden := []string{
		"github.com/tongban/tongban/backoffice/store",
		"modernc.org/sqlite",
		"github.com/jackc/pgx",
		"github.com/tongban/tongban/kiosk/simulation",
		"github.com/tongban/tongban/devices/sim",
	}
	deps := func(tags ...string) map[string]bool {
		args := append([]string{"list", "-deps"}, tags...)
		out, err := exec.Command("go", append(args, ".")...).CombinedOutput()
		if err != nil {
			t.Fatalf("go list: %v\n%s", err, out)
		}
		set := map[string]bool{}
		for _, p := range strings.Fields(string(out)) {
			set[p] = true
		}
		return set
	}
	matches := func(set map[string]bool, prefix string) []string {
		var hit []string
		for p := range set {
			if p == prefix || strings.HasPrefix(p, prefix+"/") {
				hit = append(hit, p)
			}
		}
		return hit
	}
	prod := deps()
	for _, f := range forbidden {
		if hit := matches(prod, f); len(hit) > 0 {
			t.Errorf("the production kiosk links %v", hit)
		}
	}
	if prod["github.com/tongban/tongban/backoffice"] {
		t.Error("the production kiosk links the back office server")
	}
	t.Logf("production kiosk: %d packages", len(prod))
	sim := deps("-tags", "sim")
	for _, want := range []string{"github.com/tongban/tongban/kiosk/simulation", "modernc.org/sqlite"} {
		if len(matches(sim, want)) == 0 {
			t.Errorf("the simulated kiosk (-tags sim) does not link %s: make run would have no simulation", want)
		}
	}
	t.Logf("simulated kiosk: %d packages", len(sim))
}
