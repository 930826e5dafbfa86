package serialport

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"go.bug.st/serial/enumerator"
)

// Port is one serial port as the system lists it.
type Port struct {
	Path         string // e.g. /dev/ttyUSB0
	IsUSB        bool
	VID          string // USB vendor ID, lower-case hex, e.g. "1a86"
	PID          string // USB product ID, lower-case hex, e.g. "7523"
	SerialNumber string // USB serial number; many cheap adapters have none
	Product      string // USB product string, when the system reports it
	// PhysicalPath is the USB interface the port hangs off, e.g.
	// "1-1.2:1.0" (hub port 2 of root port 1): it stays the same when the
	// same socket is used again, so it tells apart two adapters with the
	// same VID/PID and no serial number.
	PhysicalPath string
}

// USBID returns "vid:pid", or "" for a port without a USB identity.
func (p Port) USBID() string {
	if p.VID == "" && p.PID == "" {
		return ""
	}
	return p.VID + ":" + p.PID
}

// List returns the serial ports of this machine, sorted by path.
func List() ([]Port, error) {
	details, err := enumerator.GetDetailedPortsList()
	if err != nil {
		return nil, fmt.Errorf("listing serial ports: %w", err)
	}
	ports := make([]Port, 0, len(details))
	for _, d := range details {
		ports = append(ports, Port{
			Path:         d.Name,
			IsUSB:        d.IsUSB,
			VID:          strings.ToLower(d.VID),
			PID:          strings.ToLower(d.PID),
			SerialNumber: d.SerialNumber,
			Product:      d.Product,
			PhysicalPath: physicalPath(d.Name),
		})
	}
	sort.Slice(ports, func(i, j int) bool { return ports[i].Path < ports[j].Path })
	return ports, nil
}

// usbInterface matches a sysfs USB interface name such as 1-1.2:1.0.
var usbInterface = regexp.MustCompile(`^\d+-[\d.]+:\d+\.\d+$`)

// physicalPath finds the USB interface of a tty in sysfs (Linux); it
// returns "" elsewhere or for non-USB ports.
func physicalPath(dev string) string {
	real, err := filepath.EvalSymlinks(filepath.Join("/sys/class/tty", filepath.Base(dev), "device"))
	if err != nil {
		return ""
	}
	parts := strings.Split(real, string(os.PathSeparator))
	for i := len(parts) - 1; i >= 0; i-- {
		if usbInterface.MatchString(parts[i]) {
			return parts[i]
		}
	}
	return ""
}
