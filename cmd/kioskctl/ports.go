package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/devices/idcard"
	"github.com/tongban/tongban/devices/scanner"
	"github.com/tongban/tongban/devices/serialport"
)

// portProbe is one protocol `kioskctl ports` tries on each port: probe
// asks the device on rw a harmless question and says what it answered;
// an error means nothing that speaks this protocol answered.
type portProbe struct {
	name  string
	baud  int
	probe func(ctx context.Context, rw serialport.Line) (answer string, err error)
}

// portProbes are tried in this order, and the first that answers names
// the device. The printer comes first: its real-time status request is
// never printed, while the other probes' bytes would reach its buffer
// (where the next job's ESC @ clears them).
func portProbes() []portProbe {
	return []portProbe{
		{name: "printer (DLE EOT status)", baud: 115200, probe: probePrinter},
		{name: "ID card reader (SAM status)", baud: 115200, probe: probeIDReader},
		{name: "scanner (GM65 register read)", baud: 9600, probe: func(_ context.Context, rw serialport.Line) (string, error) {
			return "", scanner.ProbeGM65(rw)
		}},
	}
}

// probePrinter asks for the four real-time statuses.
func probePrinter(ctx context.Context, rw serialport.Line) (string, error) {
	st, err := escpos.NewConn(rw).Status(ctx)
	if err != nil {
		return "", err
	}
	return st.String(), nil
}

// probeIDReader asks the SAM for its status. A SAM that answers with a
// fault (a failed self-test, not authorised) is still an ID card reader.
func probeIDReader(ctx context.Context, rw serialport.Line) (string, error) {
	err := idcard.NewReader(rw, nil).SAMStatus(ctx)
	var st *idcard.StatusError
	switch {
	case err == nil:
		return "SAM ready", nil
	case errors.As(err, &st):
		return "SAM answered " + st.SW3.String(), nil
	}
	return "", err
}

func runPorts(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ports", flag.ContinueOnError)
	fs.SetOutput(stderr)
	probe := fs.Bool("probe", true, "open each port and try each known protocol")
	timeout := fs.Duration("timeout", 300*time.Millisecond, "how long to wait for each answer")
	var extra stringList
	fs.Var(&extra, "port", "also probe this path (pseudo-terminals and links are not listed); repeatable")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ports, err := serialport.List()
	if err != nil {
		fmt.Fprintln(stderr, "kioskctl ports:", err)
	}
	for _, p := range extra {
		ports = append(ports, serialport.Port{Path: p})
	}
	if len(ports) == 0 {
		fmt.Fprintln(stdout, "no serial ports found (pass -port PATH for a simulator's pseudo-terminal)")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PORT\tUSB ID\tSERIAL\tUSB PATH\tPRODUCT\tANSWERED")
	for _, p := range ports {
		answered := "-"
		if *probe {
			answered = probePort(ctx, p.Path, *timeout)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.Path, dash(p.USBID()), dash(p.SerialNumber), dash(p.PhysicalPath), dash(p.Product), answered)
	}
	return tw.Flush()
}

// probePort tries the known protocols on path in turn and says which one
// answered first, and what it said.
func probePort(ctx context.Context, path string, timeout time.Duration) string {
	for _, pp := range portProbes() {
		if ctx.Err() != nil {
			break
		}
		answer, ok, err := probeOnce(ctx, path, pp, timeout)
		if err != nil {
			return err.Error()
		}
		if ok {
			s := fmt.Sprintf("%s at %d baud", pp.name, pp.baud)
			if answer != "" {
				s += ": " + answer
			}
			return s
		}
	}
	return "no known protocol"
}

// probeOnce runs one probe with an overall deadline. A port another
// program reads at the same time (root may open a port the kiosk holds)
// can leave a read blocked for good; such a probe is abandoned.
func probeOnce(ctx context.Context, path string, pp portProbe, timeout time.Duration) (answer string, ok bool, err error) {
	port, err := openPort(path, pp.baud)
	if err != nil {
		return "", false, fmt.Errorf("cannot open: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	port.SetReadDeadline(time.Now().Add(timeout))
	type result struct {
		answer string
		err    error
	}
	done := make(chan result, 1)
	go func() {
		a, err := pp.probe(ctx, port)
		done <- result{a, err}
	}()
	select {
	case r := <-done:
		cancel()
		port.Close()
		return r.answer, r.err == nil, nil
	case <-time.After(3*timeout + time.Second):
		cancel()
		return "", false, errors.New("no answer; is another program using the port?")
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }
