package setup

import (
	"encoding/pem"

	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/tongban/tongban/internal/sealed"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/backoffice/backofficetest"
	"github.com/tongban/tongban/kiosk/provision"
	"github.com/tongban/tongban/kiosk/ui/keyboard"
	kiosktheme "github.com/tongban/tongban/kiosk/ui/theme"
	"github.com/tongban/tongban/kiosk/ui/widgets"
	"github.com/tongban/tongban/kiosk/uplink"
)

// terminalRig is a data folder, a stick and the real provisioning behind
// the wizard.
type terminalRig struct {
	data, stick string
	applier     *provision.Applier
	done        chan struct{}
}

func newRig(t *testing.T) *terminalRig {
	r := &terminalRig{data: t.TempDir(), stick: t.TempDir(), done: make(chan struct{}, 1)}
	r.applier = &provision.Applier{DataDir: r.data, Enrol: uplink.Enrol, Now: time.Now, Log: slog.New(slog.DiscardHandler)}
	return r
}

func (r *terminalRig) options() Options {
	return Options{
		ProvFile: filepath.Join(r.stick, provision.FileName),
		Draft:    filepath.Join(r.data, "setup", provision.FileName),
		CAFile:   filepath.Join(r.stick, "backoffice-ca.pem"),
		Apply: func(ctx context.Context, path string, progress func(provision.Step, error)) error {
			a := *r.applier
			a.Progress = progress
			return a.Apply(ctx, path)
		},
		Pinyin: func(spelling string) []string {
			if spelling == "ceshi" {
				return []string{"测试"}
			}
			return nil
		},
		Done: func() { r.done <- struct{}{} },
	}
}

// kioskApp is a test app with the kiosk's theme, as cmd/kiosk makes it.
func kioskApp(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(kiosktheme.New(kiosktheme.Normal, kiosktheme.EmbeddedFonts()))
}

func tap(t *testing.T, b *widgets.Button, what string) {
	t.Helper()
	if b == nil {
		t.Fatalf("no %s on screen", what)
	}
	test.Tap(b)
}

// typeKeys taps the on-screen keys that spell text (letters in the current
// case, digits, '.', '-', ':', '/', '_').
func typeKeys(t *testing.T, z *Wizard, text string) {
	t.Helper()
	for _, r := range text {
		name := string(unicode.ToLower(r))
		if r == ' ' {
			name = keyboard.KeySpace
		}
		tap(t, z.Key(name), "key "+string(r))
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func copyCA(t *testing.T, from, to string) {
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// A technician sets a terminal up by tapping, in each language: first with
// a wrong token (the step fails, says what to check, and 返回修改 keeps
// what was typed), then corrected; the terminal ends enrolled and
// configured.
func TestTypedSetUpByTaps(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			kioskApp(t)
			bo := backofficetest.TLS(t)
			r := newRig(t)
			copyCA(t, bo.CAFile, filepath.Join(r.stick, "backoffice-ca.pem"))
			token, err := bo.Server.IssueEnrolmentToken(context.Background(), "CS0101", "CS01", time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			w := test.NewTempWindow(t, nil)
			w.Resize(fyne.NewSize(1920, 1080))
			z := Show(context.Background(), w, r.options())
			tap(t, z.Button("lang:"+lang), "language "+lang)

			tap(t, z.Button("pick:center.name"), "center name")
			if lang == "zh" {
				typeKeys(t, z, "ceshi")
				tap(t, z.Key("candidate-0"), "the candidate 测试")
			} else {
				typeKeys(t, z, "test center")
			}
			tap(t, z.Button("pick:center.code"), "center code")
			typeKeys(t, z, "cs01")
			tap(t, z.Button("pick:terminal"), "terminal code")
			typeKeys(t, z, "cs0101")
			tap(t, z.Button("start"), "start")
			if got := z.message.Text; !strings.Contains(got, words["missing"][z.lang]) {
				t.Fatalf("started with fields empty; message %q", got)
			}
			tap(t, z.Button("pick:url"), "address")
			typeKeys(t, z, strings.TrimPrefix(bo.URL, "https://"))
			tap(t, z.Button("pick:token"), "token")
			typeKeys(t, z, "tbe_00000000000000000000")
			tap(t, z.Button("start"), "start")
			waitFor(t, "the failed enrolment", func() bool { return z.Button("retry") != nil })
			if res := strings.Join(z.Results(), "|"); !strings.Contains(res, "✗ "+words["step.enrol"][z.lang]) {
				t.Fatalf("results %q", res)
			}
			if provision.Provisioned(r.data) {
				t.Fatal("configured after a failed enrolment")
			}
			tap(t, z.Button("back"), "back")
			if z.Field("center.code").Text != "cs01" {
				t.Fatalf("what was typed is lost: %q", z.Field("center.code").Text)
			}
			tap(t, z.Button("pick:token"), "token")
			tap(t, z.Key(keyboard.KeyClear), "clear")
			typeKeys(t, z, token)
			tap(t, z.Button("start"), "start")
			select {
			case <-r.done:
			case <-time.After(20 * time.Second):
				t.Fatalf("not set up: %v", z.Results())
			}
			if !provision.Provisioned(r.data) {
				t.Fatal("no configuration")
			}
			id, err := uplink.LoadIdentity(filepath.Join(r.data, "identity"))
			if err != nil || id.Terminal != "CS0101" {
				t.Fatalf("identity %v, %v", id, err)
			}
			conf, _ := os.ReadFile(filepath.Join(r.data, provision.ConfigName))
			want := "center.name = 测试"
			if lang == "en" {
				want = "center.name = test center"
			}
			if !strings.Contains(string(conf), want) || strings.Contains(string(conf), "tbe_") {
				t.Errorf("configuration:\n%s", conf)
			}
		})
	}
}

// With a provision file on the stick, the set-up asks nothing and shows
// each step; a back office that is down fails the enrolment step, and 重试
// finishes once it is up, with the same file.
func TestZeroTouchShowsEachStepAndRetries(t *testing.T) {
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
	down := true
	o := r.options()
	apply := o.Apply
	o.Apply = func(ctx context.Context, path string, progress func(provision.Step, error)) error {
		if down {
			a := *r.applier
			a.Progress = progress
			a.Enrol = func(context.Context, uplink.EnrolOptions) (*uplink.Identity, error) {
				return nil, context.DeadlineExceeded
			}
			return a.Apply(ctx, path)
		}
		return apply(ctx, path, progress)
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1920, 1080))
	z := Show(context.Background(), w, o)
	waitFor(t, "the failed step", func() bool { return z.Button("retry") != nil })
	if got := strings.Join(z.Results(), "|"); got != "✓ 读取设置  完成|✗ 向后台注册（双向 TLS）" {
		t.Fatalf("steps shown: %q", got)
	}
	if z.Button("back") != nil {
		t.Error("zero-touch has no typed fields to go back to")
	}
	down = false
	tap(t, z.Button("retry"), "retry")
	select {
	case <-r.done:
	case <-time.After(20 * time.Second):
		t.Fatalf("not set up: %v", z.Results())
	}
	if got := strings.Join(z.Results(), "|"); !strings.HasSuffix(got, "✓ 写入终端配置  完成") {
		t.Errorf("steps shown: %q", got)
	}
}

// Every page fits the panel: the window never grows past 1920x1080.
func TestPagesFitThePanel(t *testing.T) {
	kioskApp(t)
	r := newRig(t)
	for _, lang := range []string{"zh", "en"} {
		w := test.NewTempWindow(t, nil)
		w.Resize(fyne.NewSize(1920, 1080))
		z := Show(context.Background(), w, r.options())
		fits := func(page string) {
			t.Helper()
			if m := w.Content().MinSize(); m.Width > 1920 || m.Height > 1080 {
				t.Errorf("%s %s page needs %.0fx%.0f", lang, page, m.Width, m.Height)
			}
		}
		fits("language")
		tap(t, z.Button("lang:"+lang), "language")
		for _, k := range fieldKeys {
			tap(t, z.Button("pick:"+k), k)
			fits("form, keyboard for " + k)
		}
	}
}

// caFingerprint is the fingerprint a provisioning sheet carries for the CA in path.
func caFingerprint(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(data)
	if blk == nil {
		t.Fatalf("%s holds no PEM", path)
	}
	return sealed.Fingerprint(blk.Bytes)
}
