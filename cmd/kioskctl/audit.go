package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/outbox"
)

// runAudit verifies the audit log: every entry's seal (with the terminal's
// audit key), links and order, and, given the back office's anchor, that
// the log still holds the anchored entry unchanged. The anchor is taken
// from a flag (--anchor SEQ:HEAD, as the back office's audit alarm and
// console show it); kioskctl does not fetch it itself.
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return errors.New("audit: want the subcommand verify (kioskctl audit verify --log PATH [--key PATH] [--anchor SEQ:HEAD])")
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	logPath := fs.String("log", "", "audit log file (the kiosk's is /var/lib/tongban/audit.log)")
	keyPath := fs.String("key", "", "the terminal's audit key (default: audit.key beside the log, when there is one)")
	anchorText := fs.String("anchor", "", "the back office's anchor of this terminal's chain, SEQ:HEAD (from the audit alarm or the console)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *logPath == "" {
		return errors.New("audit verify: --log PATH is required")
	}
	var o audit.VerifyOptions
	if *anchorText != "" {
		a, err := audit.ParseAnchor(*anchorText)
		if err != nil {
			return fmt.Errorf("audit verify: --anchor: %w", err)
		}
		o.Anchor = &a
	}
	if *keyPath == "" {
		if beside := filepath.Join(filepath.Dir(*logPath), auditKeyFile); fileExists(beside) {
			*keyPath = beside
		}
	}
	if *keyPath != "" {
		key, err := outbox.LoadKey(*keyPath)
		if err != nil {
			return fmt.Errorf("audit verify: the audit key %s cannot be read: %w", *keyPath, err)
		}
		o.Key = key
	}
	if _, err := os.Stat(*logPath); err != nil {
		return fmt.Errorf("audit verify: there is no log at %s (check the path): %w", *logPath, err)
	}
	rep, err := audit.VerifyWith(*logPath, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d lines, last entry %d, head %s\n", rep.Lines, rep.LastSeq, rep.Head)
	switch {
	case o.Key == nil && rep.Unchecked > 0:
		fmt.Fprintf(stdout, "%d sealed entries were not checked: no audit key given (--key); links and order were checked\n", rep.Unchecked)
	case o.Key != nil:
		fmt.Fprintf(stdout, "%d entries sealed with the audit key, every seal checked\n", rep.Sealed)
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(stdout, p)
	}
	if verdict := auditVerdict(rep); verdict != "" {
		fmt.Fprintln(stdout, verdict)
	}
	switch {
	case rep.Tampered():
		return fmt.Errorf("audit verify: %d problems in %s", len(rep.Problems), *logPath)
	case !rep.OK():
		fmt.Fprintln(stdout, "the chain is intact up to a torn tail: a write cut short by a power cut, not tampering; the kiosk cuts it back and records the repair when it next starts")
		return fmt.Errorf("audit verify: a torn tail in %s (repairable)", *logPath)
	case o.Anchor != nil:
		fmt.Fprintf(stdout, "ok: the chain is intact and holds entry %d as the back office anchored it\n", o.Anchor.Seq)
	default:
		fmt.Fprintln(stdout, "ok: the chain is intact (without --anchor, entries cut off the end cannot be seen)")
	}
	return nil
}

// auditVerdict sums the report up in one sentence: truncated, rewritten,
// forked, or altered.
func auditVerdict(rep audit.Report) string {
	has := map[audit.ProblemKind]bool{}
	for _, p := range rep.Problems {
		has[p.Kind] = true
	}
	switch {
	case has[audit.Forked]:
		return "FORKED: this log is another branch than the one the back office anchored"
	case has[audit.Rewritten]:
		return "REWRITTEN: entries were changed, removed or re-chained after they were written"
	case has[audit.Truncated]:
		return "TRUNCATED: entries the back office anchored were cut off the end of the log"
	case has[audit.Unsealed], has[audit.Altered], has[audit.Inserted], has[audit.Deleted], has[audit.Reordered], has[audit.Unreadable]:
		return "TAMPERED: the chain was altered before its end"
	}
	return ""
}
