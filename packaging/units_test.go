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

// units are the units the .deb installs and the image's drop-ins for them.
func units(t *testing.T) (base, dropIns []string) {
	base, _ = filepath.Glob("*.service")
	dropIns, _ = filepath.Glob("image/overlay/etc/systemd/system/*.service.d/*.conf")
	if len(base) < 2 || len(dropIns) < 1 {
		t.Fatalf("found only %v and %v", base, dropIns)
	}
	return base, dropIns
}

// verify runs systemd-analyze verify on unit, beside the other units it
// names, with its drop-ins in place.
func verify(t *testing.T, unit string, base, dropIns []string) string {
	t.Helper()
	dir := t.TempDir()
	for _, u := range base {
		data, err := os.ReadFile(u)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(u)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	name := filepath.Base(unit)
	for _, d := range dropIns {
		if filepath.Base(filepath.Dir(d)) != name+".d" {
			continue
		}
		data, err := os.ReadFile(d)
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(dir, name+".d"), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name+".d", filepath.Base(d)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("systemd-analyze", "verify", "--man=no", filepath.Join(dir, name))
	cmd.Env = append(os.Environ(), "SYSTEMD_UNIT_PATH="+dir+":")
	out, _ := cmd.CombinedOutput()
	return string(out)
}

// TestUnitsVerify runs systemd's own check on every unit we ship. The only
// complaint allowed is that a program the .deb installs, or one of its
// Debian dependencies, is not on this machine.
func TestUnitsVerify(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	bins := installed(t)
	base, dropIns := units(t)
	for _, u := range base {
		for _, withDropIns := range [][]string{nil, dropIns} {
			out := verify(t, u, base, withDropIns)
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				if line == "" {
					continue
				}
				if m := regexp.MustCompile(`Command (\S+) is not executable`).FindStringSubmatch(line); m != nil && (bins[m[1]] || fromDebian[m[1]]) {
					continue
				}
				t.Errorf("%s (drop-ins %v): %s", u, withDropIns != nil, line)
			}
		}
	}
}

// TestUnitsRunOnlyWhatIsInstalled: every ExecStart names a program the .deb
// or Debian's base system provides, so no unit points at nothing.
func TestUnitsRunOnlyWhatIsInstalled(t *testing.T) {
	bins := installed(t)
	base, dropIns := units(t)
	for _, u := range append(base, dropIns...) {
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
			fields := strings.Fields(strings.TrimLeft(val, "+-@!:"))
			if len(fields) == 0 {
				continue // ExecStart= empties the list before a drop-in sets it
			}
			prog := fields[0]
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
