package packaging

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// fromDebian are the programs units run that Debian's packages provide: the
// .deb depends on xserver-xorg-core for Xorg; the rest is the base system.
var fromDebian = map[string]bool{"/usr/bin/Xorg": true, "/bin/sh": true, "/bin/systemctl": true}

// installed are the programs the .deb installs, as nfpm.yaml names them.
func installed(t *testing.T) map[string]bool {
	t.Helper()
	data, err := os.ReadFile("nfpm.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s*dst:\s*(/usr/bin/\S+)`).FindAllStringSubmatch(string(data), -1) {
		out[m[1]] = true
	}
	if !out["/usr/bin/tongban-kiosk"] || !out["/usr/bin/kioskctl"] {
		t.Fatalf("nfpm.yaml installs %v; want the kiosk and kioskctl", out)
	}
	return out
}

func units(t *testing.T) []string {
	var files []string
	for _, pattern := range []string{"*.service", "image/overlay/etc/systemd/system/*.service"} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	if len(files) < 3 {
		t.Fatalf("found only %v", files)
	}
	return files
}

// TestUnitsVerify runs systemd's own check on every unit we ship. The only
// complaint allowed is that a program the .deb installs, or one of its
// Debian dependencies, is not on this machine.
func TestUnitsVerify(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	bins := installed(t)
	for _, u := range units(t) {
		out, _ := exec.Command("systemd-analyze", "verify", "--man=no", u).CombinedOutput()
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if line == "" {
				continue
			}
			if m := regexp.MustCompile(`Command (\S+) is not executable`).FindStringSubmatch(line); m != nil && (bins[m[1]] || fromDebian[m[1]]) {
				continue
			}
			t.Errorf("%s: %s", u, line)
		}
	}
}

// TestUnitsRunOnlyWhatIsInstalled: every ExecStart names a program the .deb
// or Debian's base system provides, so no unit points at nothing.
func TestUnitsRunOnlyWhatIsInstalled(t *testing.T) {
	bins := installed(t)
	for _, u := range units(t) {
		f, err := os.Open(u)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			key, val, ok := strings.Cut(sc.Text(), "=")
			if !ok || !strings.HasPrefix(key, "Exec") {
				continue
			}
			prog := strings.Fields(strings.TrimLeft(val, "+-@!:"))[0]
			if !bins[prog] && !fromDebian[prog] {
				t.Errorf("%s: %s runs %s, which nothing installs", u, key, prog)
			}
		}
		f.Close()
	}
}

// TestUdevRules reads the rules the way udev does: comma-separated
// KEY{attr}OP"value" pairs, matches before assignments, known keys only.
func TestUdevRules(t *testing.T) {
	data, err := os.ReadFile("99-tongban-devices.rules")
	if err != nil {
		t.Fatal(err)
	}
	pair := regexp.MustCompile(`^([A-Z]+)(\{[A-Za-z_]+\})?(==|!=|\+=|=|:=)"([^"]*)"$`)
	match := map[string]bool{"SUBSYSTEM": true, "ATTRS": true, "KERNEL": true, "ACTION": true, "ENV": true}
	assign := map[string]bool{"SYMLINK": true, "GROUP": true, "MODE": true, "OWNER": true, "TAG": true, "ENV": true}
	rules := 0
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rules++
		assigned := false
		for _, p := range strings.Split(line, ",") {
			m := pair.FindStringSubmatch(strings.TrimSpace(p))
			if m == nil {
				t.Errorf("line %d: %q is not KEY{attr}OP\"value\"", n+1, p)
				continue
			}
			isMatch := m[3] == "==" || m[3] == "!="
			switch {
			case isMatch && !match[m[1]], !isMatch && !assign[m[1]]:
				t.Errorf("line %d: %s %s is not a key udev knows for that", n+1, m[1], m[3])
			case isMatch && assigned:
				t.Errorf("line %d: match %s after an assignment", n+1, m[1])
			}
			assigned = assigned || !isMatch
		}
		if !strings.Contains(line, `SYMLINK+="kiosk-`) {
			t.Errorf("line %d: every rule names a /dev/kiosk-* link: %s", n+1, line)
		}
	}
	if rules == 0 {
		t.Fatal("no rules")
	}
}
