package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/tongban/tongban/assets"
	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/hardware"
	"github.com/tongban/tongban/kiosk/i18n"
	"github.com/tongban/tongban/kiosk/receipt"
)

const printUsage = "usage: kioskctl print receipt|ticket|appointment|selftest (--port PATH | --out FILE.bin) [--png FILE.png] [--width 58|80] [--lang zh|en] [--raster-qr] [--baud N]"

// runPrint prints a sample document (synthetic data only) to a printer on
// a serial port, or writes its ESC/POS bytes to a file, and optionally
// renders it to a PNG through the printer simulator.
func runPrint(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("print", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, printUsage); fs.PrintDefaults() }
	port := fs.String("port", "", "serial device of the printer, e.g. /dev/ttyUSB0")
	out := fs.String("out", "", "write the ESC/POS bytes to this file")
	pngPath := fs.String("png", "", "render the printout to this PNG file")
	width := fs.Int("width", 58, "paper width in mm: 58 or 80")
	lang := fs.String("lang", "zh", "language: zh or en")
	rasterQR := fs.Bool("raster-qr", false, "send the QR code as a raster image (printers without GS ( k)")
	baud := fs.Int("baud", 115200, "serial speed for --port")

	var doc string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		doc, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if doc == "" && fs.NArg() > 0 {
		doc = fs.Arg(0)
	}
	if *port == "" && *out == "" {
		return errors.New("print: give --port PATH or --out FILE.bin\n" + printUsage)
	}
	profile, err := escpos.ProfileForWidth(*width)
	if err != nil {
		return fmt.Errorf("print: %w", err)
	}
	profile.NativeQR = !*rasterQR
	l := kiosk.Lang(*lang)
	if l != kiosk.LangZH && l != kiosk.LangEN {
		return fmt.Errorf("print: language %q is not zh or en", *lang)
	}
	now := time.Now()
	words, err := i18n.Load()
	if err != nil {
		return fmt.Errorf("print: %w", err)
	}

	var data []byte
	var send func(ctx context.Context, p *hardware.Printer) error
	switch doc {
	case "receipt":
		r := receipt.SampleReceipt(l, now)
		data, err = receipt.Acceptance(r, profile, words)
		send = func(ctx context.Context, p *hardware.Printer) error { return p.PrintReceipt(ctx, r) }
	case "ticket":
		t := receipt.SampleTicket(l, now)
		data, err = receipt.Ticket(t, profile, words)
		send = func(ctx context.Context, p *hardware.Printer) error { return p.PrintTicket(ctx, t) }
	case "appointment":
		// The next working day's 09:30 or so: a time the counters keep.
		y, m, d := now.In(kiosk.Shanghai).Date()
		tomorrow := time.Date(y, m, d+1, 0, 0, 0, 0, kiosk.Shanghai)
		a := receipt.SampleAppointment(l, kiosk.DefaultHours().NextOpen(tomorrow).Add(30*time.Minute))
		data, err = receipt.Appointment(a, profile, words)
		send = func(ctx context.Context, p *hardware.Printer) error { return p.PrintAppointment(ctx, a) }
	case "selftest":
		s := receipt.SampleSelfTest(l, now)
		data, err = receipt.SelfTest(s, profile, words)
		send = func(ctx context.Context, p *hardware.Printer) error { return p.PrintSelfTest(ctx, s) }
	default:
		return fmt.Errorf("print: unknown document %q\n%s", doc, printUsage)
	}
	if err != nil {
		return fmt.Errorf("print: %w", err)
	}

	if *out != "" {
		if err := os.WriteFile(*out, data, 0o644); err != nil {
			return fmt.Errorf("print: %w", err)
		}
		fmt.Fprintf(stdout, "wrote %s: %d bytes, %.0f ms at 115200 baud\n", *out, len(data), float64(len(data)*10)/115.2)
	}
	if *pngPath != "" {
		if err := renderPNG(data, profile, *pngPath); err != nil {
			return fmt.Errorf("print: %w", err)
		}
		fmt.Fprintf(stdout, "rendered %s\n", *pngPath)
	}
	if *port != "" {
		f, err := openPort(*port, *baud)
		if err != nil {
			return fmt.Errorf("print: %w", err)
		}
		defer f.Close()
		p := hardware.NewPrinter(f, hardware.PrinterConfig{Profile: profile, Words: words})
		if err := send(ctx, p); err != nil {
			return fmt.Errorf("print: %w\n  %s", err, words.Text(kiosk.LangEN, kiosk.MessageOf(err)))
		}
		st := p.LastStatus()
		fmt.Fprintf(stdout, "printed %s on %s: printer %s, paper %s\n", doc, *port, st.State, st.Paper)
	}
	return nil
}

// renderPNG prints data on a simulated printer and saves what it printed.
func renderPNG(data []byte, profile escpos.Profile, path string) error {
	p, err := sim.NewPrinter(sim.PrinterOptions{Profile: profile, Font: assets.FontRegular(), BoldFont: assets.FontBold()})
	if err != nil {
		return err
	}
	p.Process(data)
	var buf bytes.Buffer
	if err := p.WritePNG(&buf); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
