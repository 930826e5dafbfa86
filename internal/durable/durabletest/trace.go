package durabletest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Call is one traced system call.
type Call struct {
	Name string // fsync, fdatasync, renameat2, linkat, openat...
	Line string // as strace printed it
	FD   string // the path of the file descriptor argument, when there is one
	Old  string // rename/link: source; openat: the path opened
	New  string // rename/link: destination
}

// Trace runs fn while strace records this process's file system calls, and
// returns them in order. The test is skipped when strace is missing.
func Trace(t testing.TB, fn func()) []Call {
	t.Helper()
	bin, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("SKIPPED: strace is not installed (apt-get install strace); the fsync order cannot be checked")
	}
	out := filepath.Join(t.TempDir(), "trace")
	cmd := exec.Command(bin, "-f", "-y", "-s", "512",
		"-e", "trace=openat,fsync,fdatasync,rename,renameat,renameat2,link,linkat",
		"-o", out, "-p", fmt.Sprint(os.Getpid()))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting strace: %v", err)
	}
	attached := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sent := false
		for sc.Scan() {
			if !sent && strings.Contains(sc.Text(), "attached") {
				attached <- nil
				sent = true
			}
			if !sent && strings.Contains(sc.Text(), "Operation not permitted") {
				attached <- fmt.Errorf("%s", sc.Text())
				sent = true
			}
		}
		if !sent {
			attached <- fmt.Errorf("strace ended before attaching")
		}
	}()
	select {
	case err := <-attached:
		if err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Skipf("SKIPPED: strace cannot trace this process: %v", err)
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("strace did not attach within 10 s")
	}
	// strace reports the attach before every thread is stopped; a marker
	// call it must see proves it is tracing.
	marker := filepath.Join(t.TempDir(), "trace-start-marker")
	deadline := time.Now().Add(10 * time.Second)
	for {
		f, err := os.Create(marker)
		if err == nil {
			f.Close()
		}
		if b, _ := os.ReadFile(out); bytes.Contains(b, []byte(marker)) {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatal("strace attached but records nothing")
		}
		time.Sleep(20 * time.Millisecond)
	}
	func() {
		defer func() {
			cmd.Process.Signal(syscall.SIGINT)
			cmd.Wait()
		}()
		fn()
	}()
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return Parse(string(raw))
}

var (
	reCall = regexp.MustCompile(`^(?:\[pid\s+\d+\]\s*|\d+\s+)?(\w+)\((.*)\)\s+=\s+(-?\d+)`)
	reFD   = regexp.MustCompile(`^-?\d+<([^>]*)>`)
	reStr  = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)
)

// Parse reads strace -y output; failed and unfinished calls are left out.
func Parse(out string) []Call {
	var calls []Call
	for _, line := range strings.Split(out, "\n") {
		m := reCall.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil || strings.HasPrefix(m[3], "-") {
			continue
		}
		c := Call{Name: m[1], Line: line}
		args := m[2]
		if fd := reFD.FindStringSubmatch(args); fd != nil {
			c.FD = fd[1]
		}
		strs := reStr.FindAllStringSubmatch(args, -1)
		switch {
		case strings.HasPrefix(c.Name, "rename") || strings.HasPrefix(c.Name, "link"):
			if len(strs) >= 2 {
				c.Old, c.New = absolute(args, strs[0][1], 0), absolute(args, strs[1][1], 1)
			}
		case c.Name == "openat":
			if len(strs) >= 1 {
				c.Old = absolute(args, strs[0][1], 0)
			}
		}
		calls = append(calls, c)
	}
	return calls
}

// absolute resolves a path argument against its directory descriptor
// (strace -y prints it as N</dir>); the i-th path argument uses the i-th
// directory descriptor.
func absolute(args, p string, i int) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	dirs := regexp.MustCompile(`\d+<([^>]*)>`).FindAllStringSubmatch(args, -1)
	if i < len(dirs) {
		return filepath.Join(dirs[i][1], p)
	}
	if wd, err := os.Getwd(); err == nil {
		return filepath.Join(wd, p)
	}
	return p
}

func isSync(c Call) bool { return c.Name == "fsync" || c.Name == "fdatasync" }

// Durable reports whether path was put in place durably in calls: its
// contents fsynced before they reached the path (through a rename or link
// of a synced temporary file, or in place), and the folder fsynced after.
// The empty string means yes; otherwise it says what was missing.
func Durable(calls []Call, path string) string {
	path = filepath.Clean(path)
	dir := filepath.Dir(path)
	placed := -1
	var src string
	for i, c := range calls {
		if (strings.HasPrefix(c.Name, "rename") || strings.HasPrefix(c.Name, "link")) && c.New == path {
			placed, src = i, c.Old
		}
	}
	if placed < 0 {
		// Written in place: the last fsync of the file itself.
		for i, c := range calls {
			if isSync(c) && c.FD == path {
				placed, src = i, path
			}
		}
		if placed < 0 {
			return fmt.Sprintf("%s was never fsynced", path)
		}
	} else {
		synced := false
		for _, c := range calls[:placed] {
			synced = synced || (isSync(c) && c.FD == src)
		}
		if !synced {
			return fmt.Sprintf("%s was renamed or linked into place from %s without an fsync of its contents first", path, src)
		}
	}
	for _, c := range calls[placed+1:] {
		if isSync(c) && c.FD == dir {
			return ""
		}
	}
	return fmt.Sprintf("the folder %s was not fsynced after %s was put in place", dir, path)
}

// RequireDurable fails the test for each path that was not put in place
// durably.
func RequireDurable(t testing.TB, calls []Call, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if why := Durable(calls, p); why != "" {
			t.Errorf("not durable: %s", why)
		}
	}
}
