package technician

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/devices/idcard"
	"github.com/tongban/tongban/devices/scanner"
	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/hardware"
)

// Conn is an open serial port.
type Conn interface {
	serialport.Line
	Close() error
}

// Opener opens the serial port at path at a speed, 8N1 (serialport.Open).
type Opener func(path string, baud int) (Conn, error)

// OpenSerial is the Opener of real ports and pseudo-terminals.
func OpenSerial(path string, baud int) (Conn, error) {
	return serialport.Open(path, serialport.Mode{Baud: baud})
}

// Lister lists the machine's serial ports with their USB identity
// (serialport.List, from go.bug.st/serial's enumerator).
type Lister func() ([]serialport.Port, error)

// Protocol is one device protocol a probe tries on a port: Ask puts the
// device a harmless question and says what it answered; an error means
// nothing that speaks this protocol answered.
type Protocol struct {
	Kind kiosk.DeviceKind
	Name string
	Baud int
	Ask  func(ctx context.Context, rw serialport.Line) (Reply, error)
}

// Reply is what a device answered to a probe: in the protocol's words, for
// the details, and as a device status, which the screens say in words of
// the technician's language.
type Reply struct {
	Text   string
	Status kiosk.DeviceStatus
}

// Protocols are tried in this order, and the first that answers names the
// device. The printer comes first: its real-time status request is never
// printed, while the other probes' bytes would reach its buffer (where the
// next job's ESC @ clears them).
func Protocols() []Protocol {
	return []Protocol{
		{Kind: kiosk.DevicePrinter, Name: "printer (DLE EOT status)", Baud: 115200, Ask: askPrinter},
		{Kind: kiosk.DeviceIDReader, Name: "ID card reader (SAM status)", Baud: 115200, Ask: askIDReader},
		{Kind: kiosk.DeviceScanner, Name: "scanner (GM65 register read)", Baud: 9600, Ask: func(_ context.Context, rw serialport.Line) (Reply, error) {
			return Reply{Status: kiosk.DeviceStatus{Kind: kiosk.DeviceScanner, State: kiosk.DeviceOnline}}, scanner.ProbeGM65(rw)
		}},
	}
}

// askPrinter asks for the four real-time statuses.
func askPrinter(ctx context.Context, rw serialport.Line) (Reply, error) {
	st, err := escpos.NewConn(rw).Status(ctx)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: st.String(), Status: hardware.DeviceStatusOf(st)}, nil
}

// askIDReader asks the SAM for its status. A SAM that answers with a fault
// (a failed self-test, not authorised) is still an ID card reader.
func askIDReader(ctx context.Context, rw serialport.Line) (Reply, error) {
	err := idcard.NewReader(rw, nil).SAMStatus(ctx)
	var st *idcard.StatusError
	switch {
	case err == nil:
		return Reply{Text: "SAM ready", Status: kiosk.DeviceStatus{Kind: kiosk.DeviceIDReader, State: kiosk.DeviceOnline}}, nil
	case errors.As(err, &st):
		return Reply{Text: "SAM answered " + st.SW3.String(), Status: kiosk.DeviceStatus{Kind: kiosk.DeviceIDReader, State: kiosk.DeviceHardwareError}}, nil
	}
	return Reply{}, err
}

// Finding is what probing one port found.
type Finding struct {
	Port   serialport.Port
	Kind   kiosk.DeviceKind // "" when no known protocol answered
	Name   string           // the protocol that answered
	Baud   int
	Answer string // what the device said (its status), no personal data
	// Status is the answer as a device status (State, Paper), for the
	// screens' words; zero when nothing answered.
	Status kiosk.DeviceStatus
	Err    error // the port could not be opened or hung
}

// Summary says in one line what answered on the port.
func (f Finding) Summary() string {
	switch {
	case f.Err != nil:
		return f.Err.Error()
	case f.Kind == "":
		return "no known protocol"
	}
	s := fmt.Sprintf("%s at %d baud", f.Name, f.Baud)
	if f.Answer != "" {
		s += ": " + f.Answer
	}
	return s
}

// Probe tries the known protocols on port p in turn, each for timeout at
// most, and says which one answered first.
func Probe(ctx context.Context, open Opener, p serialport.Port, timeout time.Duration) Finding {
	f := Finding{Port: p}
	for _, pr := range Protocols() {
		if ctx.Err() != nil {
			f.Err = ctx.Err()
			return f
		}
		reply, ok, err := probeOnce(ctx, open, p.Path, pr, timeout)
		if err != nil {
			f.Err = err
			return f
		}
		if ok {
			f.Kind, f.Name, f.Baud, f.Answer, f.Status = pr.Kind, pr.Name, pr.Baud, reply.Text, reply.Status
			return f
		}
	}
	return f
}

// probeOnce runs one protocol with an overall deadline. A port another
// program reads at the same time (root may open a port the kiosk holds)
// can leave a read blocked for good; such a probe is abandoned.
func probeOnce(ctx context.Context, open Opener, path string, pr Protocol, timeout time.Duration) (reply Reply, ok bool, err error) {
	port, err := open(path, pr.Baud)
	if err != nil {
		return Reply{}, false, fmt.Errorf("cannot open: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	port.SetReadDeadline(time.Now().Add(timeout))
	type result struct {
		reply Reply
		err   error
	}
	done := make(chan result, 1)
	go func() {
		a, err := pr.Ask(ctx, port)
		done <- result{a, err}
	}()
	select {
	case r := <-done:
		cancel()
		port.Close()
		return r.reply, r.err == nil, nil
	case <-time.After(3*timeout + time.Second):
		cancel()
		return Reply{}, false, errors.New("no answer; is another program using the port?")
	}
}

// Detect lists the ports (and extra paths: pseudo-terminals and links are
// not listed) and probes each.
func Detect(ctx context.Context, list Lister, extra []string, open Opener, timeout time.Duration) ([]Finding, error) {
	ports, err := list()
	seen := map[string]bool{}
	for _, p := range ports {
		seen[p.Path] = true
	}
	for _, path := range extra {
		if !seen[path] {
			ports = append(ports, serialport.Port{Path: path})
			seen[path] = true
		}
	}
	if err != nil && len(ports) == 0 {
		return nil, err
	}
	out := make([]Finding, 0, len(ports))
	for _, p := range ports {
		out = append(out, Probe(ctx, open, p, timeout))
	}
	if len(out) == 0 {
		return nil, errors.New("no serial ports found: check that the devices' USB cables are plugged in")
	}
	return out, nil
}

// Roles are the serial devices a terminal needs, in the set-up's order.
var Roles = []kiosk.DeviceKind{kiosk.DeviceIDReader, kiosk.DevicePrinter, kiosk.DeviceScanner}

// Assignment is which port serves each role.
type Assignment map[kiosk.DeviceKind]string

// Assign gives each role the first port whose device answered as it.
func Assign(found []Finding) Assignment {
	a := Assignment{}
	for _, f := range found {
		if f.Kind != "" && a[f.Kind] == "" {
			a[f.Kind] = f.Port.Path
		}
	}
	return a
}

// Missing returns the roles with no port, in Roles' order.
func (a Assignment) Missing() []kiosk.DeviceKind {
	var out []kiosk.DeviceKind
	for _, r := range Roles {
		if a[r] == "" {
			out = append(out, r)
		}
	}
	return out
}

// Next gives role the next port after its current one among found (in
// the listed order, wrapping round), for a technician who knows better
// than the probe; it returns the new path.
func (a Assignment) Next(role kiosk.DeviceKind, found []Finding) string {
	if len(found) == 0 {
		return ""
	}
	i := 0
	for j, f := range found {
		if f.Port.Path == a[role] {
			i = j + 1
			break
		}
	}
	a[role] = found[i%len(found)].Port.Path
	return a[role]
}

// configPrefix is each role's prefix in kiosk.conf.
var configPrefix = map[kiosk.DeviceKind]string{
	kiosk.DeviceIDReader: "idreader",
	kiosk.DevicePrinter:  "printer",
	kiosk.DeviceScanner:  "scanner",
}

// ConfigLines are the kiosk.conf lines that find each assigned device
// again: by USB identity when the port has one that no other listed port
// shares (a ttyUSB number can change at the next boot), by its path
// otherwise.
func (a Assignment) ConfigLines(found []Finding) string {
	byPath := map[string]serialport.Port{}
	shared := map[string]int{}
	for _, f := range found {
		byPath[f.Port.Path] = f.Port
		shared[f.Port.USBID()+"/"+f.Port.SerialNumber]++
	}
	var b strings.Builder
	for _, role := range Roles {
		path := a[role]
		if path == "" {
			continue
		}
		p := byPath[path]
		if p.IsUSB && p.USBID() != "" && shared[p.USBID()+"/"+p.SerialNumber] == 1 {
			fmt.Fprintf(&b, "%s.usb = %s\n", configPrefix[role], p.USBID())
			if p.SerialNumber != "" {
				fmt.Fprintf(&b, "%s.serial = %s\n", configPrefix[role], p.SerialNumber)
			}
			continue
		}
		fmt.Fprintf(&b, "%s.port = %s\n", configPrefix[role], path)
	}
	return b.String()
}
