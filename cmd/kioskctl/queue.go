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
	"github.com/tongban/tongban/kiosk/keystore"
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
	keyDir := fs.String("key-dir", "", "the queue's keys by epoch (default: queue-keys beside the key file, as the kiosk keeps them; queue.key_dir in the kiosk's configuration)")
	tpmMode := fs.String("tpm", "auto", "the TPM the queue's keys are sealed by: auto (/dev/tpmrm0 when there is one), off, a device, or unix:SOCKET (swtpm); queue.tpm in the kiosk's configuration")
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
	if *keyDir == "" {
		*keyDir = filepath.Join(filepath.Dir(*keyPath), keystore.DirName)
	}
	tpm, closeTPM, err := openTPM(*tpmMode)
	if err != nil {
		return err
	}
	defer closeTPM()
	keys := epochPlace{dir: *keyDir, tpm: tpm}
	switch sub {
	case "fill":
		return technicianAction(filepath.Dir(*db), "queue fill", queueFill(ctx, *db, *keyPath, keys, *terminal, *count, stdout, stderr))
	case "list":
		return readQueue(*db, *keyPath, func(q *outbox.Outbox) error { return queueList(q, stdout) })
	case "stats":
		return readQueue(*db, *keyPath, func(q *outbox.Outbox) error { return queueStats(q, stdout) })
	case "verify":
		return queueVerify(*db, *keyPath, keys, stdout)
	case "salvage":
		if fs.NArg() != 1 {
			return errors.New("queue salvage: give the damaged file: kioskctl queue salvage [--db LIVE] FILE")
		}
		return technicianAction(filepath.Dir(*db), "queue salvage", queueSalvage(ctx, *db, *keyPath, keys, fs.Arg(0), stdout, stderr))
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
func queueSalvage(ctx context.Context, db, keyPath string, keyDir epochPlace, file string, stdout, stderr io.Writer) error {
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("there is no file %s (check the path): %w", file, err)
	}
	return withQueueKey(db, keyPath, keyDir, false, stderr, func(q *outbox.Outbox) error {
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

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// withQueueKey opens the queue and reports a damaged file that Open moved
// aside; create allows a new key for a new queue (fill on a path with no
// queue yet), never for an existing one. The keys by epoch in keyDir are
// used when the folder exists.
func withQueueKey(db, keyPath string, keyDir epochPlace, create bool, stderr io.Writer, fn func(q *outbox.Outbox) error) error {
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
	epochs, err := keyDir.epochs()
	if err != nil {
		return err
	}
	q, rep, err := outbox.Open(db, outbox.Options{Key: key, Epochs: epochs})
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

func queueFill(ctx context.Context, db, keyPath string, keyDir epochPlace, terminal string, count int, stdout, stderr io.Writer) error {
	return withQueueKey(db, keyPath, keyDir, true, stderr, func(q *outbox.Outbox) error {
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

// epochPlace is where the queue's keys by epoch are, and the TPM that
// unseals them (nil: none).
type epochPlace struct {
	dir string
	tpm keystore.Sealer
}

func (p epochPlace) epochs() (outbox.EpochKeys, error) { return openEpochs(p.dir, p.tpm) }

// openTPM opens the TPM mode names (kioskctl queue --tpm), or none.
func openTPM(mode string) (keystore.Sealer, func(), error) {
	dev, err := keystore.ResolveDevice(mode)
	if err != nil || dev == "" {
		return nil, func() {}, err
	}
	tpm, closer, err := keystore.OpenDevice(dev)
	if err != nil {
		if mode == "auto" {
			return nil, func() {}, nil // keys sealed by it then say they do not open
		}
		return nil, nil, err
	}
	return tpm, func() { closer.Close() }, nil
}

// openEpochs opens the queue's keys by epoch in dir, unsealed by tpm when
// they are sealed, or returns nil when there is no such folder (a queue
// from before key epochs). The folder is left as it is: the kiosk owns it.
func openEpochs(dir string, tpm keystore.Sealer) (outbox.EpochKeys, error) {
	if !fileExists(dir) {
		return nil, nil
	}
	opts := keystore.Options{Sealer: tpm, LeaveAsIs: true}
	if v, ok := tpm.(keystore.Vault); ok {
		opts.Vault = v
	}
	d, err := keystore.Open(dir, opts)
	if err != nil {
		return nil, fmt.Errorf("the queue's key folder %s (give it with --key-dir): %w", dir, err)
	}
	return d, nil
}

func queueVerify(db, keyPath string, keyDir epochPlace, stdout io.Writer) error {
	if _, err := os.Stat(db); err != nil {
		return fmt.Errorf("there is no queue at %s (check the path): %w", db, err)
	}
	key, err := outbox.LoadKey(keyPath)
	if err != nil {
		return fmt.Errorf("the queue's key %s cannot be read (give it with --key): %w", keyPath, err)
	}
	epochs, err := keyDir.epochs()
	if err != nil {
		return err
	}
	rep, err := outbox.VerifyEpochs(db, key, epochs)
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
