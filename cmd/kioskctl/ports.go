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

	"github.com/tongban/tongban/devices/scanner"
	"github.com/tongban/tongban/devices/serialport"
)

// portProbe is one protocol `kioskctl ports` tries on each port. To teach
// it a device, add an entry in portProbes (the ID reader's SAM status
// request, the printer's DLE EOT status).
type portProbe struct {
	name  string
	baud  int
	probe func(rw io.ReadWriter) error
}

func portProbes() []portProbe {
	return []portProbe{
		{name: "scanner (GM65 register read)", baud: 9600, probe: scanner.ProbeGM65},
	}
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

// probePort tries every known protocol on path and says what answered.
func probePort(ctx context.Context, path string, timeout time.Duration) string {
	var answers []string
	for _, pp := range portProbes() {
		if ctx.Err() != nil {
			break
		}
		answer, err := probeOnce(path, pp, timeout)
		if err != nil {
			return err.Error()
		}
		if answer {
			answers = append(answers, fmt.Sprintf("%s at %d baud", pp.name, pp.baud))
		}
	}
	if len(answers) == 0 {
		return "no known protocol"
	}
	return strings.Join(answers, "; ")
}

// probeOnce runs one probe with an overall deadline. A port another
// program reads at the same time (root may open a port the kiosk holds)
// can leave a read blocked for good; such a probe is abandoned.
func probeOnce(path string, pp portProbe, timeout time.Duration) (bool, error) {
	port, err := serialport.Open(path, serialport.Mode{Baud: pp.baud, ReadTimeout: timeout})
	if err != nil {
		return false, fmt.Errorf("cannot open: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- pp.probe(port) }()
	select {
	case err := <-done:
		port.Close()
		return err == nil, nil
	case <-time.After(3*timeout + time.Second):
		return false, errors.New("no answer; is another program using the port?")
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
