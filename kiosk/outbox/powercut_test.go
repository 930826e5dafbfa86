package outbox

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/internal/powercut"
	"github.com/tongban/tongban/kiosk/kiosktest"
	bolt "go.etcd.io/bbolt"
)

// The power-cut loops of the queue (see internal/powercut): the workload
// runs in a child process on a file system that drops whatever was not
// fsynced, the power is cut at a random moment, and what survived is
// checked against what the child acknowledged.

const pcTerminal = "PCUT"

// pcWork is the queue workload: new submissions through Add (the
// terminal's path) and Enqueue, each acknowledged as "<id> <receipt>" once
// the call returns, mixed with sending, acknowledging, quarantining,
// releasing, purging and compacting, as the kiosk does.
func pcWork(q *Outbox, rng *rand.Rand, ack func(string)) error {
	ctx := context.Background()
	for i := 0; ; i++ {
		now := time.Now()
		if rng.IntN(4) == 0 {
			id, err := NewSubmissionID()
			if err != nil {
				return err
			}
			receipt, err := q.NextLocalReceipt(pcTerminal, now)
			if err != nil {
				return err
			}
			if err := q.Enqueue(ctx, kiosktest.Submission(i, id, receipt, pcTerminal, now)); err != nil {
				return err
			}
			ack(id + " " + receipt)
		} else {
			s, err := q.Add(ctx, kiosktest.Submission(i, "", "", pcTerminal, time.Time{}))
			if err != nil {
				return err
			}
			ack(s.ID + " " + s.LocalReceipt)
		}
		switch r := rng.IntN(40); {
		case r < 6:
			batch, err := q.NextBatch(1 + rng.IntN(5))
			if err != nil {
				return err
			}
			for j, s := range batch {
				switch j % 3 {
				case 0:
					err = q.Acknowledge(s.ID, "OFF-"+s.ID)
				case 1:
					err = q.Quarantine(s.ID, "test rejection")
				default:
					err = q.Release([]string{s.ID})
				}
				if err != nil {
					return err
				}
			}
		case r < 8:
			if _, err := q.Purge(time.Now()); err != nil {
				return err
			}
		case r == 8:
			if _, err := q.Compact(); err != nil {
				return err
			}
		}
	}
}

func pcOpen(dir string) (*Outbox, error) {
	q, _, err := Open(filepath.Join(dir, "queue.db"), Options{Key: testKey(), Retention: -1})
	return q, err
}

// checkQueue: every acknowledged submission is in the file once, its
// record opens (unless purged after its acknowledgement by the back
// office), the file passes Verify, and the queue reopens without finding
// damage.
func checkQueue(dir string, acked []string) powercut.Findings {
	var f powercut.Findings
	problem := func(kind *int, format string, args ...any) {
		*kind++
		f.Problems = append(f.Problems, fmt.Sprintf(format, args...))
	}
	path := filepath.Join(dir, "queue.db")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if len(acked) > 0 {
			problem(&f.Lost, "queue.db is gone with %d acknowledged submissions", len(acked))
			f.Lost += len(acked) - 1
		}
		return f
	}
	rep, err := Verify(path, testKey())
	if err != nil {
		problem(&f.CheckErrors, "Verify: %v", err)
		return f
	}
	for _, p := range rep.Problems {
		problem(&f.CheckErrors, "Verify: %s", p)
	}
	q, start, err := Open(path, Options{Key: testKey(), Retention: -1})
	if err != nil {
		problem(&f.CheckErrors, "Open: %v", err)
		return f
	}
	defer q.Close()
	if start.Damaged || start.Unreadable > 0 {
		problem(&f.CheckErrors, "Open found damage: %+v", start)
	}
	err = q.view(func(tx *bolt.Tx) error {
		byReceipt := map[string]int{}
		_ = tx.Bucket(bucketEntries).ForEach(func(k, v []byte) error {
			if e, err := decodeEntry(string(k), v); err == nil {
				byReceipt[e.LocalReceipt]++
			}
			return nil
		})
		for r, n := range byReceipt {
			if n > 1 {
				problem(&f.Duplicated, "local receipt %s held by %d submissions", r, n)
			}
		}
		for _, a := range acked {
			id, receipt, _ := strings.Cut(a, " ")
			e, err := getEntry(tx, id)
			if err != nil {
				problem(&f.Lost, "acknowledged %s lost: %v", id, err)
				continue
			}
			if e.LocalReceipt != receipt {
				problem(&f.CheckErrors, "%s holds receipt %s, acknowledged with %s", id, e.LocalReceipt, receipt)
			}
			if !e.hasBody() {
				continue
			}
			s, err := openRecord(keyring{legacy: testKey()}, id, tx.Bucket(bucketKeys).Get([]byte(id)), tx.Bucket(bucketBodies).Get([]byte(id)))
			if err != nil {
				problem(&f.CheckErrors, "acknowledged %s does not decrypt: %v", id, err)
			} else if s.LocalReceipt != receipt {
				problem(&f.CheckErrors, "%s decrypts to receipt %s, acknowledged with %s", id, s.LocalReceipt, receipt)
			}
		}
		return nil
	})
	if err != nil {
		problem(&f.CheckErrors, "reading the queue: %v", err)
	}
	return f
}

// openNoSync opens the queue with bbolt's fsyncs switched off: the same
// code as the real queue, made unsafe, for the positive control.
func openNoSync(dir string) (*Outbox, error) {
	path := filepath.Join(dir, "queue.db")
	opts := Options{Key: testKey(), Retention: -1}.withDefaults()
	bo := boltOptions(opts)
	bo.NoSync = true
	db, err := bolt.Open(path, 0o600, bo)
	if err != nil {
		return nil, err
	}
	if err := db.Update(createBuckets); err != nil {
		return nil, err
	}
	if err := syncDir(dir); err != nil {
		return nil, err
	}
	return &Outbox{path: path, opts: opts, log: opts.Logger, db: db}, nil
}

func TestPowerCutQueue(t *testing.T) {
	powercut.Run(t, powercut.Target{
		Name: "queue",
		Child: func(dir string, rng *rand.Rand, ack func(string)) error {
			q, err := pcOpen(dir)
			if err != nil {
				return err
			}
			return pcWork(q, rng, ack)
		},
		Check: checkQueue,
		Control: func(dir string, rng *rand.Rand, ack func(string)) error {
			q, err := openNoSync(dir)
			if err != nil {
				return err
			}
			return pcWork(q, rng, ack)
		},
		Torn: true,
	})
}

// TestPowerCutReceipts: no local receipt number is ever handed out twice
// across cuts, whether reserved by NextLocalReceipt or assigned by Add,
// through compactions. Each acknowledged number must also be at or below
// the durable counter of its day, or the next one handed out would repeat
// it.
func TestPowerCutReceipts(t *testing.T) {
	powercut.Run(t, powercut.Target{
		Name: "receipt counter",
		Child: func(dir string, rng *rand.Rand, ack func(string)) error {
			q, err := pcOpen(dir)
			if err != nil {
				return err
			}
			for i := 0; ; i++ {
				if rng.IntN(2) == 0 {
					r, err := q.NextLocalReceipt(pcTerminal, time.Now())
					if err != nil {
						return err
					}
					ack(r)
				} else {
					s, err := q.Add(context.Background(), kiosktest.Submission(i, "", "", pcTerminal, time.Time{}))
					if err != nil {
						return err
					}
					ack(s.LocalReceipt)
				}
				if rng.IntN(50) == 0 {
					if _, err := q.Compact(); err != nil {
						return err
					}
				}
			}
		},
		Check: checkCounter,
		// The control keeps its counter in a file written without fsync:
		// numbers come round again after a cut.
		Control: func(dir string, rng *rand.Rand, ack func(string)) error {
			path := filepath.Join(dir, "counter")
			for {
				raw, _ := os.ReadFile(path)
				n, _ := strconv.Atoi(strings.TrimSpace(string(raw)))
				n++
				if err := os.WriteFile(path, []byte(strconv.Itoa(n)), 0o600); err != nil {
					return err
				}
				ack(fmt.Sprintf("CTRL-%04d", n))
				time.Sleep(100 * time.Microsecond)
			}
		},
		Torn: true,
	})
}

// checkCounter compares the acknowledged receipt numbers with the durable
// counters (duplicates among the acknowledgements are counted by Run).
func checkCounter(dir string, acked []string) powercut.Findings {
	var f powercut.Findings
	high := map[string]int{} // day → highest acknowledged sequence
	for _, r := range acked {
		if !strings.HasPrefix(r, pcTerminal+"-") {
			continue // the control's numbers
		}
		parts := strings.Split(r, "-")
		n, _ := strconv.Atoi(parts[len(parts)-1])
		day := parts[len(parts)-2]
		high[day] = max(high[day], n)
	}
	if len(high) == 0 {
		return f
	}
	path := filepath.Join(dir, "queue.db")
	if _, err := os.Stat(path); err != nil {
		f.Lost++
		f.Problems = append(f.Problems, "queue.db with the receipt counter is gone: "+err.Error())
		return f
	}
	if rep, err := Verify(path, testKey()); err != nil || !rep.OK() {
		f.CheckErrors++
		f.Problems = append(f.Problems, fmt.Sprintf("Verify: %v %v", err, rep.Problems))
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		f.CheckErrors++
		f.Problems = append(f.Problems, err.Error())
		return f
	}
	defer db.Close()
	db.View(func(tx *bolt.Tx) error {
		for day, n := range high {
			var have uint64
			if b := tx.Bucket(bucketCounters); b != nil {
				if v := b.Get([]byte("receipt/" + pcTerminal + "/" + day)); len(v) == 8 {
					have = uint64(v[0])<<56 | uint64(v[1])<<48 | uint64(v[2])<<40 | uint64(v[3])<<32 |
						uint64(v[4])<<24 | uint64(v[5])<<16 | uint64(v[6])<<8 | uint64(v[7])
				}
			}
			if have < uint64(n) {
				f.Lost++
				f.Problems = append(f.Problems, fmt.Sprintf("day %s: number %d was handed out but the counter is back at %d", day, n, have))
			}
		}
		return nil
	})
	return f
}

// TestPowerCutKeyCreation cuts the power while a terminal starts for the
// first time: its key is created, then its queue, then a first submission.
// Each round works in a new data folder (provisioned: the folder itself is
// durable). After a cut no folder may hold a queue with records whose key
// is missing or does not open them, and every acknowledged submission is
// there.
func TestPowerCutKeyCreation(t *testing.T) {
	firstStart := func(dir string, rng *rand.Rand, ack func(string), createKey func(string) ([]byte, error)) error {
		for {
			data := filepath.Join(dir, fmt.Sprintf("t%016x", rng.Uint64()))
			if err := os.Mkdir(data, 0o700); err != nil {
				return err
			}
			if err := syncDir(dir); err != nil {
				return err
			}
			key, err := createKey(filepath.Join(data, "terminal.key"))
			if err != nil {
				return err
			}
			q, _, err := Open(filepath.Join(data, "queue.db"), Options{Key: key})
			if err != nil {
				return err
			}
			s, err := q.Add(context.Background(), kiosktest.Submission(1, "", "", pcTerminal, time.Time{}))
			if err != nil {
				return err
			}
			ack(filepath.Base(data) + " " + s.ID)
			if err := q.Close(); err != nil {
				return err
			}
		}
	}
	powercut.Run(t, powercut.Target{
		Name: "terminal key",
		Child: func(dir string, rng *rand.Rand, ack func(string)) error {
			return firstStart(dir, rng, ack, LoadOrCreateKey)
		},
		NewCheck: newKeyCheck,
		// The control writes the key in place without fsync.
		Control: func(dir string, rng *rand.Rand, ack func(string)) error {
			return firstStart(dir, rng, ack, func(path string) ([]byte, error) {
				key := make([]byte, KeySize)
				for i := range key {
					key[i] = byte(rng.IntN(256))
				}
				return key, os.WriteFile(path, []byte(fmt.Sprintf("%x\n", key)), 0o600)
			})
		},
		Delay: 40 * time.Millisecond,
		Torn:  true,
	})
}

// newKeyCheck opens every data folder as the terminal would at start.
// A folder that checked clean after an earlier cut is not checked again:
// the workload never returns to it.
func newKeyCheck() func(string, []string) powercut.Findings {
	clean := map[string]bool{}
	return func(dir string, acked []string) powercut.Findings {
		return checkKeys(dir, acked, clean)
	}
}

func checkKeys(dir string, acked []string, clean map[string]bool) powercut.Findings {
	var f powercut.Findings
	want := map[string][]string{}
	for _, a := range acked {
		folder, id, _ := strings.Cut(a, " ")
		want[folder] = append(want[folder], id)
	}
	folders, _ := os.ReadDir(dir)
	seen := map[string]bool{}
	for _, d := range folders {
		if !d.IsDir() {
			continue
		}
		seen[d.Name()] = true
		if clean[d.Name()] {
			continue
		}
		before := len(f.Problems)
		checkFolder(filepath.Join(dir, d.Name()), want[d.Name()], &f)
		clean[d.Name()] = len(f.Problems) == before
	}
	for folder, ids := range want {
		if !seen[folder] {
			f.Lost += len(ids)
			f.Problems = append(f.Problems, fmt.Sprintf("%s: the data folder is gone", folder))
		}
	}
	return f
}

// checkFolder starts one data folder's queue as the terminal would.
func checkFolder(data string, want []string, f *powercut.Findings) {
	name := filepath.Base(data)
	qpath := filepath.Join(data, "queue.db")
	if info, err := os.Stat(qpath); err != nil || info.Size() == 0 {
		if len(want) > 0 {
			f.Lost += len(want)
			f.Problems = append(f.Problems, fmt.Sprintf("%s: the queue with acknowledged submissions is gone", name))
		}
		return
	}
	// Read-only first, with no key: does the file hold records at all?
	rep, err := Verify(qpath, make([]byte, KeySize))
	if err != nil {
		f.CheckErrors++
		f.Problems = append(f.Problems, fmt.Sprintf("%s: %v", name, err))
		return
	}
	key, err := LoadKey(filepath.Join(data, "terminal.key"))
	if err != nil {
		if rep.Entries > 0 {
			f.Lost += max(1, len(want))
			f.Problems = append(f.Problems, fmt.Sprintf("%s: a queue with %d records and no usable key: %v", name, rep.Entries, err))
		}
		return
	}
	if rep, err := Verify(qpath, key); err != nil || !rep.OK() {
		f.CheckErrors++
		f.Problems = append(f.Problems, fmt.Sprintf("%s: Verify with its key: %v %v", name, err, rep.Problems))
	}
	q, _, err := Open(qpath, Options{Key: key})
	if err != nil {
		f.CheckErrors++
		f.Problems = append(f.Problems, fmt.Sprintf("%s: the terminal would not start: %v", name, err))
		return
	}
	defer q.Close()
	for _, id := range want {
		if _, err := q.Get(id); err != nil {
			f.Lost++
			f.Problems = append(f.Problems, fmt.Sprintf("%s: acknowledged %s lost: %v", name, id, err))
		}
	}
}
