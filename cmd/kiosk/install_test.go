package main

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"

	sys "github.com/tongban/tongban/kiosk/install"
)

// fakeDisks is the root service's machine at its seam: one internal disk,
// and an install that is verified at once.
type fakeDisks struct{}

func (fakeDisks) Disks() ([]sys.Disk, error) {
	return []sys.Disk{{Name: "sda", Bytes: 256e9, Model: "TEST SSD"}}, nil
}
func (fakeDisks) ImageSize() (int64, error) { return 2_100_000_000, nil }
func (fakeDisks) Install(ctx context.Context, d sys.Disk, typed string, progress func(sys.Progress)) (sys.Result, error) {
	if err := sys.Confirm(d, typed); err != nil {
		return sys.Result{}, err
	}
	progress(sys.Progress{Stage: sys.Verifying, Done: 2.1e9, Total: 2.1e9})
	return sys.Result{Copied: 2.1e9, SHA256: strings.Repeat("5d", 32)}, nil
}

// installSocket serves the install service (kiosk/install.Service, as
// kioskctl install --serve runs it) on a unix socket, with reboots
// counted instead of done.
func installSocket(t *testing.T) (sys.Remote, func() int) {
	t.Helper()
	dir := t.TempDir()
	var mu sync.Mutex
	reboots := 0
	svc := sys.Service{Installer: fakeDisks{}, Record: filepath.Join(dir, "verified"), Reboot: func(context.Context) error {
		mu.Lock()
		reboots++
		mu.Unlock()
		return nil
	}}
	l, err := net.Listen("unix", filepath.Join(dir, "install.sock"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); svc.Serve(context.Background(), c, c) }()
		}
	}()
	return sys.NewRemote(filepath.Join(dir, "install.sock")), func() int { mu.Lock(); defer mu.Unlock(); return reboots }
}

// In the running kiosk, technician mode's 安装到本机硬盘 opens the install
// screen on the install service: 返回 comes back to the diagnostics; then
// the disk chosen, its name typed, the copy verified, and 重新启动 reboots
// through the service, with every step in the terminal's audit trail.
func TestInstallFromTechnicianModeInTheRunningKiosk(t *testing.T) {
	k := startKiosk(t)
	remote, reboots := installSocket(t)
	k.tech.installer = remote
	for range 5 {
		k.tapCenterName(t)
	}
	k.typeCode(t, techCode)
	waitFor(t, "the diagnostics", func() bool { return k.tech.shown.Button("install") != nil })
	k.tap(t, "install")
	s := k.tech.installing
	if s == nil {
		t.Fatal("the install button opened no install screen")
	}
	waitFor(t, "the disks listed", func() bool { return s.Button("disk.sda") != nil })
	test.Tap(s.Button("back"))
	waitFor(t, "the diagnostics again", func() bool { return k.tech.shown.Button("install") != nil })
	if k.tech.installing != nil {
		t.Fatal("the install screen is still open after 返回")
	}

	k.tap(t, "install")
	s = k.tech.installing
	waitFor(t, "the disks listed", func() bool { return s.Button("disk.sda") != nil })
	test.Tap(s.Button("disk.sda"))
	for _, r := range "sda" {
		b := s.Key(string(r))
		if b == nil {
			t.Fatalf("no key %q", r)
		}
		test.Tap(b)
	}
	test.Tap(s.Button("erase"))
	waitFor(t, "the verified install", func() bool { return !s.Busy() && s.Button("restart") != nil })
	if reboots() != 0 {
		t.Fatal("rebooted before 重新启动")
	}
	test.Tap(s.Button("restart"))
	waitFor(t, "the reboot", func() bool { return reboots() == 1 })
	var lines []string
	for _, e := range auditEntries(t, filepath.Join(k.data, "audit.log")) {
		lines = append(lines, string(e.Kind)+" "+e.Actor+" "+e.Detail)
	}
	trail := strings.Join(lines, "\n")
	for _, want := range []string{"install to the internal disk opened", "install on sda done", "restart after the install on sda"} {
		if !strings.Contains(trail, want) {
			t.Errorf("the audit trail lacks %q:\n%s", want, trail)
		}
	}
}
