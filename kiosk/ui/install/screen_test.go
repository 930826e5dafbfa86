package install

import (
	"context"
	"errors"
	"flag"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/kiosk/audit"
	sys "github.com/tongban/tongban/kiosk/install"
	"github.com/tongban/tongban/kiosk/ui/internal/golden"
	kiosktheme "github.com/tongban/tongban/kiosk/ui/theme"
	"github.com/tongban/tongban/kiosk/ui/widgets"
)

var update = flag.Bool("update", false, "rewrite the golden screenshots")

const image = 3_400_000_000

// fakeInstaller is a machine with three disks; each Install takes the next
// of results, reporting progress up to 40% of the copy and, when hold is
// set, waiting there until it is closed.
type fakeInstaller struct {
	mu      sync.Mutex
	notUSB  bool
	results []error
	hold    chan struct{}
	typed   []string // the names Install was given, confirmed or not
}

func (f *fakeInstaller) Disks() ([]sys.Disk, error) {
	if f.notUSB {
		return nil, sys.ErrNotFromUSB
	}
	return []sys.Disk{
		{Name: "nvme0n1", Bytes: 512_110_190_592},
		{Name: "sda", Bytes: 256_060_514_304, Model: "SAMSUNG MZ7LN256"},
		{Name: "sdc", Bytes: 2_000_000_000, Model: "Card Reader", Removable: true},
	}, nil
}

func (f *fakeInstaller) ImageSize() (int64, error) { return image, nil }

func (f *fakeInstaller) Install(ctx context.Context, d sys.Disk, typed string, progress func(sys.Progress)) (sys.Result, error) {
	f.mu.Lock()
	f.typed = append(f.typed, typed)
	f.mu.Unlock()
	if err := sys.Confirm(d, typed); err != nil {
		return sys.Result{}, err
	}
	f.mu.Lock()
	var err error
	if len(f.results) > 0 {
		err, f.results = f.results[0], f.results[1:]
	}
	f.mu.Unlock()
	progress(sys.Progress{Stage: sys.Erasing, Done: 1, Total: 1})
	progress(sys.Progress{Stage: sys.Copying, Done: image * 4 / 10, Total: image})
	if f.hold != nil {
		select {
		case <-f.hold:
		case <-ctx.Done():
			return sys.Result{}, &sys.Failure{Kind: sys.Cancelled, Stage: sys.Copying, At: image * 4 / 10, Total: image, Err: ctx.Err()}
		}
	}
	if err != nil {
		return sys.Result{}, err
	}
	progress(sys.Progress{Stage: sys.Verifying, Done: image, Total: image})
	return sys.Result{Copied: image, SHA256: "3f2a9c0d5e7b11aa0000000000000000000000000000000000000000000000ff"}, nil
}

type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) Append(ev audit.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, string(ev.Kind)+" "+ev.Actor+" "+ev.Detail)
	return nil
}

func (r *recorder) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.events, "\n")
}

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

func typeKeys(t *testing.T, s *Screen, str string) {
	t.Helper()
	for _, r := range str {
		tap(t, s.Key(string(r)), "key "+string(r))
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func shows(s *Screen, part string) bool {
	for _, line := range s.Texts() {
		if strings.Contains(line, part) {
			return true
		}
	}
	return false
}

// restarter is the install service's reboot as the screen sees it: each
// call takes the next of fails (nil: restarted).
type restarter struct {
	mu    sync.Mutex
	fails []error
	calls int
	done  bool
}

func (r *restarter) restart(context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if len(r.fails) > 0 {
		err := r.fails[0]
		r.fails = r.fails[1:]
		return err
	}
	r.done = true
	return nil
}

func (r *restarter) restarted() (calls int, done bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls, r.done
}

func open(t *testing.T, lang int, f *fakeInstaller) (*Screen, fyne.Window, *recorder, *restarter) {
	kioskApp(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1920, 1080))
	rec := &recorder{}
	restarted := &restarter{fails: []error{errors.New("systemctl reboot: Access denied")}}
	s := Show(context.Background(), w, Options{Lang: lang, Installer: f, Audit: rec, Actor: "technician:T-007", Restart: restarted.restart})
	return s, w, rec, restarted
}

// A technician's whole install by taps: a disk too small is greyed, a
// wrong name erases nothing, the right one installs, verified, and the
// restart is offered; the audit trail has each step.
func TestInstallByTaps(t *testing.T) {
	f := &fakeInstaller{}
	s, _, rec, restarted := open(t, 1, f)
	if !shows(s, "it needs 3.4 GB") {
		t.Errorf("the list does not say what the system needs: %q", s.Texts())
	}
	if b := s.Button("disk.sdc"); b == nil || !b.Disabled() || !strings.Contains(b.Text, "too small") {
		t.Errorf("the 2 GB card reader is not greyed as too small: %+v", b)
	}
	tap(t, s.Button("disk.sda"), "the disk sda")
	if !shows(s, "Everything on sda (256 GB SAMSUNG MZ7LN256) will be erased") {
		t.Fatalf("the warning: %q", s.Texts())
	}
	typeKeys(t, s, "sdb")
	tap(t, s.Button("erase"), "erase")
	if !shows(s, "That is not sda: nothing was erased") || s.Busy() {
		t.Fatalf("a wrong name: %q", s.Texts())
	}
	if len(f.typed) != 0 {
		t.Fatalf("the installer was called with %q", f.typed)
	}
	typeKeys(t, s, "sda")
	tap(t, s.Button("erase"), "erase")
	waitFor(t, "the install", func() bool { return !s.Busy() && s.Button("restart") != nil })
	if !shows(s, "Installed and verified") || !shows(s, "3.4 GB written and read back from the disk block by block") || !shows(s, "Remove the USB stick") {
		t.Errorf("the done page: %q", s.Texts())
	}
	// The first restart fails: the page says what to do by hand and the
	// button stays; the second restarts.
	tap(t, s.Button("restart"), "restart")
	waitFor(t, "the failed restart said", func() bool {
		return shows(s, "The terminal did not restart: remove the USB stick") && shows(s, "systemctl reboot: Access denied")
	})
	if _, done := restarted.restarted(); done || s.Button("restart") == nil {
		t.Fatal("after a failed restart the button is gone")
	}
	tap(t, s.Button("restart"), "restart")
	waitFor(t, "the restart", func() bool { calls, done := restarted.restarted(); return calls == 2 && done })
	waitFor(t, "the restart said", func() bool { return shows(s, "Restarting…") })
	for _, want := range []string{"install on sda refused", "erase confirmed", "install on sda done: 3400000000 bytes verified", "restart after the install on sda failed: systemctl reboot: Access denied"} {
		if !strings.Contains(rec.String(), want) {
			t.Errorf("the audit trail lacks %q:\n%s", want, rec)
		}
	}
	if !strings.Contains(rec.String(), "technician:T-007") {
		t.Errorf("the audit trail does not name the technician:\n%s", rec)
	}
}

// A disk pulled out, then a bad block found on reading back, then a good
// copy: each failure in plain words, nothing claimed done, the retry
// asking for the name again.
func TestInstallFailuresThenRetry(t *testing.T) {
	f := &fakeInstaller{results: []error{
		&sys.Failure{Kind: sys.Gone, Stage: sys.Copying, At: 1_200_000_000, Total: image, Err: syscall.ENODEV},
		&sys.Failure{Kind: sys.Mismatch, Stage: sys.Verifying, At: 2_000_000_000, Total: image},
	}}
	s, _, rec, _ := open(t, 0, f)
	for i, want := range []string{"在 1.2 GB 处硬盘没有响应", "读回校验不一致（在 2.0 GB 处）"} {
		if i == 0 {
			tap(t, s.Button("disk.sda"), "the disk sda")
		} else {
			tap(t, s.Button("retry"), "retry")
		}
		typeKeys(t, s, "sda")
		tap(t, s.Button("erase"), "erase")
		waitFor(t, "the failure", func() bool { return !s.Busy() && s.Button("retry") != nil })
		if !shows(s, "安装没有完成") || !shows(s, want) || shows(s, "安装完成") || s.Button("restart") != nil {
			t.Fatalf("failure %d: %q", i+1, s.Texts())
		}
	}
	tap(t, s.Button("retry"), "retry")
	if s.Button("erase") == nil || !shows(s, "请在下面输入硬盘名称 sda 确认") {
		t.Fatalf("a retry does not ask for the name again: %q", s.Texts())
	}
	typeKeys(t, s, "sda")
	tap(t, s.Button("erase"), "erase")
	waitFor(t, "the install", func() bool { return !s.Busy() && s.Button("restart") != nil })
	if got := strings.Count(rec.String(), "failed"); got != 2 {
		t.Errorf("%d failures audited, want 2:\n%s", got, rec)
	}
}

// Stop during the copy: the copy is cancelled and reported not done.
func TestInstallStopped(t *testing.T) {
	f := &fakeInstaller{hold: make(chan struct{})}
	s, _, _, _ := open(t, 1, f)
	tap(t, s.Button("disk.nvme0n1"), "nvme0n1")
	typeKeys(t, s, "nvme0n1")
	tap(t, s.Button("erase"), "erase")
	waitFor(t, "the copy's progress", func() bool { return shows(s, "1.4 GB of 3.4 GB") })
	tap(t, s.Button("stop"), "stop")
	waitFor(t, "the failure", func() bool { return !s.Busy() && s.Button("retry") != nil })
	if !shows(s, "Stopped (at 1.4 GB)") || !shows(s, "Not installed") {
		t.Errorf("stopped: %q", s.Texts())
	}
}

func TestInstallDiskInUse(t *testing.T) {
	f := &fakeInstaller{results: []error{errors.Join(errors.New("/dev/sda"), sys.ErrInUse)}}
	s, _, _, _ := open(t, 0, f)
	tap(t, s.Button("disk.sda"), "sda")
	typeKeys(t, s, "sda")
	tap(t, s.Button("erase"), "erase")
	waitFor(t, "the failure", func() bool { return !s.Busy() && s.Button("retry") != nil })
	if !shows(s, "这块硬盘正在使用中") {
		t.Errorf("in use: %q", s.Texts())
	}
}

// The screens in both languages: the list, the confirmation half typed,
// the copy under way, done, and a disk gone.
func TestInstallScreensGolden(t *testing.T) {
	for lang, name := range []string{"zh", "en"} {
		t.Run(name, func(t *testing.T) {
			f := &fakeInstaller{hold: make(chan struct{}), results: []error{
				&sys.Failure{Kind: sys.Gone, Stage: sys.Copying, At: 1_200_000_000, Total: image, Err: syscall.ENODEV}, nil}}
			s, w, _, _ := open(t, lang, f)
			golden.Assert(t, "list-"+name, w.Canvas().Capture(), *update)
			tap(t, s.Button("disk.sda"), "sda")
			typeKeys(t, s, "sd")
			golden.Assert(t, "confirm-"+name, w.Canvas().Capture(), *update)
			typeKeys(t, s, "a")
			tap(t, s.Button("erase"), "erase")
			waitFor(t, "the copy's progress", func() bool { return shows(s, "1.4 GB") })
			golden.Assert(t, "copying-"+name, w.Canvas().Capture(), *update)
			f.hold <- struct{}{}
			waitFor(t, "the failure", func() bool { return !s.Busy() && s.Button("retry") != nil })
			golden.Assert(t, "failed-"+name, w.Canvas().Capture(), *update)
			tap(t, s.Button("retry"), "retry")
			typeKeys(t, s, "sda")
			tap(t, s.Button("erase"), "erase")
			close(f.hold)
			waitFor(t, "the install", func() bool { return !s.Busy() && s.Button("restart") != nil })
			golden.Assert(t, "done-"+name, w.Canvas().Capture(), *update)
		})
	}
}

// On an installed terminal the screen says why there is nothing to choose.
func TestInstallNotFromUSB(t *testing.T) {
	s, _, _, _ := open(t, 0, &fakeInstaller{notUSB: true})
	if !shows(s, "本机不是从 U 盘启动的") || s.Button("disk.sda") != nil {
		t.Errorf("not from USB: %q", s.Texts())
	}
}
