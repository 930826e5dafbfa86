package setup

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/backofficetest"
	"github.com/tongban/tongban/kiosk/provision"
	"github.com/tongban/tongban/kiosk/ui/keyboard"
	"github.com/tongban/tongban/kiosk/uplink"
)

// fillTerminal types the center and the terminal, in English.
func fillTerminal(t *testing.T, z *Wizard) {
	t.Helper()
	tap(t, z.Button("lang:en"), "English")
	tap(t, z.Button("pick:center.name"), "center name")
	typeKeys(t, z, "test center")
	tap(t, z.Button("pick:center.code"), "center code")
	typeKeys(t, z, "cs01")
	tap(t, z.Button("pick:terminal"), "terminal code")
	typeKeys(t, z, "cs0101")
}

func setUp(t *testing.T, z *Wizard, r *terminalRig) {
	t.Helper()
	select {
	case <-r.done:
	case <-time.After(20 * time.Second):
		t.Fatalf("not set up: %v; %s", z.Results(), z.message.Text)
	}
	id, err := uplink.LoadIdentity(filepath.Join(r.data, "identity"))
	if err != nil || id.Terminal != "CS0101" {
		t.Fatalf("identity %v, %v", id, err)
	}
}

// Without a CA file on the stick the technician must type the CA
// fingerprint: the set-up does not start without it, a wrong one stops
// the enrolment before the token leaves (the token still works after),
// and the right one, typed without its dashes, sets the terminal up.
func TestTypedSetUpNeedsTheFingerprintWithoutACAFile(t *testing.T) {
	kioskApp(t)
	bo := backofficetest.TLS(t)
	r := newRig(t) // nothing copied to the stick
	token, err := bo.Server.IssueEnrolmentToken(context.Background(), "CS0101", "CS01", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1920, 1080))
	z := Show(context.Background(), w, r.options())
	fillTerminal(t, z)
	tap(t, z.Button("pick:url"), "address")
	typeKeys(t, z, strings.TrimPrefix(bo.URL, "https://"))
	tap(t, z.Button("pick:token"), "token")
	typeKeys(t, z, token)
	tap(t, z.Button("start"), "start")
	if got := z.message.Text; !strings.Contains(got, words["missing"][1]) || !strings.Contains(got, "CA fingerprint") {
		t.Fatalf("started without a fingerprint; message %q", got)
	}
	pin := strings.ReplaceAll(strings.TrimPrefix(bo.Fingerprint, "SM3:"), "-", "")
	wrong := strings.Repeat("0", 64)
	tap(t, z.Button("pick:fingerprint"), "fingerprint")
	typeKeys(t, z, "sm3:"+wrong)
	tap(t, z.Button("start"), "start")
	waitFor(t, "the refused enrolment", func() bool { return z.Button("retry") != nil })
	if provision.Provisioned(r.data) {
		t.Fatal("set up against a back office of another fingerprint")
	}
	tap(t, z.Button("back"), "back")
	tap(t, z.Button("pick:fingerprint"), "fingerprint")
	tap(t, z.Key(keyboard.KeyClear), "clear")
	typeKeys(t, z, "sm3:"+pin)
	tap(t, z.Button("start"), "start")
	setUp(t, z, r) // with the same token: the wrong pin never sent it
}

// The enrolment code from the console's Enrol page, scanned, fills in the
// address, the token and the fingerprint; a damaged one is refused in
// words on the form.
func TestSetUpFromAScannedEnrolmentCode(t *testing.T) {
	kioskApp(t)
	bo := backofficetest.TLS(t)
	r := newRig(t)
	token, err := bo.Server.IssueEnrolmentToken(context.Background(), "CS0101", "CS01", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1920, 1080))
	z := Show(context.Background(), w, r.options())
	fillTerminal(t, z)
	code := api.EnrolmentCode{Server: bo.URL, Token: token, CAFingerprint: bo.Fingerprint}.String()
	z.Scanned(code[:len(code)-70])
	if !strings.Contains(z.message.Text, "scan it again") || z.Field("token").Text != "" {
		t.Fatalf("a damaged code: message %q, token %q", z.message.Text, z.Field("token").Text)
	}
	z.Scanned(code)
	if z.Field("url").Text != bo.URL || z.Field("token").Text != token || z.Field("fingerprint").Text != bo.Fingerprint {
		t.Fatalf("fields after the scan: %q %q %q", z.Field("url").Text, z.Field("token").Text, z.Field("fingerprint").Text)
	}
	tap(t, z.Button("start"), "start")
	setUp(t, z, r)
}
