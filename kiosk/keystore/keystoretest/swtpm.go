// Package keystoretest runs software TPMs 2.0 (swtpm) for the tests of the
// terminal's key store and of what uses it.
//
// swtpm serves one connection at a time, so each SWTPM is reached through
// one socket pair made here and handed to the process (--server
// type=tcp,fd=3: commands are read from that descriptor), and one
// *keystore.TPM over it is shared by every user in the test. With
// --terminate the TPM ends when that socket closes, so a test process that
// dies takes its TPMs with it.
//
// Shared gives a package one TPM for all its tests (start-up is the cost);
// Start gives a test a TPM of its own, for a second machine or a reboot.
package keystoretest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk/keystore"
)

// SWTPM is a software TPM running with its state in a folder.
type SWTPM struct {
	// State is the folder of its state: start another SWTPM on it to
	// have the same TPM again, as after a reboot.
	State  string
	tpm    *keystore.TPM
	conn   net.Conn
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	once   sync.Once
}

// TPM is the TPM, to seal and unseal with. Share it: it is the only
// connection.
func (s *SWTPM) TPM() *keystore.TPM { return s.tpm }

// Stop ends the TPM (a power-off); its state stays in its folder.
func (s *SWTPM) Stop() {
	s.once.Do(func() {
		s.conn.Close()
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			s.cmd.Process.Kill()
			<-done
		}
	})
}

// Start starts swtpm with its state in dir (a new TPM for an empty dir,
// the same TPM again for a dir it used before); it stops at the end of the
// test. Without swtpm the test is skipped, or fails when CI or
// TONGBAN_REQUIRE_SWTPM is set (make deps installs the Debian packages
// swtpm and swtpm-tools).
func Start(tb testing.TB, dir string) *SWTPM {
	tb.Helper()
	s, err := start(dir)
	if err != nil {
		missing(tb, err)
	}
	tb.Cleanup(s.Stop)
	return s
}

// errNoSWTPM says swtpm is not installed.
type errNoSWTPM struct{ err error }

func (e errNoSWTPM) Error() string {
	return "swtpm is not installed (make deps installs the Debian packages swtpm and swtpm-tools): " + e.err.Error()
}

func missing(tb testing.TB, err error) {
	tb.Helper()
	if _, ok := err.(errNoSWTPM); ok && os.Getenv("CI") == "" && os.Getenv("TONGBAN_REQUIRE_SWTPM") == "" {
		tb.Skip(err)
	}
	tb.Fatal(err)
}

func start(dir string) (*SWTPM, error) {
	bin, err := exec.LookPath("swtpm")
	if err != nil {
		return nil, errNoSWTPM{err}
	}
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	ours, theirs := os.NewFile(uintptr(fds[0]), "tpm"), os.NewFile(uintptr(fds[1]), "swtpm")
	defer theirs.Close()
	cmd := exec.Command(bin, "socket", "--tpm2", "--tpmstate", "dir="+dir,
		"--server", "type=tcp,fd=3", "--flags", "not-need-init,startup-clear", "--terminate")
	cmd.ExtraFiles = []*os.File{theirs}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		ours.Close()
		return nil, err
	}
	conn, err := net.FileConn(ours)
	ours.Close()
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, err
	}
	s := &SWTPM{State: dir, conn: conn, cmd: cmd, stderr: &stderr, tpm: keystore.NewTPM(keystore.Framed(conn))}
	// The first command waits for swtpm to be up; a TPM that does not
	// answer in time is a failure, not a hang.
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	_, err = s.tpm.Seal(make([]byte, keystore.KeySize))
	conn.SetDeadline(time.Time{})
	if err != nil {
		s.Stop()
		return nil, fmt.Errorf("swtpm did not answer: %v; %s", err, stderr.String())
	}
	return s, nil
}

var shared struct {
	once sync.Once
	s    *SWTPM
	dir  string
	err  error
}

// Shared is one TPM for the whole test process, started at first use:
// the package's tests share it (a TestMain calling Main stops it and
// removes its state at the end).
func Shared(tb testing.TB) *keystore.TPM {
	tb.Helper()
	shared.once.Do(func() {
		shared.dir, shared.err = os.MkdirTemp("", "tongban-swtpm-")
		if shared.err == nil {
			shared.s, shared.err = start(shared.dir)
		}
	})
	if shared.err != nil {
		missing(tb, shared.err)
	}
	return shared.s.TPM()
}

// Main runs the tests and then stops the shared TPM and removes its
// state: func TestMain(m *testing.M) { os.Exit(keystoretest.Main(m)) }.
func Main(m *testing.M) int {
	code := m.Run()
	if shared.s != nil {
		shared.s.Stop()
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	return code
}

// StartSocket starts swtpm listening on a Unix socket in dir, its state in
// dir too, as a developer runs it for the kiosk (queue.tpm = unix:PATH),
// and returns the socket's path; it stops at the end of the test. It
// serves one connection at a time: a user must close its own before the
// next one is answered.
func StartSocket(tb testing.TB, dir string) string {
	tb.Helper()
	bin, err := exec.LookPath("swtpm")
	if err != nil {
		missing(tb, errNoSWTPM{err})
	}
	sock := filepath.Join(dir, "tpm.sock")
	cmd := exec.Command(bin, "socket", "--tpm2", "--tpmstate", "dir="+dir,
		"--server", "type=unixio,path="+sock, "--flags", "not-need-init,startup-clear")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})
	for deadline := time.Now().Add(20 * time.Second); ; {
		if _, err := os.Stat(sock); err == nil {
			return sock
		}
		if time.Now().After(deadline) {
			tb.Fatalf("swtpm did not open %s: %s", sock, stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
