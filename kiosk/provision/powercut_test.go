package provision

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/backofficetest"
	"github.com/tongban/tongban/kiosk/uplink"
)

// errPowerCut stands for the power going off at a kill point.
var errPowerCut = errors.New("power cut")

// killer cuts the power at the at-th kill point of one run (0: never) and
// records the points it passed.
type killer struct {
	at     int
	passed []string
}

func (k *killer) cut(point string) error {
	k.passed = append(k.passed, point)
	if len(k.passed) == k.at {
		return errPowerCut
	}
	return nil
}

// site is one terminal being set up from its stick against a back office.
type site struct {
	bo       *backofficetest.Running
	terminal string
	token    string
	path     string // the provision file
	data     string // the data partition
	serial   string // the enrolment the back office first recorded
}

func newSite(t *testing.T, bo *backofficetest.Running, n int) *site {
	t.Helper()
	s := &site{bo: bo, terminal: fmt.Sprintf("CS01%04d", n), data: t.TempDir()}
	var err error
	if s.token, err = bo.Server.IssueEnrolmentToken(context.Background(), s.terminal, "CS01", time.Hour); err != nil {
		t.Fatal(err)
	}
	ca, err := os.ReadFile(bo.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	s.path = stick(t, bo.URL, s.token, ca)
	text, _ := os.ReadFile(s.path)
	if err := os.WriteFile(s.path, []byte(strings.Replace(string(text), "= CS0101", "= "+s.terminal, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	return s
}

// run restarts the terminal's set-up with the power cut at the at-th kill
// point (0: not cut).
func (s *site) run(at int) (*killer, error) {
	k := &killer{at: at}
	a := applier(s.data, uplink.Enrol, &recorder{})
	a.Cut = k.cut
	return k, a.Apply(context.Background(), s.path)
}

func (s *site) idDir() string { return filepath.Join(s.data, "identity") }

// check examines what a cut left: never half set up, and the back office
// enrolled the terminal at most once.
func (s *site) check() error {
	t, err := s.bo.Store.Terminal(context.Background(), s.terminal)
	switch {
	case err == nil && s.serial == "":
		s.serial = t.CertSerial
	case err == nil && t.CertSerial != s.serial:
		return fmt.Errorf("enrolled twice: enrolment %s, then %s", s.serial, t.CertSerial)
	}
	if uplink.Enrolled(s.idDir()) {
		id, err := uplink.LoadIdentity(s.idDir())
		if err != nil {
			return fmt.Errorf("half enrolled: the identity does not load: %v", err)
		}
		if id.Terminal != s.terminal {
			return fmt.Errorf("enrolled as %s", id.Terminal)
		}
		if got := s.enrolment(); got != s.serial {
			return fmt.Errorf("the terminal holds enrolment %q, the back office %q", got, s.serial)
		}
	}
	if Provisioned(s.data) {
		if !uplink.Enrolled(s.idDir()) {
			return errors.New("half provisioned: a configuration without an identity")
		}
		left, _ := os.ReadFile(s.path)
		if strings.Contains(string(left), s.token) {
			return errors.New("provisioned with the used token still on the stick")
		}
	}
	return nil
}

// enrolment is the enrolment of the certificate the terminal holds.
func (s *site) enrolment() string {
	b, err := os.ReadFile(filepath.Join(s.idDir(), "client.pem"))
	if err != nil {
		return ""
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return ""
	}
	c, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		return ""
	}
	return backoffice.EnrolmentID(c)
}

// finish restarts without a cut and checks the terminal is set up, once,
// and that the back office takes its certificate.
func (s *site) finish() error {
	if _, err := s.run(0); err != nil {
		return fmt.Errorf("the last restart: %v", err)
	}
	if err := s.check(); err != nil {
		return err
	}
	if !Provisioned(s.data) {
		return errors.New("not provisioned after the last restart")
	}
	id, err := uplink.LoadIdentity(s.idDir())
	if err != nil {
		return err
	}
	if err := id.SyncClock(context.Background(), nil); err != nil {
		return fmt.Errorf("locked out: the back office refuses the terminal: %v", err)
	}
	for _, f := range []string{"enrol-key.pem", "enrol-answer.json"} {
		if _, err := os.Stat(filepath.Join(s.idDir(), f)); err == nil {
			return fmt.Errorf("%s left behind", f)
		}
	}
	return nil
}

// schedule runs the set-up with the power cut at each kill point of cuts
// in turn, a restart after each, then a last restart without a cut.
func (s *site) schedule(cuts []int) error {
	for i, at := range cuts {
		k, err := s.run(at)
		where := "before any kill point"
		if len(k.passed) > 0 {
			where = "at " + k.passed[len(k.passed)-1]
		}
		switch {
		case at > len(k.passed) && err != nil:
			return fmt.Errorf("restart %d failed %s: %v", i+1, where, err)
		case at <= len(k.passed) && !errors.Is(err, errPowerCut):
			return fmt.Errorf("cut %d %s: the run ended with %v", i+1, where, err)
		}
		// at > len(k.passed) without an error: the run ended before the cut.
		if err := s.check(); err != nil {
			return fmt.Errorf("after cut %d %s: %v", i+1, where, err)
		}
	}
	return s.finish()
}

// TestPowerCutsDuringProvisioning cuts the power at every kill point of a
// zero-touch set-up (the keys written, the back office's answer received
// but not read, the answer written, each identity file put in place, the
// token removed, the configuration written), then at every pair of points
// (a cut, a restart cut again), then along generated sequences of cuts;
// each cut is followed by a restart. Every sequence ends with the terminal
// enrolled exactly once, holding the certificate the back office knows,
// accepted over mutual TLS, never half provisioned in between.
func TestPowerCutsDuringProvisioning(t *testing.T) {
	bo := backofficetest.TLS(t)
	n := 0
	next := func() *site { n++; return newSite(t, bo, n) }

	// An uncut set-up names the points.
	dry := next()
	k, err := dry.run(0)
	if err != nil {
		t.Fatal(err)
	}
	points := k.passed
	t.Logf("%d kill points: %s", len(points), strings.Join(points, ", "))
	for _, want := range []string{"keys", "answered", "answer", "put identity.json", "enrolled", "token removed", "configured"} {
		if !strings.Contains(","+strings.Join(points, ",")+",", ","+want+",") {
			t.Fatalf("no kill point %q", want)
		}
	}
	var schedules [][]int
	for i := range points {
		schedules = append(schedules, []int{i + 1})
		for j := range points {
			schedules = append(schedules, []int{i + 1, j + 1})
		}
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("generated sequences from seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 19))
	for range 20 {
		cuts := make([]int, 1+rng.IntN(5))
		for i := range cuts {
			cuts[i] = 1 + rng.IntN(len(points))
		}
		schedules = append(schedules, cuts)
	}
	for _, cuts := range schedules {
		s := next()
		if err := s.schedule(cuts); err != nil {
			t.Errorf("cuts at %v: %v", cuts, err)
		}
	}
	t.Logf("%d sequences, %d terminals set up", len(schedules), n)
}

// reStick writes a new provision file for s's terminal with a
// re-enrolment token (a move to center when it is not CS01), as a
// technician would after the operator chose to re-enrol it.
func (s *site) reStick(t *testing.T, center string) {
	t.Helper()
	tok, err := s.bo.Server.IssueReEnrolmentToken(context.Background(), s.terminal, center, time.Hour, center != "CS01")
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := os.ReadFile(s.bo.CAFile)
	path := stick(t, s.bo.URL, tok, ca)
	text, _ := os.ReadFile(path)
	text = []byte(strings.Replace(string(text), "= CS0101", "= "+s.terminal, 1))
	text = []byte(strings.Replace(string(text), "center.code    = CS01", "center.code    = "+center, 1))
	if err := os.WriteFile(path, text, 0o600); err != nil {
		t.Fatal(err)
	}
	s.path, s.token = path, tok
	os.Remove(filepath.Join(s.data, ConfigName)) // the terminal was reset; its identity stays
}

// A re-enrolment (tbr_) or move (tbm_) token in a provision file is the
// operator's explicit choice: an enrolled terminal is enrolled again with
// it (its old certificate then refused), once; run again, the set-up keeps
// the new identity. An ordinary token never replaces an identity.
func TestApplyReEnrolsOnlyWithAnExplicitToken(t *testing.T) {
	bo := backofficetest.TLS(t)
	ctx := context.Background()
	s := newSite(t, bo, 1)
	if _, err := s.run(0); err != nil {
		t.Fatal(err)
	}
	first := s.enrolment()
	old, err := uplink.LoadIdentity(s.idDir())
	if err != nil {
		t.Fatal(err)
	}
	s.reStick(t, "CS01")
	if _, err := s.run(0); err != nil {
		t.Fatalf("re-enrolment from the file: %v", err)
	}
	second := s.enrolment()
	if cur, _ := bo.Store.Terminal(ctx, s.terminal); second == first || cur.CertSerial != second {
		t.Fatalf("enrolments: first %s, now %s, the back office %s", first, second, cur.CertSerial)
	}
	if err := old.SyncClock(ctx, nil); err == nil {
		t.Fatal("the certificate from before the re-enrolment still works")
	}
	os.Remove(filepath.Join(s.data, ConfigName))
	if _, err := s.run(0); err != nil || s.enrolment() != second {
		t.Fatalf("the same file again: %v; enrolment %s, want %s kept", err, s.enrolment(), second)
	}
	s.reStick(t, "CS02")
	if _, err := s.run(0); err != nil {
		t.Fatalf("a move from the file: %v", err)
	}
	if id, err := uplink.LoadIdentity(s.idDir()); err != nil || id.Center != "CS02" {
		t.Fatalf("after the move: %+v, %v", id, err)
	}
}

// The power goes off at each kill point of a re-enrolment from a provision
// file: after each cut the identity loads whole (the old enrolment's or the
// new one's), and the restart ends in the new enrolment, accepted.
func TestPowerCutsDuringReEnrolmentFromTheFile(t *testing.T) {
	bo := backofficetest.TLS(t)
	ctx := context.Background()
	for at := 1; ; at++ {
		s := newSite(t, bo, 100+at)
		if _, err := s.run(0); err != nil {
			t.Fatal(err)
		}
		first := s.enrolment()
		s.reStick(t, "CS01")
		k, err := s.run(at)
		if at > len(k.passed) {
			if err != nil {
				t.Fatalf("uncut re-enrolment: %v", err)
			}
			t.Logf("%d kill points", len(k.passed))
			break
		}
		if !errors.Is(err, errPowerCut) {
			t.Fatalf("cut at %s: %v", k.passed[at-1], err)
		}
		if e := s.enrolment(); e != first {
			if cur, _ := bo.Store.Terminal(ctx, s.terminal); cur.CertSerial != e {
				t.Errorf("cut at %s: the terminal holds enrolment %s, neither its first nor the back office's", k.passed[at-1], e)
			}
		}
		if _, err := uplink.LoadIdentity(s.idDir()); err != nil {
			t.Errorf("cut at %s: the identity does not load: %v", k.passed[at-1], err)
			continue
		}
		if _, err := s.run(0); err != nil {
			t.Errorf("cut at %s: the restart: %v", k.passed[at-1], err)
			continue
		}
		id, _ := uplink.LoadIdentity(s.idDir())
		cur, _ := bo.Store.Terminal(ctx, s.terminal)
		if e := s.enrolment(); e == first || e != cur.CertSerial || id.SyncClock(ctx, nil) != nil || !Provisioned(s.data) {
			t.Errorf("cut at %s: after the restart the terminal holds %s (first %s, the back office's %s)", k.passed[at-1], e, first, cur.CertSerial)
		}
	}
}
