package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/outbox"
)

func runQueue(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("queue: want a subcommand: fill, list, stats, verify or salvage")
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("queue "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "queue database file")
	keyPath := fs.String("key", "", "terminal key file (default: terminal.key beside the db, as the kiosk keeps it, else the db path + \".key\")")
	count := fs.Int("count", 10, "fill: how many synthetic submissions to write")
	terminal := fs.String("terminal", "TEST01", "fill: terminal code for receipt numbers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *db == "" && sub == "salvage" && fs.NArg() == 1 {
		// The live queue beside the damaged file, as the kiosk keeps it.
		*db = filepath.Join(filepath.Dir(fs.Arg(0)), "queue.db")
	}
	if *db == "" {
		return fmt.Errorf("queue %s: --db PATH is required", sub)
	}
	if *keyPath == "" {
		*keyPath = *db + ".key"
		if kiosks := filepath.Join(filepath.Dir(*db), "terminal.key"); fileExists(kiosks) {
			*keyPath = kiosks // the kiosk's own data folder
		}
	}
	switch sub {
	case "fill":
		return technicianAction(filepath.Dir(*db), "queue fill", queueFill(ctx, *db, *keyPath, *terminal, *count, stdout, stderr))
	case "list":
		return readQueue(*db, *keyPath, func(q *outbox.Outbox) error { return queueList(q, stdout) })
	case "stats":
		return readQueue(*db, *keyPath, func(q *outbox.Outbox) error { return queueStats(q, stdout) })
	case "verify":
		return queueVerify(*db, *keyPath, stdout)
	case "salvage":
		if fs.NArg() != 1 {
			return errors.New("queue salvage: give the damaged file: kioskctl queue salvage [--db LIVE] FILE")
		}
		return technicianAction(filepath.Dir(*db), "queue salvage", queueSalvage(ctx, *db, *keyPath, fs.Arg(0), stdout, stderr))
	default:
		return fmt.Errorf("queue: unknown subcommand %q (fill, list, stats, verify, salvage)", sub)
	}
}

// readQueue opens an existing queue read-only: list and stats never
// write, create or move a file, and a mistyped path is a plain error.
func readQueue(db, keyPath string, fn func(q *outbox.Outbox) error) error {
	if _, err := os.Stat(db); err != nil {
		return fmt.Errorf("there is no queue at %s (check the path): %w", db, err)
	}
	key, err := outbox.LoadKey(keyPath)
	if err != nil {
		return fmt.Errorf("the queue's key %s cannot be read (give it with --key): %w", keyPath, err)
	}
	q, err := outbox.OpenReadOnly(db, key)
	if err != nil {
		return err
	}
	defer q.Close()
	return fn(q)
}

// queueSalvage moves the waiting submissions of a damaged file moved aside
// into the live queue.
func queueSalvage(ctx context.Context, db, keyPath, file string, stdout, stderr io.Writer) error {
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("there is no file %s (check the path): %w", file, err)
	}
	return withQueue(db, keyPath, stderr, func(q *outbox.Outbox) error {
		rep, err := q.Salvage(ctx, file)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d waiting in %s: %d put in the queue, %d already there, %d unusable; %d pages unreadable\n",
			rep.Found, file, rep.Imported, rep.Already, rep.Unusable, rep.LostPages)
		for _, p := range rep.Problems {
			fmt.Fprintln(stdout, "problem:", p)
		}
		if rep.MovedTo != "" {
			fmt.Fprintf(stdout, "the damaged file is kept as %s\n", rep.MovedTo)
		}
		if rep.Unusable > 0 {
			return fmt.Errorf("queue salvage: %d submissions could not be taken from %s (it was left in place)", rep.Unusable, file)
		}
		return nil
	})
}

// withQueue opens the queue (creating the key for a new one) and reports a
// damaged file that Open moved aside.
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func withQueue(db, keyPath string, stderr io.Writer, fn func(q *outbox.Outbox) error) error {
	return withQueueKey(db, keyPath, false, stderr, fn)
}

// withQueueKey is withQueue; create allows a new key for a new queue
// (fill on a path with no queue yet), never for an existing one.
func withQueueKey(db, keyPath string, create bool, stderr io.Writer, fn func(q *outbox.Outbox) error) error {
	var key []byte
	var err error
	if info, statErr := os.Stat(db); create && errors.Is(statErr, os.ErrNotExist) || create && statErr == nil && info.Size() == 0 {
		key, err = outbox.LoadOrCreateKey(keyPath)
	} else {
		key, err = outbox.LoadKey(keyPath) // never a new key: it would not open this queue
	}
	if err != nil {
		return fmt.Errorf("the queue's key %s cannot be read (give it with --key): %w", keyPath, err)
	}
	q, rep, err := outbox.Open(db, outbox.Options{Key: key})
	if err != nil {
		return err
	}
	defer q.Close()
	if rep.Damaged {
		fmt.Fprintf(stderr, "ALARM: the queue file was damaged (%s); it was moved to %s and a fresh queue started\n", rep.Problem, rep.MovedTo)
	}
	if rep.Resumed > 0 || rep.Unreadable > 0 {
		fmt.Fprintf(stderr, "start-up: %d resumed, %d unreadable records quarantined\n", rep.Resumed, rep.Unreadable)
	}
	return fn(q)
}

// flusher is implemented by buffered writers; os.Stdout needs no flush.
type flusher interface{ Flush() error }

func queueFill(ctx context.Context, db, keyPath, terminal string, count int, stdout, stderr io.Writer) error {
	return withQueueKey(db, keyPath, true, stderr, func(q *outbox.Outbox) error {
		for i := 0; i < count; i++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			now := time.Now()
			id, err := outbox.NewSubmissionID()
			if err != nil {
				return err
			}
			receipt, err := q.NextLocalReceipt(terminal, now)
			if err != nil {
				return err
			}
			if err := q.Enqueue(ctx, kiosktest.Submission(i, id, receipt, terminal, now)); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "acked %s\n", id)
			if f, ok := stdout.(flusher); ok {
				if err := f.Flush(); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func queueList(q *outbox.Outbox, stdout io.Writer) error {
	list, err := q.List()
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tSTATE\tLOCAL RECEIPT\tOFFICIAL\tATTEMPTS\tREASON")
	for _, e := range list {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\n", e.ID, e.State, e.LocalReceipt, dash(e.Official), e.Attempts, e.Reason)
	}
	return w.Flush()
}

func queueStats(q *outbox.Outbox, stdout io.Writer) error {
	st, err := q.Stats()
	if err != nil {
		return err
	}
	oldest := "-"
	if !st.OldestUnsent.IsZero() {
		oldest = st.OldestUnsent.Format(time.RFC3339)
	}
	fmt.Fprintf(stdout, "pending       %d\nsending       %d\nacknowledged  %d\nquarantined   %d\npurged        %d\n",
		st.Pending, st.Sending, st.Acknowledged, st.Quarantined, st.Purged)
	if st.Stranded > 0 {
		fmt.Fprintf(stdout, "stranded      %d (in damaged files moved aside: kioskctl queue salvage FILE)\n", st.Stranded)
	}
	fmt.Fprintf(stdout, "oldest unsent %s\nfile          %d bytes\nin use        %d bytes (%.1f%% of quota %d)\nfree pages    %d\n",
		oldest, st.FileBytes, st.UsedBytes, 100*float64(st.UsedBytes)/float64(st.QuotaBytes), st.QuotaBytes, st.FreePages)
	return nil
}

func queueVerify(db, keyPath string, stdout io.Writer) error {
	if _, err := os.Stat(db); err != nil {
		return fmt.Errorf("there is no queue at %s (check the path): %w", db, err)
	}
	key, err := outbox.LoadKey(keyPath)
	if err != nil {
		return fmt.Errorf("the queue's key %s cannot be read (give it with --key): %w", keyPath, err)
	}
	rep, err := outbox.Verify(db, key)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d entries", rep.Entries)
	for _, state := range []kiosk.SubmissionState{kiosk.StatePending, kiosk.StateSending,
		kiosk.StateAcknowledged, kiosk.StateQuarantined, kiosk.StatePurged} {
		fmt.Fprintf(stdout, ", %d %s", rep.ByState[state], state)
	}
	fmt.Fprintln(stdout)
	for _, p := range rep.Problems {
		fmt.Fprintln(stdout, "problem:", p)
	}
	if !rep.OK() {
		return fmt.Errorf("queue verify: %d problems in %s", len(rep.Problems), db)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}
