package uplink

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/internal/durable/durabletest"
)

var errCut = errors.New("power cut")

// cutAt is an EnrolOptions.Step that cuts the power at the at-th point.
func cutAt(at int, passed *[]string) func(string) error {
	return func(p string) error {
		*passed = append(*passed, p)
		if len(*passed) == at {
			return errCut
		}
		return nil
	}
}

// A terminal enrolled already is enrolled again (a technician's explicit
// re-enrolment) and the power goes off at each point of it in turn. After
// every cut its identity loads whole, either the old enrolment's or the
// new one's, never a new key beside an old certificate; restarted with the
// same token it ends in the back office's current enrolment, accepted over
// mutual TLS, with nothing of the enrolment left lying about.
func TestPowerCutsDuringReEnrolment(t *testing.T) {
	o := tlsBackOffice(t)
	ctx := context.Background()
	enrolled := func(n int) (string, string, *Identity) {
		terminal := fmt.Sprintf("SH-XH-%04d", n)
		tok, err := o.srv.IssueEnrolmentToken(ctx, terminal, testCenter, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(t.TempDir(), "identity")
		id, err := Enrol(ctx, EnrolOptions{Server: o.url, Token: tok, Dir: dir, CAFingerprint: o.fingerprint})
		if err != nil {
			t.Fatal(err)
		}
		return terminal, dir, id
	}
	reToken := func(terminal string) string {
		tok, err := o.srv.IssueReEnrolmentToken(ctx, terminal, testCenter, time.Hour, false)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	// An uncut re-enrolment names the points.
	terminal, dir, _ := enrolled(0)
	var points []string
	if _, err := Enrol(ctx, EnrolOptions{Server: o.url, Token: reToken(terminal), Dir: dir, CAFingerprint: o.fingerprint, Step: cutAt(0, &points)}); err != nil {
		t.Fatal(err)
	}
	if len(points) < 6 {
		t.Fatalf("kill points %v", points)
	}
	for at := 1; at <= len(points); at++ {
		terminal, dir, old := enrolled(at)
		tok := reToken(terminal)
		var passed []string
		if _, err := Enrol(ctx, EnrolOptions{Server: o.url, Token: tok, Dir: dir, CAFingerprint: o.fingerprint, Step: cutAt(at, &passed)}); !errors.Is(err, errCut) {
			t.Fatalf("cut at %s: %v", points[at-1], err)
		}
		id, err := LoadIdentity(dir)
		if err != nil {
			t.Errorf("cut at %s: the identity does not load: %v", points[at-1], err)
			continue
		}
		if e := backoffice.EnrolmentID(id.cert.Leaf); e != backoffice.EnrolmentID(old.cert.Leaf) {
			if cur, _ := o.st.Terminal(ctx, terminal); cur.CertSerial != e {
				t.Errorf("cut at %s: the terminal holds enrolment %s, neither the old nor the back office's %s", points[at-1], e, cur.CertSerial)
			}
		}
		// Restarted, the technician runs the re-enrolment again.
		id, err = Enrol(ctx, EnrolOptions{Server: o.url, Token: tok, Dir: dir, CAFingerprint: o.fingerprint})
		if err != nil {
			t.Errorf("cut at %s: the re-enrolment after the restart: %v", points[at-1], err)
			continue
		}
		cur, _ := o.st.Terminal(ctx, terminal)
		if e := backoffice.EnrolmentID(id.cert.Leaf); e != cur.CertSerial || e == backoffice.EnrolmentID(old.cert.Leaf) {
			t.Errorf("cut at %s: the terminal holds enrolment %s, the back office %s", points[at-1], e, cur.CertSerial)
		}
		if err := id.SyncClock(ctx, nil); err != nil {
			t.Errorf("cut at %s: the back office refuses the re-enrolled terminal: %v", points[at-1], err)
		}
		for _, f := range []string{pendingKeyFile, answerFile, nextFile} {
			if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
				t.Errorf("cut at %s: %s left behind", points[at-1], f)
			}
		}
	}
}

// What enrolment writes reaches its name only after its contents are on
// disk, and its folder is synced after: the pending key and the SM2 key
// before the token leaves, the answer before anything is replaced, and
// each identity file as the answer is put in place. The kill points of
// the power-cut tests stand for real cuts only because of this.
func TestEnrolmentFilesDurable(t *testing.T) {
	o := tlsBackOffice(t)
	dir := filepath.Join(t.TempDir(), "identity")
	tok := o.token(t)
	var passed []string
	calls := durabletest.Trace(t, func() {
		_, err := Enrol(context.Background(), EnrolOptions{Server: o.url, Token: tok, Dir: dir, CAFingerprint: o.fingerprint, Step: cutAt(3, &passed)})
		if !errors.Is(err, errCut) || passed[2] != "answer" {
			t.Fatalf("cut at %v: %v", passed, err)
		}
	})
	in := func(names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, filepath.Join(dir, n))
		}
		return out
	}
	durabletest.RequireDurable(t, calls, in(pendingKeyFile, payloadKeyFile, answerFile)...)
	calls = durabletest.Trace(t, func() {
		if _, err := LoadIdentity(dir); err != nil {
			t.Fatal(err)
		}
	})
	durabletest.RequireDurable(t, calls, in(keyFile, certFile, caFile, identityFile)...)
}

// At first boot the terminal's clock may be years off (a flat RTC
// battery): the back office's certificate is then outside its validity by
// that clock, and enrolment stops before the token leaves, saying to set
// the clock; set right, the same token enrols.
func TestEnrolWithTheTerminalsClockWrong(t *testing.T) {
	o := tlsBackOffice(t)
	tok := o.token(t)
	dir := filepath.Join(t.TempDir(), "identity")
	for _, skew := range []time.Duration{3 * 365 * 24 * time.Hour, -20 * 365 * 24 * time.Hour} {
		wrong := func() time.Time { return time.Now().Add(skew) }
		_, err := Enrol(context.Background(), EnrolOptions{Server: o.url, Token: tok, Dir: dir, CAFingerprint: o.fingerprint, Now: wrong})
		if err == nil || !strings.Contains(err.Error(), "this terminal's clock reads "+wrong().UTC().Format("2006-01-02")) || !strings.Contains(err.Error(), "set the date and time") {
			t.Fatalf("clock off by %v: %v", skew, err)
		}
	}
	if _, err := Enrol(context.Background(), EnrolOptions{Server: o.url, Token: tok, Dir: dir, CAFingerprint: o.fingerprint}); err != nil {
		t.Fatalf("the same token with the clock set: %v", err)
	}
}

// An answer file that does not read whole (a failing disk) never blocks
// the terminal: it is dropped, the identity before it loads, and the
// enrolment it belonged to is asked again with the pending key kept.
func TestDamagedAnswerDropped(t *testing.T) {
	o := tlsBackOffice(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "identity")
	tok := o.token(t)
	var passed []string
	if _, err := Enrol(ctx, EnrolOptions{Server: o.url, Token: tok, Dir: dir, CAFingerprint: o.fingerprint, Step: cutAt(3, &passed)}); !errors.Is(err, errCut) {
		t.Fatalf("cut at %v: %v", passed, err)
	}
	if err := os.WriteFile(filepath.Join(dir, answerFile), []byte(`{"identity":{"terminal":"SH-XH-0001"},"certificate_pem":"`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadIdentity(dir); err == nil || !strings.Contains(err.Error(), "not enrolled") {
		t.Fatalf("a damaged answer: %v", err)
	}
	if Enrolled(dir) {
		t.Fatal("the damaged answer is still there")
	}
	id, err := Enrol(ctx, EnrolOptions{Server: o.url, Token: tok, Dir: dir, CAFingerprint: o.fingerprint})
	if err != nil {
		t.Fatalf("asked again: %v", err)
	}
	if err := id.SyncClock(ctx, nil); err != nil {
		t.Fatal(err)
	}
}

// The power goes off at each point of a certificate renewal: on restart
// the identity loads whole, the back office accepts it (a renewed
// certificate supersedes the one before only once used, and it is used
// only once on disk), and the next renewal goes through.
func TestPowerCutsDuringRenewal(t *testing.T) {
	o := tlsBackOffice(t)
	ctx := context.Background()
	type terminal struct {
		id  *Identity
		dir string
	}
	var ts []terminal
	for n := range 6 {
		tok, err := o.srv.IssueEnrolmentToken(ctx, fmt.Sprintf("SH-XH-2%03d", n), testCenter, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(t.TempDir(), "identity")
		id, err := Enrol(ctx, EnrolOptions{Server: o.url, Token: tok, Dir: dir, CAFingerprint: o.fingerprint})
		if err != nil {
			t.Fatal(err)
		}
		if err := id.SyncClock(ctx, nil); err != nil { // the first certificate in use
			t.Fatal(err)
		}
		ts = append(ts, terminal{id, dir})
	}
	time.Sleep(1100 * time.Millisecond) // renewed certificates start a second later
	points := 0
	for at, tm := range ts {
		var passed []string
		tm.id.step = cutAt(at+1, &passed)
		err := tm.id.Renew(ctx, tm.id.HTTPClient(nil), nil)
		if at+1 > len(passed) {
			if err != nil {
				t.Fatalf("uncut renewal: %v", err)
			}
			points = len(passed)
			break
		}
		if !errors.Is(err, errCut) {
			t.Fatalf("cut at %s: %v", passed[at], err)
		}
		id, err := LoadIdentity(tm.dir)
		if err != nil {
			t.Errorf("cut at %s: the identity does not load: %v", passed[at], err)
			continue
		}
		if err := id.SyncClock(ctx, nil); err != nil {
			t.Errorf("cut at %s: refused after the restart: %v", passed[at], err)
			continue
		}
		if err := id.Renew(ctx, id.HTTPClient(nil), nil); err != nil {
			t.Errorf("cut at %s: the next renewal: %v", passed[at], err)
			continue
		}
		if err := id.SyncClock(ctx, nil); err != nil {
			t.Errorf("cut at %s: refused after the next renewal: %v", passed[at], err)
		}
	}
	if points == 0 || points > len(ts)-1 {
		t.Fatalf("%d kill points for %d terminals", points, len(ts))
	}
}
