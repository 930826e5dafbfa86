package main

import (
	"context"
	"encoding/pem"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/backofficetest"
	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/internal/sealed"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/provision"
	"github.com/tongban/tongban/kiosk/technician"
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
	z := showSetUp(context.Background(), w, fb.f, slog.New(slog.DiscardHandler), machineSetUp(slog.New(slog.DiscardHandler)), func() { close(done) })
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
	z := showSetUp(context.Background(), w, fb.f, slog.New(slog.DiscardHandler), machineSetUp(slog.New(slog.DiscardHandler)), func() { t.Error("set up against nothing") })
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

// scannerSetUp is the set-up's wiring with the scanner at port (a
// simulated one on a pseudo-terminal) and detect for the probe; no checks.
func scannerSetUp(port string, detect func(context.Context) ([]technician.Finding, error)) setUpWiring {
	log := slog.New(slog.DiscardHandler)
	return setUpWiring{scanner: setUpScanner{Port: port, Baud: 9600, Detect: detect, Open: technician.OpenSerial, Log: log}}
}

func fillCenter(t *testing.T, z *setup.Wizard) {
	t.Helper()
	tapButton(t, z, "lang:zh")
	for key, text := range map[string]string{"center.name": "测试中心", "center.code": "CS01", "terminal": "CS0101"} {
		e := z.Field(key)
		fyne.DoAndWait(func() { e.SetText(text) })
	}
}

// The typed set-up reads the terminal's scanner (a simulated one at the
// udev name): a foreign code, an unreadable one and a damaged enrolment
// code each get a plain message and fill nothing; the console's enrolment
// code fills the address, the token and the fingerprint, and the terminal
// enrols with them.
func TestTypedSetUpTakesTheScannedEnrolmentCode(t *testing.T) {
	fb := newFirstBoot(t)
	bo := backofficetest.TLS(t)
	token, err := bo.Server.IssueEnrolmentToken(context.Background(), "CS0101", "CS01", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sc := sim.NewScanner(sim.ScannerOptions{})
	port, _, err := sim.ServePTYAt(ctx, sc, filepath.Join(t.TempDir(), "kiosk-scanner"))
	if err != nil {
		t.Fatal(err)
	}
	noProbe := func(context.Context) ([]technician.Finding, error) {
		t.Error("probed although the default port holds the scanner")
		return nil, nil
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1920, 1080))
	done := make(chan struct{})
	z := showSetUp(ctx, w, fb.f, slog.New(slog.DiscardHandler), scannerSetUp(port, noProbe), func() { close(done) })
	fillCenter(t, z)
	message := func() string {
		var m string
		fyne.DoAndWait(func() { m = z.Message() })
		return m
	}
	code := api.EnrolmentCode{Server: bo.URL, Token: token, CAFingerprint: bo.Fingerprint}.String()
	for _, c := range []struct {
		name string
		show func()
		want string
	}{
		{"a web link", func() { sc.Present("https://example.com/page") }, "这不是后台的注册二维码"},
		{"line noise", func() { sc.Fault(sim.FaultGarbage) }, "没有读清这个二维码"},
		{"a damaged enrolment code", func() { sc.Present(code[:len(code)-70]) }, "注册二维码不完整或已损坏"},
	} {
		c.show()
		waitFor(t, c.name+" refused", func() bool { return strings.Contains(message(), c.want) })
		if z.Field("token").Text != "" || z.Field("url").Text != "" {
			t.Fatalf("%s filled the fields: %q %q", c.name, z.Field("url").Text, z.Field("token").Text)
		}
	}
	sc.Present(code)
	waitFor(t, "the enrolment code taken", func() bool { return strings.Contains(message(), "已按扫描的注册二维码填入") })
	if z.Field("url").Text != bo.URL || z.Field("token").Text != token || z.Field("fingerprint").Text != bo.Fingerprint {
		t.Fatalf("fields after the scan: %q %q %q", z.Field("url").Text, z.Field("token").Text, z.Field("fingerprint").Text)
	}
	if note := z.ScannerNote(); note != "" {
		t.Errorf("a working scanner is said not to work: %q", note)
	}
	tapButton(t, z, "start")
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("not set up: %q", z.Results())
	}
	if needsSetUp(fb.f) {
		t.Fatal("set up, yet the terminal still starts in set-up")
	}
}

// With no scanner at the default port the probe's scanner is read; with
// none anywhere, or one unplugged while the form is shown, the form says
// to type, and typing still fills the fields.
func TestTypedSetUpWithoutAWorkingScanner(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sc := sim.NewScanner(sim.ScannerOptions{})
	probed, unplug, err := sim.ServePTY(ctx, sc)
	if err != nil {
		t.Fatal(err)
	}
	absent := filepath.Join(t.TempDir(), "kiosk-scanner") // no udev link
	for _, c := range []struct {
		name   string
		detect func(context.Context) ([]technician.Finding, error)
		before func()
	}{
		{"found by the probe, then unplugged", func(context.Context) ([]technician.Finding, error) {
			return []technician.Finding{{Port: serialport.Port{Path: probed}, Kind: kiosk.DeviceScanner}}, nil
		}, func() {
			sc.Present("tongban-enrol:?token=tbe_x")
			// The probe's port was read: the damaged code is refused.
		}},
		{"none anywhere", func(context.Context) ([]technician.Finding, error) {
			return nil, errors.New("no serial ports")
		}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			fb := newFirstBoot(t)
			w := test.NewTempWindow(t, nil)
			w.Resize(fyne.NewSize(1920, 1080))
			z := showSetUp(ctx, w, fb.f, slog.New(slog.DiscardHandler), scannerSetUp(absent, c.detect), func() {})
			fillCenter(t, z)
			note := func() string {
				var n string
				fyne.DoAndWait(func() { n = z.ScannerNote() })
				return n
			}
			if c.before != nil {
				c.before()
				waitFor(t, "the probed scanner read", func() bool {
					var m string
					fyne.DoAndWait(func() { m = z.Message() })
					return strings.Contains(m, "注册二维码不完整或已损坏")
				})
				if note() != "" {
					t.Fatalf("the scanner works, yet the form says %q", note())
				}
				unplug()
			}
			waitFor(t, "the form to say the scanner cannot be used", func() bool { return strings.Contains(note(), "扫码器现在不能用") })
			tapButton(t, z, "pick:token")
			for _, r := range "tbe_" {
				b := z.Key(string(r))
				if b == nil {
					t.Fatalf("no key %q", r)
				}
				test.Tap(b)
			}
			if got := z.Field("token").Text; got != "tbe_" {
				t.Fatalf("typed %q into the token", got)
			}
		})
	}
}
