package main

import (
	"context"
	"encoding/pem"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/backoffice/backofficetest"
	"github.com/tongban/tongban/internal/sealed"
	"github.com/tongban/tongban/kiosk/provision"
	"github.com/tongban/tongban/kiosk/ui/setup"
	kiosktheme "github.com/tongban/tongban/kiosk/ui/theme"
)

// firstBoot is a terminal as the image leaves it: the configuration's
// path a link into the empty data partition, a provisioning partition.
type firstBoot struct {
	conf, data, prov string
	f                flags
}

func newFirstBoot(t *testing.T) *firstBoot {
	t.Helper()
	dir := t.TempDir()
	fb := &firstBoot{conf: filepath.Join(dir, "etc", "kiosk.conf"), data: filepath.Join(dir, "data"), prov: filepath.Join(dir, "prov", provision.FileName)}
	for _, d := range []string{filepath.Dir(fb.conf), fb.data, filepath.Dir(fb.prov)} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(fb.data, provision.ConfigName), fb.conf); err != nil {
		t.Fatal(err)
	}
	f, err := parseFlags([]string{"-config", fb.conf, "-provision", fb.prov}, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	fb.f = f
	if !needsSetUp(f) {
		t.Fatal("a terminal with no configuration does not start in set-up")
	}
	if got := setUpDataDir(f); got != fb.data {
		t.Fatalf("set-up writes to %s, want the link's folder %s", got, fb.data)
	}
	// The kiosk's theme, as newApp sets it: the set-up's widgets need it.
	test.NewTempApp(t).Settings().SetTheme(kiosktheme.New(kiosktheme.Normal, kiosktheme.EmbeddedFonts()))
	return fb
}

// A first boot with a provision file on the stick runs the set-up as the
// kiosk wires it, asking nothing: the network and clock check against the
// file's back office (real TLS on loopback), the serial ports of this
// machine probed, then each provisioning step, all on screen; the terminal
// ends configured and no longer starts in set-up.
func TestFirstBootZeroTouchRunsTheChecks(t *testing.T) {
	fb := newFirstBoot(t)
	bo := backofficetest.TLS(t)
	ca, err := os.ReadFile(bo.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(fb.prov), "backoffice-ca.pem"), ca, 0o600); err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(ca)
	token, err := bo.Server.IssueEnrolmentToken(context.Background(), "CS0101", "CS01", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	file := "center.name = 测试区测试街道社区事务受理服务中心\ncenter.code = CS01\nterminal.code = CS0101\n" +
		"backoffice.url = " + bo.URL + "\nidreader.port = /dev/kiosk-idreader\nprinter.port = /dev/kiosk-printer\nscanner.port = /dev/kiosk-scanner\n" +
		"enrol.token = " + token + "\nenrol.ca = backoffice-ca.pem\nenrol.ca_fingerprint = " + sealed.Fingerprint(blk.Bytes) + "\n"
	if err := os.WriteFile(fb.prov, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1920, 1080))
	done := make(chan struct{})
	z := showSetUp(context.Background(), w, fb.f, slog.New(slog.DiscardHandler), func() { close(done) })
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatalf("not set up: %q", z.Results())
	}
	got := z.Results()
	if len(got) < 3 || !strings.HasPrefix(got[0], "✓ 网络与时钟  后台可达") || !strings.Contains(got[1], "查找串口设备") ||
		got[2] != "✓ 读取设置  完成" || got[len(got)-1] != "✓ 写入终端配置  完成" {
		t.Fatalf("steps shown: %q", got)
	}
	if needsSetUp(fb.f) {
		t.Fatal("after zero-touch the terminal still starts in set-up")
	}
	if _, err := loadConfig(fb.f); err != nil {
		t.Fatalf("the written configuration does not load: %v", err)
	}
}

// A first boot with no provision file opens the typed set-up, and after
// the fields it runs the checks before enrolling: the back office's
// address refuses, so the network check stops with what to check and
// 重试, and nothing is written.
func TestFirstBootTypedRunsTheChecks(t *testing.T) {
	fb := newFirstBoot(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1920, 1080))
	z := showSetUp(context.Background(), w, fb.f, slog.New(slog.DiscardHandler), func() { t.Error("set up against nothing") })
	tapButton(t, z, "lang:zh")
	for key, text := range map[string]string{"center.name": "测试中心", "center.code": "CS01", "terminal": "CS0101", "url": "https://127.0.0.1:1", "token": "tbe_x",
		"fingerprint": "sm3:" + strings.Repeat("ab", 32)} { // no CA file on the stick: the fingerprint is typed
		e := z.Field(key)
		if e == nil {
			t.Fatalf("no field %s", key)
		}
		fyne.DoAndWait(func() { e.SetText(text) })
	}
	tapButton(t, z, "start")
	waitFor(t, "the network check to fail", func() bool { return z.Button("retry") != nil })
	lines := z.CheckLines()
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "✗ 网络与时钟") {
		t.Fatalf("checks shown: %q", lines)
	}
	if !needsSetUp(fb.f) {
		t.Fatal("a failed check wrote the configuration")
	}
}

func tapButton(t *testing.T, z *setup.Wizard, name string) {
	t.Helper()
	b := z.Button(name)
	if b == nil {
		t.Fatalf("no %q button", name)
	}
	test.Tap(b)
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
