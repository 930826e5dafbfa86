package kiosk_test

import (
	"bytes"
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/tongban/tongban"

// importRules are the dependency rules of DESIGN.md §2. Each entry forbids
// packages matching `pkg` (a module-relative prefix) from importing paths
// with the given prefixes.
var importRules = []struct {
	pkg       string
	forbidden []string
	why       string
}{
	{"kiosk", []string{"fyne.io/", "go.etcd.io/bbolt", "go.bug.st/serial", "net/http"}, "the domain imports the standard library only"},
	{"kiosk/flow", []string{"fyne.io/", "go.etcd.io/bbolt", "go.bug.st/serial", "net/http"}, "the session state machine knows no UI, storage or network"},
	{"devices/", []string{module + "/kiosk"}, "drivers know bytes and protocols, never residents or forms"},
}

// soleImporters names, for each third-party module, the packages (by
// module-relative prefix) allowed to import it. Everything else is refused,
// so each library sits behind one package of ours.
var soleImporters = map[string][]string{
	"fyne.io/fyne/v2":                {"kiosk/ui", "assets", "cmd/kiosk"},
	"go.bug.st/serial":               {"devices/serialport"},
	"go.etcd.io/bbolt":               {"kiosk/outbox"},
	"github.com/google/go-tpm":       {"kiosk/keystore"},
	"github.com/emmansun/gmsm":       {"kiosk/outbox", "kiosk/keystore", "kiosk/audit", "backoffice/bundle", "kiosk/uplink", "backoffice/store", "backoffice/document", "internal/sealed", "backoffice", "internal/ssmtoken", "kiosk/staffdesk"},
	"github.com/mozillazg/go-pinyin": {"kiosk/pinyin"},
	"github.com/nicksnyder/go-i18n":  {"kiosk/i18n"},
	"github.com/skip2/go-qrcode":     {"devices/escpos", "backoffice/console", "backoffice/document"},
	"codeberg.org/go-pdf/fpdf":       {"backoffice/document"},
	"github.com/boombuler/barcode":   {"devices/escpos"},
	"modernc.org/sqlite":             {"backoffice/store"},
	"github.com/jackc/pgx":           {"backoffice/store"},
	"golang.org/x/crypto":            {"backoffice/console"},
	"github.com/creack/pty":          {"devices/sim"},
	"github.com/coreos/go-systemd":   {"cmd/kiosk"},
	"github.com/goreleaser/nfpm":     {"packaging"},
}

type listedPackage struct {
	ImportPath string
	Imports    []string // direct imports
	Deps       []string // every package it depends on, transitively
}

func listPackages(t *testing.T) []listedPackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", module+"/...")
	cmd.Dir = ".."
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(&out)
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("decoding go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func matches(rel, prefix string) bool {
	if strings.HasSuffix(prefix, "/") {
		return strings.HasPrefix(rel, prefix)
	}
	return rel == prefix || strings.HasPrefix(rel, prefix+"/")
}

func TestDependencyRules(t *testing.T) {
	pkgs := listPackages(t)
	if len(pkgs) < 5 {
		t.Fatalf("go list found only %d packages; is the test running from the module?", len(pkgs))
	}
	for _, p := range pkgs {
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		for _, dep := range p.Deps {
			for _, r := range importRules {
				exact := r.pkg == "kiosk" || r.pkg == "kiosk/flow"
				if (exact && rel != r.pkg) || (!exact && !matches(rel, r.pkg)) {
					continue
				}
				for _, f := range r.forbidden {
					if strings.HasPrefix(dep, f) {
						t.Errorf("%s depends on %s: %s", p.ImportPath, dep, r.why)
					}
				}
			}
		}
		for _, imp := range p.Imports {
			for lib, allowed := range soleImporters {
				if !strings.HasPrefix(imp, lib) {
					continue
				}
				ok := false
				for _, a := range allowed {
					ok = ok || matches(rel, a)
				}
				if !ok {
					t.Errorf("%s imports %s: only %v may import %s", p.ImportPath, imp, allowed, lib)
				}
			}
		}
	}
}
