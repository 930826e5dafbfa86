package setup

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/backoffice/backofficetest"
	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/internal/sealed"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/provision"
	"github.com/tongban/tongban/kiosk/technician"
	"github.com/tongban/tongban/kiosk/ui/internal/golden"
)

// Zero-touch with the checks: the clock is ten minutes off, so the network
// and clock check stops the set-up before anything is enrolled, saying to
// set the time; 重试 with the clock right passes it, the ports are probed
// and shown (the scanner did not answer: shown, not waited for, since the
// file names the ports), and the file is applied, every step on screen
// under the checks. The check asked the file's back office with the file's
// CA.
func TestZeroTouchRunsTheChecks(t *testing.T) {
	kioskApp(t)
	bo := backofficetest.TLS(t)
	r := newRig(t)
	copyCA(t, bo.CAFile, filepath.Join(r.stick, "backoffice-ca.pem"))
	token, _ := bo.Server.IssueEnrolmentToken(context.Background(), "CS0101", "CS01", time.Hour)
	file := "center.name = 测试区测试街道社区事务受理服务中心\ncenter.code = CS01\nterminal.code = CS0101\n" +
		"backoffice.url = " + bo.URL + "\nidreader.port = /dev/ttyS1\nprinter.port = /dev/ttyS2\nscanner.port = /dev/ttyS3\n" +
		"enrol.token = " + token + "\nenrol.ca = backoffice-ca.pem\nenrol.ca_fingerprint = " + caFingerprint(t, bo.CAFile) + "\n"
	if err := os.WriteFile(filepath.Join(r.stick, provision.FileName), []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	off := 10 * time.Minute
	var asked []string
	o := r.options()
	o.Checks = &Checks{
		Net: func(ctx context.Context, url, ca string) technician.NetResult {
			mu.Lock()
			asked = append(asked, url+" "+filepath.Base(ca))
			skew := off
			mu.Unlock()
			return technician.NetCheck{CAFile: ca, Now: func() time.Time { return time.Now().Add(skew) }}.Check(ctx, url)
		},
		Detect: func(context.Context) ([]technician.Finding, error) {
			return []technician.Finding{
				{Port: serialport.Port{Path: "/dev/ttyS1"}, Kind: kiosk.DeviceIDReader, Answer: "SAM ready"},
				{Port: serialport.Port{Path: "/dev/ttyS2"}, Kind: kiosk.DevicePrinter, Answer: "online"},
				{Port: serialport.Port{Path: "/dev/ttyS3"}},
			}, nil
		},
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1920, 1080))
	z := Show(context.Background(), w, o)
	waitFor(t, "the clock check to fail", func() bool { return z.Button("retry") != nil })
	if got := strings.Join(z.Results(), "|"); got != "✗ 网络与时钟" {
		t.Fatalf("steps shown: %q", got)
	}
	if provision.Provisioned(r.data) {
		t.Fatal("enrolled with the clock ten minutes off")
	}
	mu.Lock()
	off = 0
	mu.Unlock()
	tap(t, z.Button("retry"), "retry")
	select {
	case <-r.done:
	case <-time.After(20 * time.Second):
		t.Fatalf("not set up: %v", z.Results())
	}
	got := z.Results()
	if len(got) != 6 || !strings.HasPrefix(got[0], "✓ 网络与时钟  后台可达") ||
		got[1] != "⚠ 查找串口设备  找到 3 个串口；未应答：扫码器（按设置文件中的端口使用）" ||
		got[2] != "✓ 读取设置  完成" || got[5] != "✓ 写入终端配置  完成" {
		t.Fatalf("steps shown: %q", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(asked) != 2 || asked[0] != bo.URL+" backoffice-ca.pem" {
		t.Errorf("the check asked %q", asked)
	}
}

// The zero-touch page with its checks above the provisioning steps, as the
// technician sees it at boot.
func TestZeroTouchPageGolden(t *testing.T) {
	kioskApp(t)
	r := newRig(t)
	file := "center.name = 测试中心\ncenter.code = CS01\nterminal.code = CS0101\nbackoffice.url = https://bo.example:8443\nenrol.token = tbe_0123456789abcdef0123456789abcdef\n" +
		"idreader.port = /dev/ttyUSB0\nprinter.port = /dev/ttyUSB1\nscanner.port = /dev/ttyACM0\n" +
		"enrol.ca_fingerprint = " + sealed.Fingerprint([]byte("a test CA")) + "\n"
	if err := os.WriteFile(filepath.Join(r.stick, provision.FileName), []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	o := r.options()
	o.Checks = &Checks{
		Net: func(context.Context, string, string) technician.NetResult {
			return technician.NetResult{Reachable: true, SkewKnown: true, Skew: 2 * time.Second}
		},
		Detect: func(context.Context) ([]technician.Finding, error) {
			return []technician.Finding{
				{Port: serialport.Port{Path: "/dev/ttyUSB0"}, Kind: kiosk.DeviceIDReader},
				{Port: serialport.Port{Path: "/dev/ttyUSB1"}, Kind: kiosk.DevicePrinter},
				{Port: serialport.Port{Path: "/dev/ttyACM0"}, Kind: kiosk.DeviceScanner},
			}, nil
		},
	}
	o.Apply = func(_ context.Context, _ string, progress func(provision.Step, error)) error {
		for _, s := range []provision.Step{provision.StepRead, provision.StepEnrol, provision.StepToken, provision.StepConfig} {
			progress(s, nil)
		}
		return nil
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1920, 1080))
	z := Show(context.Background(), w, o)
	select {
	case <-r.done:
	case <-time.After(10 * time.Second):
		t.Fatalf("not done: %q", z.Results())
	}
	time.Sleep(100 * time.Millisecond) // the last line and 设置完成 drawn
	if got := z.Results(); len(got) != 6 || !strings.HasPrefix(got[0], "✓ 网络与时钟") {
		t.Fatalf("steps shown: %q", got)
	}
	// The status stands below the last step, not over the first: the page
	// is laid out again as each line is added.
	drv := fyne.CurrentApp().Driver()
	var lastStep, status float32 = -1, -1
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if tx, ok := o.(*canvas.Text); ok {
			switch tx.Text {
			case "✓ 写入终端配置  完成":
				lastStep = drv.AbsolutePositionForObject(tx).Y
			case words["done"][0]:
				status = drv.AbsolutePositionForObject(tx).Y
			}
		}
		if c, ok := o.(*fyne.Container); ok {
			for _, ch := range c.Objects {
				walk(ch)
			}
		}
	}
	walk(w.Content())
	if lastStep < 0 || status <= lastStep {
		t.Errorf("the status at y=%v, the last step at y=%v: the status is not below the steps", status, lastStep)
	}
	golden.Assert(t, "zerotouch-checks-zh", w.Canvas().Capture(), *update)
}
