package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/tongban/tongban/devices/scanner"
	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/i18n"
	"github.com/tongban/tongban/kiosk/scancode"
)

func runScan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("port", "", "serial port of the scanner (required), e.g. /dev/ttyUSB0 or a devsim link")
	baud := fs.Int("baud", 9600, "baud rate")
	suffixName := fs.String("suffix", "cr", "suffix ending each code: cr, lf, crlf, tab or none (idle gap)")
	idle := fs.Duration("idle", 0, "end a code after this silence (default 50ms with -suffix none, off otherwise)")
	aim := fs.Bool("aim", false, "the scanner prefixes codes with AIM symbology identifiers")
	maxLen := fs.Int("max", scanner.DefaultMaxLen, "longest code in bytes")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *path == "" {
		fs.Usage()
		return errors.New("scan: -port is required")
	}
	suffix, err := scanner.ParseSuffix(*suffixName)
	if err != nil {
		return err
	}
	port, err := serialport.Open(*path, serialport.Mode{Baud: *baud})
	if err != nil {
		return fmt.Errorf("scan: %w", err)
	}
	go func() { <-ctx.Done(); port.Close() }()
	fmt.Fprintf(stderr, "reading codes from %s; Ctrl-C to stop\n", *path)

	rules := scancode.DefaultRules()
	words, err := i18n.Load()
	if err != nil {
		return fmt.Errorf("scan: %w", err)
	}
	s := scanner.New(port, scanner.Options{
		Framing: scanner.Framing{Suffix: suffix, IdleGap: *idle, MaxLen: *maxLen},
		AIM:     *aim,
	})
	err = s.Run(ctx, func(sc scanner.Scan) {
		fmt.Fprintln(stdout, describeScan(sc, rules, words))
	})
	if ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("scan: %w", err)
}

// describeScan is one line for the operator. Tokens (随申码, e-certificate)
// identify a resident, so only their length is shown.
func describeScan(sc scanner.Scan, rules scancode.Rules, words *i18n.Catalog) string {
	at := sc.At.Format("15:04:05.000")
	zh := func(t kiosk.Text) string { return words.Text(kiosk.LangZH, t) }
	if sc.Err != nil {
		return fmt.Sprintf("%s unreadable: %v (%s)", at, sc.Err, zh(kiosk.MessageOf(scancode.Unreadable(sc.Err))))
	}
	code, err := rules.Classify(sc.Text)
	if err != nil {
		return fmt.Sprintf("%s invalid: %s", at, zh(kiosk.MessageOf(err)))
	}
	detail := ""
	switch code.Kind {
	case kiosk.ScanProgress:
		detail = "receipt=" + code.Receipt
	case kiosk.ScanAppointment:
		detail = "appointment=" + code.Appointment
	case kiosk.ScanSuishenma, kiosk.ScanECertificate:
		detail = fmt.Sprintf("token of %d bytes (not shown)", len(code.Token))
	case kiosk.ScanWebLink:
		detail = "url=" + code.URL
	case kiosk.ScanOther:
		detail = fmt.Sprintf("%d characters: %s", len([]rune(sc.Text)), zh(scancode.Explain(code)))
	}
	enc := string(sc.Encoding)
	if sc.Symbology != "" {
		enc += " " + sc.Symbology
	}
	return fmt.Sprintf("%s %s %s [%s]", at, code.Kind, detail, enc)
}
