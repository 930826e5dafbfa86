package technician

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReplaceDeviceLines(t *testing.T) {
	// A line longer than a scanner's buffer is kept too.
	long := "center.name = " + strings.Repeat("长", 400_000) + "\n"
	if got := string(ReplaceDeviceLines([]byte(long+"printer.port = /dev/x\n"), "printer.port = /dev/y\n")); got != long+"printer.port = /dev/y\n" {
		t.Fatalf("a long line: %d bytes back", len(got))
	}
	conf := "center.code = XH01\n# printer.port = /dev/old (a comment stays)\nidreader.port = /dev/ttyUSB0\nprinter.usb = 0fe6:811e\nprinter.baud = 115200\nscanner.serial = X\n"
	got := string(ReplaceDeviceLines([]byte(conf), "idreader.usb = 0400:c35a\nprinter.port = /dev/ttyS0\n"))
	want := "center.code = XH01\n# printer.port = /dev/old (a comment stays)\nprinter.baud = 115200\nidreader.usb = 0400:c35a\nprinter.port = /dev/ttyS0\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

// Saving writes through the configuration's link; a check that refuses the
// result leaves the file as it was, and a second save replaces the first.
func TestSaveAssignmentThroughTheLink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "data", "kiosk.conf")
	if err := os.MkdirAll(filepath.Dir(real), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte("printer.port = /dev/ttyUSB9\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "kiosk.conf")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	refuse := errors.New("no")
	if err := SaveAssignment(link, "printer.port = /dev/ttyS1\n", func([]byte) error { return refuse }); !errors.Is(err, refuse) {
		t.Fatalf("refused: %v", err)
	}
	for i, lines := range []string{"printer.port = /dev/ttyS1\n", "printer.usb = 0fe6:811e\n"} {
		if err := SaveAssignment(link, lines, func([]byte) error { return nil }); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(real)
		if string(got) != lines {
			t.Fatalf("save %d: %q", i, got)
		}
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("the link was replaced by a file")
	}
}

// Whatever the configuration file holds, the result keeps every other
// line and holds the new device lines exactly once, at the end.
func FuzzReplaceDeviceLines(f *testing.F) {
	f.Add([]byte("center.code = XH01\nprinter.port = /dev/ttyUSB0\n"), "printer.usb = 0fe6:811e\n")
	f.Add([]byte("printer.port=/dev/x\r\n# idreader.port = y\nno equals sign\n"), "idreader.port = /dev/ttyS0\n")
	f.Fuzz(func(t *testing.T, conf []byte, lines string) {
		if strings.ContainsAny(lines, "\r") || !strings.HasSuffix(lines, "\n") && lines != "" {
			return
		}
		got := string(ReplaceDeviceLines(conf, lines))
		if !strings.HasSuffix(got, lines) {
			t.Fatalf("the new lines are not at the end: %q", got)
		}
		kept := strings.TrimSuffix(got, lines)
		// Every other line is kept, however long.
		for _, line := range strings.Split(string(conf), "\n") {
			key, _, ok := strings.Cut(line, "=")
			if line != "" && !(ok && deviceKeys[strings.TrimSpace(key)] && !strings.HasPrefix(strings.TrimSpace(line), "#")) && !strings.Contains(kept, line) {
				t.Fatalf("the line %q was lost", line)
			}
		}
		for _, line := range strings.Split(kept, "\n") {
			key, _, ok := strings.Cut(line, "=")
			if ok && deviceKeys[strings.TrimSpace(key)] && !strings.HasPrefix(strings.TrimSpace(line), "#") {
				t.Fatalf("an old device line stayed: %q in %q", line, got)
			}
		}
	})
}
