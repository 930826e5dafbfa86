package provision

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/backofficetest"
	"github.com/tongban/tongban/internal/durable"
	"github.com/tongban/tongban/internal/powercut"
	"github.com/tongban/tongban/kiosk/uplink"
)

// The files of the power-cut loop's folder: "current" names the terminal
// being set up; each terminal N has N/stick (its provision file and CA)
// and N/data (its data partition).
const currentFile = "current"

// provisionChild sets up the terminal "current" names from its stick,
// then idles; before the loop's check names one, it idles at once. cut,
// when set, is the Applier's kill-point hook (the control's flaw).
func provisionChild(cut func(dir, point string) error) func(dir string, _ *rand.Rand, ack func(string)) error {
	return func(dir string, _ *rand.Rand, ack func(string)) error {
		raw, err := os.ReadFile(filepath.Join(dir, currentFile))
		if err != nil {
			return nil
		}
		n := strings.TrimSpace(string(raw))
		data := filepath.Join(dir, n, "data")
		a := &Applier{DataDir: data, Enrol: uplink.Enrol, Now: time.Now, Log: slog.New(slog.DiscardHandler)}
		if cut != nil {
			a.Cut = func(p string) error { return cut(data, p) }
		}
		if err := a.Apply(context.Background(), filepath.Join(dir, n, "stick", FileName)); err != nil {
			// As a terminal would, it shows the failure and waits; the
			// check finds what is wrong, or that it never gets set up.
			fmt.Fprintf(os.Stderr, "terminal %s: %v\n", n, err)
			return nil
		}
		ack("provisioned " + n)
		return nil
	}
}

// pendingKeyHash is the hash of the public key of the enrolment under way
// in idDir (as the back office records the key that used a token), or "".
func pendingKeyHash(idDir string) string {
	b, err := os.ReadFile(filepath.Join(idDir, "enrol-key.pem"))
	if err != nil {
		return ""
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return ""
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return ""
	}
	der, err := x509.MarshalPKIXPublicKey(k.(*ecdsa.PrivateKey).Public())
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// TestPowerCutProvisioning cuts the power of a terminal setting itself up
// from its provision file at random moments, on a file system that keeps
// only what was synced (internal/powercut), the back office running on.
// After every cut: the identity, if any, loads whole and is the back
// office's enrolment of the terminal; a configuration means an identity
// and a spent token gone from the stick; a terminal the back office
// enrolled but whose identity is not on disk still holds the key that
// spent the token, so the restart gets its certificate again (never
// locked out); a terminal acknowledged as set up stays set up and is
// accepted over mutual TLS. Each terminal set up, the next one starts.
// The control forgets its key as a power cut would if it were kept in
// memory only, as on main: it is caught locked out.
func TestPowerCutProvisioning(t *testing.T) {
	var bo *backofficetest.Running
	var ca []byte
	if !powercut.IsChild() {
		powercut.Require(t)
		bo = backofficetest.TLS(t)
		ca, _ = os.ReadFile(bo.CAFile)
	}
	next := 0
	states := map[string]int{} // what the cuts left, for the log
	newCheck := func() func(dir string, acked []string) powercut.Findings {
		tokens := map[string]string{}
		stuck := 0 // checks in a row that found the same terminal not set up
		return func(dir string, acked []string) powercut.Findings {
			var f powercut.Findings
			fail := func(format string, args ...any) {
				f.CheckErrors++
				f.Problems = append(f.Problems, fmt.Sprintf(format, args...))
			}
			ctx := context.Background()
			for _, a := range acked {
				n := strings.TrimPrefix(a, "provisioned ")
				if !Provisioned(filepath.Join(dir, n, "data")) {
					f.Lost++
					f.Problems = append(f.Problems, "terminal "+n+" was set up and is not any more")
				}
			}
			raw, _ := os.ReadFile(filepath.Join(dir, currentFile))
			n := strings.TrimSpace(string(raw))
			if n != "" {
				data, idDir, stickFile := filepath.Join(dir, n, "data"), filepath.Join(dir, n, "data", "identity"), filepath.Join(dir, n, "stick", FileName)
				term, serr := bo.Store.Terminal(ctx, "CS01"+n)
				var id *uplink.Identity
				switch _, kerr := os.Stat(filepath.Join(idDir, "enrol-key.pem")); {
				case Provisioned(data):
					states["provisioned"]++
				case uplink.Enrolled(idDir):
					states["enrolled, not configured"]++
				case serr == nil:
					states["enrolled by the back office only"]++
				case kerr == nil:
					states["key written, not enrolled"]++
				default:
					states["nothing yet"]++
				}
				if uplink.Enrolled(idDir) {
					var err error
					if id, err = uplink.LoadIdentity(idDir); err != nil {
						fail("terminal %s: half enrolled: %v", n, err)
					} else if got := (&site{data: data}).enrolment(); serr != nil || got != term.CertSerial {
						fail("terminal %s holds enrolment %s, the back office %s (%v)", n, got, term.CertSerial, serr)
					}
				} else if serr == nil {
					if k := pendingKeyHash(idDir); k == "" {
						fail("terminal %s: locked out: the back office enrolled it, and its key is gone", n)
					} else if _, err := bo.Store.ConsumeEnrolmentToken(ctx, uplink.SpentToken(tokens[n]), k, time.Now()); err != nil {
						fail("terminal %s: locked out: the back office enrolled another key (%v)", n, err)
					}
				}
				if Provisioned(data) {
					left, _ := os.ReadFile(stickFile)
					switch {
					case id == nil:
						fail("terminal %s: half provisioned: a configuration without an identity", n)
					case strings.Contains(string(left), tokens[n]):
						fail("terminal %s: set up with its spent token still on the stick", n)
					case id.SyncClock(ctx, nil) != nil:
						fail("terminal %s: set up and refused by the back office", n)
					default:
						n = "" // done: the next terminal
					}
				}
				if stuck++; n == "" {
					stuck = 0
				} else if stuck > 10 {
					fail("terminal %s: not set up after %d restarts", n, stuck)
				}
			}
			if n == "" && f.CheckErrors == 0 {
				next++
				n = strconv.Itoa(1000 + next)
				tok, err := bo.Server.IssueEnrolmentToken(ctx, "CS01"+n, "CS01", time.Hour)
				if err != nil {
					fail("token: %v", err)
					return f
				}
				tokens[n] = tok
				path := stick(t, bo.URL, tok, ca)
				text, _ := os.ReadFile(path)
				text = []byte(strings.Replace(string(text), "= CS0101", "= CS01"+n, 1))
				for name, b := range map[string][]byte{FileName: text, "backoffice-ca.pem": ca} {
					os.MkdirAll(filepath.Join(dir, n, "stick"), 0o700)
					if err := os.WriteFile(filepath.Join(dir, n, "stick", name), b, 0o600); err != nil {
						fail("stick: %v", err)
					}
				}
				os.WriteFile(filepath.Join(dir, currentFile), []byte(n+"\n"), 0o600)
			}
			return f
		}
	}
	powercut.Run(t, powercut.Target{
		Name:     "provisioning",
		Child:    provisionChild(nil),
		NewCheck: newCheck,
		Control: provisionChild(func(data, point string) error {
			if point == "keys" { // the key kept in memory only
				if err := os.Remove(filepath.Join(data, "identity", "enrol-key.pem")); err != nil {
					return err
				}
				return durable.SyncDir(filepath.Join(data, "identity"))
			}
			return nil
		}),
		Delay: 60 * time.Millisecond,
	})
	t.Logf("states the cuts left (main loop and control): %v", states)
}
