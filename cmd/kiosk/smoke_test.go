//go:build smoke

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

var (
	kioskBin   = flag.String("kiosk", "../../bin/kiosk-sim", "the kiosk binary to start, built with -tags sim (make build)")
	screenshot = flag.String("screenshot", "", "save a PNG of the screen once ready (needs ImageMagick's import)")
)

// TestSmoke starts the real kiosk binary on a virtual display with its
// embedded defaults and waits, bounded, for its ready line.
func TestSmoke(t *testing.T) {
	if _, err := exec.LookPath("Xvfb"); err != nil {
		t.Fatal("Xvfb is not installed: run `make test`, which installs it")
	}
	bin, err := filepath.Abs(*kioskBin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("no kiosk binary at %s: run `make build` first", bin)
	}
	display := fmt.Sprintf(":%d", 90+os.Getpid()%9)
	xvfb := exec.Command("Xvfb", display, "-screen", "0", "1920x1080x24", "-nolisten", "tcp")
	if err := xvfb.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = xvfb.Process.Kill(); _ = xvfb.Wait() }()
	time.Sleep(500 * time.Millisecond) // let the X server open its socket

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	data := t.TempDir()
	cmd := exec.CommandContext(ctx, bin, "-simulate", "-windowed", "-data", data)
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "LANG=zh_CN.UTF-8", "HOME="+data)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan map[string]any, 1)
	var lines []string
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines = append(lines, sc.Text())
			var rec map[string]any
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec["msg"] == "kiosk ready" {
				ready <- rec
			}
		}
	}()
	select {
	case rec := <-ready:
		t.Logf("kiosk ready after %v ms (process start to attract screen)", rec["startup_ms"])
	case <-time.After(90 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("no ready line within 90 s; the kiosk said:\n%s", strings.Join(lines, "\n"))
	}
	if *screenshot != "" {
		shot := exec.Command("import", "-window", "root", *screenshot)
		shot.Env = append(os.Environ(), "DISPLAY="+display)
		if out, err := shot.CombinedOutput(); err != nil {
			t.Logf("screenshot failed: %v %s", err, out)
		}
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("kiosk did not stop cleanly on SIGTERM: %v", err)
		}
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		t.Error("kiosk did not stop within 20 s of SIGTERM")
	}
	for _, l := range lines {
		for _, secret := range []string{"张测试", "310104195503081233"} {
			if strings.Contains(l, secret) {
				t.Errorf("a log line holds personal data: %s", l)
			}
		}
	}
}
