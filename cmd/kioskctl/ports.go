package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk/technician"
)

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
// answered first, and what it said (kiosk/technician, as the set-up does).
func probePort(ctx context.Context, path string, timeout time.Duration) string {
	open := func(path string, baud int) (technician.Conn, error) { return openPort(path, baud) }
	return technician.Probe(ctx, open, serialport.Port{Path: path}, timeout).Summary()
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
