package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/tongban/tongban/kiosk/audit"
)

func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return errors.New("audit: want the subcommand verify (kioskctl audit verify --log PATH)")
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	logPath := fs.String("log", "", "audit log file")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *logPath == "" {
		return errors.New("audit verify: --log PATH is required")
	}
	rep, err := audit.Verify(*logPath)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d lines, last entry %d, head %s\n", rep.Lines, rep.LastSeq, rep.Head)
	for _, p := range rep.Problems {
		fmt.Fprintln(stdout, p)
	}
	switch {
	case rep.Tampered():
		return fmt.Errorf("audit verify: %d problems in %s: the chain was altered or damaged before its end", len(rep.Problems), *logPath)
	case !rep.OK():
		fmt.Fprintln(stdout, "the chain is intact up to a torn tail: a write cut short by a power cut, not tampering; the kiosk cuts it back and records the repair when it next starts")
		return fmt.Errorf("audit verify: a torn tail in %s (repairable)", *logPath)
	}
	fmt.Fprintln(stdout, "ok: the chain is intact")
	return nil
}
