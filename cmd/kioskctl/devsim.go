package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tongban/tongban/assets"
	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/devices/scanner"
	"github.com/tongban/tongban/devices/sim"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// simulatedDevice is one device `kioskctl devsim` exposes on a
// pseudo-terminal. To add a device, add an entry in simulatedDevices.
type simulatedDevice struct {
	name   string // the link's name under -dir, e.g. "scanner"
	device sim.Device
	// command handles an operator's line addressed to this device
	// ("scanner scan TEXT" → command("scan TEXT")); nil when it takes none.
	command func(line string) (string, error)
	help    string
	try     string // a command line that uses the device, %s for its path
}

// devsimConfig is how `kioskctl devsim` sets up its devices.
type devsimConfig struct {
	suffix string // what the scanner ends each code with (scanner.SuffixCR...)
	width  int    // printer paper, mm: 58 or 80
	card   string // sample card on the reader from the start; "" none
	pace   bool   // pace the reader like a 115200-baud UART
}

func simulatedDevices(cfg devsimConfig) ([]simulatedDevice, error) {
	sc := sim.NewScanner(sim.ScannerOptions{Suffix: cfg.suffix, NoSuffix: cfg.suffix == scanner.SuffixNone})

	readerOpts := sim.IDCardOptions{}
	if cfg.card != "" {
		c, ok := sim.SampleCards()[cfg.card]
		if !ok {
			return nil, fmt.Errorf("no sample card %q; one of %s", cfg.card, strings.Join(sampleCardNames(), ", "))
		}
		readerOpts.Card = &c
	}
	if cfg.pace {
		readerOpts.Baud = 115200
	}
	reader := sim.NewIDCardReader(readerOpts)

	profile, err := escpos.ProfileForWidth(cmp.Or(cfg.width, 58))
	if err != nil {
		return nil, err
	}
	printer, err := sim.NewPrinter(sim.PrinterOptions{Profile: profile, Font: assets.FontRegular(), BoldFont: assets.FontBold()})
	if err != nil {
		return nil, err
	}
	return []simulatedDevice{
		{name: "scanner", device: sc, command: scannerCommand(sc), help: scannerHelp,
			try: "kioskctl scan --port %s"},
		{name: "idreader", device: reader, command: idreaderCommand(reader),
			help: fmt.Sprintf(idreaderHelp, strings.Join(sampleCardNames(), ", ")),
			try:  "kioskctl idcard read --port %s"},
		{name: "printer", device: printer, command: printerCommand(printer), help: printerHelp,
			try: fmt.Sprintf("kioskctl print receipt --width %d --port %%s", cmp.Or(cfg.width, 58))},
	}, nil
}

const scannerHelp = `scanner scan TEXT            present a code (UTF-8)
  scanner gb TEXT              present a code encoded in GB18030
  scanner split TEXT           present a code split across two reads
  scanner ssm                  present a fresh signed 随申码 of the test resident
  scanner garbage              send bytes that are neither UTF-8 nor GB18030
  scanner long                 send an over-long code`

func scannerCommand(sc *sim.Scanner) func(string) (string, error) {
	return func(line string) (string, error) {
		verb, arg, _ := strings.Cut(line, " ")
		switch verb {
		case "scan":
			sc.Present(arg)
		case "gb":
			b, err := encodeGB18030(arg)
			if err != nil {
				return "", err
			}
			sc.PresentBytes(b)
		case "split":
			sc.Fault(sim.FaultSplit)
			sc.Present(arg)
		case "ssm":
			code, err := sim.SignedSuishenma(time.Now())
			if err != nil {
				return "", err
			}
			sc.Present(code)
		case "garbage":
			sc.Fault(sim.FaultGarbage)
		case "long":
			sc.Fault(sim.FaultOverLong)
		default:
			return "", fmt.Errorf("unknown scanner command %q", verb)
		}
		return "sent", nil
	}
}

func runDevsim(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return devsim(ctx, args, os.Stdin, stdout, stderr)
}

// devsim serves the simulated devices until ctx ends, reading operator
// commands from stdin.
func devsim(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("devsim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", filepath.Join(os.TempDir(), "tongban-devsim"), "directory for the devices' stable links")
	suffixName := fs.String("suffix", "cr", "suffix the simulated scanner sends: cr, lf, crlf, tab or none")
	width := fs.Int("width", 58, "paper width of the simulated printer in mm: 58 or 80")
	card := fs.String("card", "", "sample card on the ID reader from the start: "+strings.Join(sampleCardNames(), ", "))
	pace := fs.Bool("pace", false, "pace the ID reader like a 115200-baud UART (real reading times)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	suffix, err := scanner.ParseSuffix(*suffixName)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return fmt.Errorf("devsim: %w", err)
	}

	devices, err := simulatedDevices(devsimConfig{suffix: suffix, width: *width, card: *card, pace: *pace})
	if err != nil {
		return fmt.Errorf("devsim: %w", err)
	}
	byName := make(map[string]*plugged, len(devices))
	for _, d := range devices {
		p := &plugged{dev: d, link: filepath.Join(*dir, d.name)}
		if err := p.plug(ctx); err != nil {
			return fmt.Errorf("devsim: %s: %w", d.name, err)
		}
		defer p.unplug()
		byName[d.name] = p
		target, _ := os.Readlink(p.link)
		fmt.Fprintf(stdout, "%-8s %s -> %s\n", d.name, p.link, target)
	}
	for _, d := range devices {
		if d.try != "" {
			fmt.Fprintf(stdout, "  try: "+d.try+"\n", filepath.Join(*dir, d.name))
		}
	}
	fmt.Fprintln(stdout, "ready; type help for commands, Ctrl-C to stop")

	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdin)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case line := <-lines:
			if out := devsimCommand(ctx, strings.TrimSpace(line), byName, devices); out != "" {
				fmt.Fprintln(stdout, out)
			}
		}
	}
}

func devsimCommand(ctx context.Context, line string, byName map[string]*plugged, devices []simulatedDevice) string {
	if line == "" {
		return ""
	}
	name, rest, _ := strings.Cut(line, " ")
	switch name {
	case "help":
		var b strings.Builder
		b.WriteString("  unplug NAME                  pull a device out (its link disappears)\n  replug NAME                  plug it back (same link, new pseudo-terminal)\n")
		for _, d := range devices {
			if d.help != "" {
				b.WriteString("  " + d.help + "\n")
			}
		}
		names := make([]string, 0, len(byName))
		for n := range byName {
			names = append(names, n)
		}
		sort.Strings(names)
		b.WriteString("devices: " + strings.Join(names, ", "))
		return b.String()
	case "unplug", "replug":
		p, ok := byName[strings.TrimSpace(rest)]
		if !ok {
			return "no device " + strings.TrimSpace(rest)
		}
		if name == "unplug" {
			p.unplug()
			return p.dev.name + " unplugged"
		}
		if err := p.plug(ctx); err != nil {
			return "replug failed: " + err.Error()
		}
		target, _ := os.Readlink(p.link)
		return p.dev.name + " plugged in: " + p.link + " -> " + target
	}
	p, ok := byName[name]
	if !ok || p.dev.command == nil {
		return fmt.Sprintf("unknown command %q; type help", line)
	}
	out, err := p.dev.command(rest)
	if err != nil {
		return err.Error()
	}
	return out
}

// plugged is a simulated device and its pseudo-terminal, if plugged in.
type plugged struct {
	dev   simulatedDevice
	link  string
	mu    sync.Mutex
	close func() error
}

func (p *plugged) plug(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.close != nil {
		return errors.New("already plugged in")
	}
	_, closeFn, err := sim.ServePTYAt(ctx, p.dev.device, p.link)
	if err != nil {
		return err
	}
	p.close = closeFn
	return nil
}

func (p *plugged) unplug() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.close != nil {
		p.close()
		p.close = nil
	}
}

// encodeGB18030 encodes text as an older Chinese QR generator would.
func encodeGB18030(s string) ([]byte, error) {
	return simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
}
