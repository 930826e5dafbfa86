package install

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// fakeMachine lists two disks and answers each Install with the next of
// results, after reporting progress; with hold set it waits for the
// install's context to end.
type fakeMachine struct {
	mu        sync.Mutex
	notUSB    bool // running from an internal disk
	results   []error
	installed []string
	hold      bool
	stopped   chan struct{}
}

func (f *fakeMachine) Disks() ([]Disk, error) {
	if f.notUSB {
		return nil, ErrNotFromUSB
	}
	return []Disk{{Name: "nvme0n1", Bytes: 512e9}, {Name: "sda", Bytes: 256e9, Model: "SAMSUNG"}}, nil
}
func (f *fakeMachine) ImageSize() (int64, error) { return 3_400_000_000, nil }
func (f *fakeMachine) Install(ctx context.Context, d Disk, typed string, progress func(Progress)) (Result, error) {
	if err := Confirm(d, typed); err != nil {
		return Result{}, err
	}
	f.mu.Lock()
	f.installed = append(f.installed, d.Name)
	var err error
	if len(f.results) > 0 {
		err, f.results = f.results[0], f.results[1:]
	}
	f.mu.Unlock()
	progress(Progress{Stage: Copying, Done: 1e9, Total: 3.4e9})
	if f.hold {
		<-ctx.Done()
		close(f.stopped)
		return Result{}, &Failure{Kind: Cancelled, Stage: Copying, At: 1e9, Total: 3.4e9, Err: ctx.Err()}
	}
	if err != nil {
		return Result{}, err
	}
	progress(Progress{Stage: Verifying, Done: 3.4e9, Total: 3.4e9})
	return Result{Copied: 3.4e9, SHA256: "ab"}, nil
}

// service serves f on a unix socket as systemd would (a connection per
// request) and returns the kiosk's side.
func service(t *testing.T, f *fakeMachine) Remote {
	t.Helper()
	return serve(t, Service{Installer: f})
}

// serve is service with the whole Service: each request a new copy of
// svc, as each connection is a new process.
func serve(t *testing.T, svc Service) Remote {
	t.Helper()
	path := filepath.Join(t.TempDir(), "install.sock")
	l, err := net.Listen("unix", path)
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
	return NewRemote(path)
}

func TestRemoteInstall(t *testing.T) {
	f := &fakeMachine{results: []error{
		&Failure{Kind: Gone, Stage: Copying, At: 1.2e9, Total: 3.4e9, Err: syscall.ENODEV},
		&Failure{Kind: Mismatch, Stage: Verifying, At: 2e9, Total: 3.4e9},
		errors.Join(errors.New("/dev/sda"), ErrInUse),
	}}
	r := service(t, f)
	disks, err := r.Disks()
	if err != nil || len(disks) != 2 || disks[1].Model != "SAMSUNG" {
		t.Fatalf("disks %+v, %v", disks, err)
	}
	if n, err := r.ImageSize(); err != nil || n != 3_400_000_000 {
		t.Fatalf("size %d, %v", n, err)
	}
	sda := disks[1]

	// A disk gone, a mismatch, the disk in use, then done: each failure
	// arrives as the kind it was, with where and why.
	_, err = r.Install(context.Background(), sda, "sda", nil)
	var fl *Failure
	if !errors.As(err, &fl) || fl.Kind != Gone || fl.At != 1.2e9 || fl.Total != 3.4e9 || !strings.Contains(err.Error(), "no such device") {
		t.Fatalf("gone: %v", err)
	}
	if _, err = r.Install(context.Background(), sda, "sda", nil); !errors.As(err, &fl) || fl.Kind != Mismatch || fl.Stage != Verifying {
		t.Fatalf("mismatch: %v", err)
	}
	if _, err = r.Install(context.Background(), sda, "sda", nil); !errors.Is(err, ErrInUse) {
		t.Fatalf("in use: %v", err)
	}
	var seen []Stage
	res, err := r.Install(context.Background(), sda, "sda", func(p Progress) { seen = append(seen, p.Stage) })
	if err != nil || res.Copied != 3.4e9 || len(seen) != 2 || seen[1] != Verifying {
		t.Fatalf("done: %+v, %v, progress %v", res, err, seen)
	}
}

// The service checks for itself: a wrong name, a disk it does not list
// (the boot disk), a request it cannot read.
func TestServiceRefuses(t *testing.T) {
	f := &fakeMachine{}
	r := service(t, f)
	for _, tc := range []struct {
		req  request
		want string
	}{
		{request{Op: "install", Disk: "sda", Typed: "sdb"}, "nothing was erased"},
		{request{Op: "install", Disk: "sdb", Typed: "sdb"}, `"sdb" is not a disk the system can be installed on`},
		{request{Op: "install", Disk: "../sda", Typed: "../sda"}, "not a disk"},
		{request{Op: "format"}, `no such request "format"`},
	} {
		_, err := r.call(context.Background(), tc.req, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.req, err, tc.want)
		}
	}
	if len(f.installed) != 0 {
		t.Errorf("installed on %v", f.installed)
	}
	// The kiosk refuses a wrong name before asking.
	if _, err := r.Install(context.Background(), Disk{Name: "sda"}, "sdb", nil); !errors.Is(err, ErrConfirmation) {
		t.Errorf("a wrong name: %v", err)
	}
}

// Stop on the screen hangs up, and the service stops the copy.
func TestRemoteStop(t *testing.T) {
	f := &fakeMachine{hold: true, stopped: make(chan struct{})}
	r := service(t, f)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := r.Install(ctx, Disk{Name: "sda"}, "sda", func(Progress) { cancel() })
	var fl *Failure
	if !errors.As(err, &fl) || fl.Kind != Cancelled {
		t.Fatalf("stopped: %v", err)
	}
	select {
	case <-f.stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("the service went on copying after the kiosk hung up")
	}
}

func TestRemoteWithoutService(t *testing.T) {
	_, err := NewRemote(filepath.Join(t.TempDir(), "none.sock")).Disks()
	if err == nil || !strings.Contains(err.Error(), "install service does not answer") {
		t.Fatalf("%v", err)
	}
}

// An installed terminal's service offers nothing, and says why: the screen
// can leave out its install button.
func TestRemoteNotFromUSB(t *testing.T) {
	r := service(t, &fakeMachine{notUSB: true})
	if _, err := r.Disks(); !errors.Is(err, ErrNotFromUSB) {
		t.Fatalf("disks: %v", err)
	}
	if _, err := r.Install(context.Background(), Disk{Name: "sda"}, "sda", nil); !errors.Is(err, ErrNotFromUSB) {
		t.Fatalf("install: %v", err)
	}
}

// fakePower is the machine's reboot at the service's seam.
type fakePower struct {
	mu   sync.Mutex
	n    int
	fail error
}

func (p *fakePower) reboot(context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail != nil {
		return p.fail
	}
	p.n++
	return nil
}

func (p *fakePower) reboots() int { p.mu.Lock(); defer p.mu.Unlock(); return p.n }

// The screen's 重新启动 reboots through the service only after an install
// it verified in this boot: not before any, not after one that failed
// (even when an earlier one had passed), and a reboot that fails says so.
func TestServiceRebootsOnlyAfterAVerifiedInstall(t *testing.T) {
	f := &fakeMachine{results: []error{nil, &Failure{Kind: Mismatch, Stage: Verifying, At: 2e9, Total: 3.4e9}, nil}}
	p := &fakePower{}
	record := filepath.Join(t.TempDir(), "tongban-install.verified")
	r := serve(t, Service{Installer: f, Record: record, Reboot: p.reboot})
	ctx := context.Background()
	sda := Disk{Name: "sda", Bytes: 256e9}

	if err := r.Reboot(ctx); !errors.Is(err, ErrNotVerified) || p.reboots() != 0 {
		t.Fatalf("before any install: %v, %d reboots", err, p.reboots())
	}
	if _, err := r.Install(ctx, sda, "sda", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Install(ctx, sda, "sda", nil); err == nil {
		t.Fatal("the mismatch was not reported")
	}
	if err := r.Reboot(ctx); !errors.Is(err, ErrNotVerified) || p.reboots() != 0 {
		t.Fatalf("after a failed install: %v, %d reboots", err, p.reboots())
	}
	if _, err := r.Install(ctx, sda, "sda", nil); err != nil {
		t.Fatal(err)
	}
	if note, err := os.ReadFile(record); err != nil || string(note) != "sda 3400000000 ab\n" {
		t.Fatalf("the record: %q, %v", note, err)
	}
	p.fail = errors.New("systemctl reboot: Access denied")
	if err := r.Reboot(ctx); err == nil || !strings.Contains(err.Error(), "Access denied") || p.reboots() != 0 {
		t.Fatalf("a failing reboot: %v", err)
	}
	p.fail = nil
	if err := r.Reboot(ctx); err != nil || p.reboots() != 1 {
		t.Fatalf("after a verified install: %v, %d reboots", err, p.reboots())
	}
	// A service with no record (kioskctl install --serve by hand with
	// --record "") never reboots.
	bare := serve(t, Service{Installer: &fakeMachine{}, Reboot: p.reboot})
	if _, err := bare.Install(ctx, sda, "sda", nil); err != nil {
		t.Fatal(err)
	}
	if err := bare.Reboot(ctx); !errors.Is(err, ErrNotVerified) || p.reboots() != 1 {
		t.Fatalf("without a record: %v, %d reboots", err, p.reboots())
	}
}

// Whatever the kiosk's side sends, the service answers once, in JSON,
// and installs or reboots only when asked in so many words: an install
// only on a disk it lists with that disk's name typed, a reboot only when
// asked for (here after a verified install, so it is allowed).
func FuzzServe(f *testing.F) {
	for _, s := range []string{
		`{"op":"disks"}` + "\n",
		`{"op":"size"}` + "\n",
		`{"op":"install","disk":"sda","typed":"sda"}` + "\n",
		`{"op":"install","disk":"sda","typed":"sdb"}` + "\n",
		`{"op":"reboot"}` + "\n",
		`{"op":"REBOOT"}`,
		`{"op":"reboot","disk":"sda"}{"op":"reboot"}`,
		"\n",
		`[1,2]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		dir := t.TempDir()
		record := filepath.Join(dir, "verified")
		if err := os.WriteFile(record, []byte("sda 1 ab\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		m := &fakeMachine{}
		p := &fakePower{}
		var out bytes.Buffer
		_ = Service{Installer: m, Record: record, Reboot: p.reboot}.Serve(context.Background(), bytes.NewReader(in), &out)
		var req request
		line, _, _ := bytes.Cut(in, []byte("\n"))
		parsed := json.Unmarshal(line, &req) == nil
		if n := p.reboots(); n > 0 && !(parsed && req.Op == "reboot") {
			t.Fatalf("%q rebooted", in)
		}
		if len(m.installed) > 0 && !(parsed && req.Op == "install" && req.Disk == req.Typed && (req.Disk == "sda" || req.Disk == "nvme0n1")) {
			t.Fatalf("%q installed on %v", in, m.installed)
		}
		dec := json.NewDecoder(&out)
		var a answer
		for dec.More() {
			if err := dec.Decode(&a); err != nil {
				t.Fatalf("%q: an answer that is not JSON: %v", in, err)
			}
		}
		if len(bytes.TrimSpace(in)) > 0 && !a.Final {
			t.Fatalf("%q: no final answer in %q", in, out.String())
		}
	})
}
