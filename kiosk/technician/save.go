package technician

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tongban/tongban/internal/durable"
)

// deviceKeys are the configuration keys that say where a device is; a new
// assignment replaces all of them.
var deviceKeys = map[string]bool{}

func init() {
	for _, prefix := range configPrefix {
		for _, k := range []string{"port", "usb", "serial"} {
			deviceKeys[prefix+"."+k] = true
		}
	}
}

// ReplaceDeviceLines returns the configuration conf with every line that
// says where a device is (idreader.port, printer.usb, …) replaced by lines
// (Assignment.ConfigLines). Other lines, comments and the order stay.
func ReplaceDeviceLines(conf []byte, lines string) []byte {
	var out bytes.Buffer
	if len(conf) > 0 {
		for _, line := range strings.Split(strings.TrimSuffix(string(conf), "\n"), "\n") {
			key, _, ok := strings.Cut(line, "=")
			if ok && deviceKeys[strings.TrimSpace(key)] && !strings.HasPrefix(strings.TrimSpace(line), "#") {
				continue
			}
			out.WriteString(line)
			out.WriteByte('\n')
		}
	}
	out.WriteString(lines)
	return out.Bytes()
}

// SaveAssignment writes lines into the configuration file at path (through
// its link, as on the image, where /etc/tongban/kiosk.conf points into the
// data partition), after check accepts the whole new file; the old file
// stays as it was when check refuses it or the write fails.
func SaveAssignment(path, lines string, check func([]byte) error) error {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return fmt.Errorf("the configuration %s cannot be found: %w", path, err)
	}
	old, err := os.ReadFile(real)
	if err != nil {
		return fmt.Errorf("the configuration %s cannot be read: %w", real, err)
	}
	conf := ReplaceDeviceLines(old, lines)
	if check != nil {
		if err := check(conf); err != nil {
			return fmt.Errorf("the new device lines would make the configuration wrong, so it was not changed: %w", err)
		}
	}
	info, err := os.Stat(real)
	if err != nil {
		return err
	}
	return durable.WriteFile(real, conf, info.Mode().Perm())
}
