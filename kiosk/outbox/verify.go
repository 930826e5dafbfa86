package outbox

import (
	"errors"
	"fmt"
	"os"

	"github.com/tongban/tongban/kiosk"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// VerifyReport is the result of a read-only check of a queue file.
type VerifyReport struct {
	Entries  int
	ByState  map[kiosk.SubmissionState]int
	Problems []string // plain words; IDs only, no personal data
}

// OK reports whether the file checked clean.
func (r VerifyReport) OK() bool { return len(r.Problems) == 0 }

// maxProblems bounds a report on a badly damaged file.
const maxProblems = 100

// Verify checks a queue file without changing it: bbolt's page check, the
// queue's structure and indexes, and that every record still holding data
// opens with key. It opens the file read-only, so it waits for (and fails
// after a timeout if) a kiosk holds the file. An error means the file could
// not be checked at all; damage is reported in VerifyReport.Problems.
func Verify(path string, key []byte) (rep VerifyReport, err error) {
	return verify(path, keyring{legacy: key})
}

// VerifyEpochs is Verify for a queue whose records are sealed under epoch
// keys (Options.Epochs), with key for any record older than the epochs.
func VerifyEpochs(path string, key []byte, epochs EpochKeys) (VerifyReport, error) {
	return verify(path, keyring{legacy: key, epochs: epochs})
}

func verify(path string, ring keyring) (rep VerifyReport, err error) {
	rep.ByState = map[kiosk.SubmissionState]int{}
	defer func() {
		if r := recover(); r != nil {
			rep.Problems = append(rep.Problems, fmt.Sprintf("panic while checking: %v", r))
			err = nil
		}
	}()
	if _, err := os.Stat(path); err != nil {
		return rep, fmt.Errorf("outbox: %s: %w", path, err)
	}
	if problem, err := validateFile(path); err != nil {
		return rep, err
	} else if problem != "" {
		rep.Problems = append(rep.Problems, problem)
		return rep, nil
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: DefaultLockTimeout})
	if err != nil {
		if isDamage(err) {
			rep.Problems = append(rep.Problems, err.Error())
			return rep, nil
		}
		if errors.Is(err, berrors.ErrTimeout) {
			return rep, fmt.Errorf("outbox: %s is in use (is the kiosk running?): %w", path, err)
		}
		return rep, err
	}
	defer db.Close()
	add := func(format string, args ...any) {
		if len(rep.Problems) < maxProblems {
			rep.Problems = append(rep.Problems, fmt.Sprintf(format, args...))
		}
	}
	err = db.View(func(tx *bolt.Tx) error {
		for e := range tx.Check() {
			add("page check: %v", e)
		}
		if err := checkStructure(tx); err != nil {
			add("%v", err)
			return nil
		}
		if v := tx.Bucket(bucketInfo).Get([]byte("schema")); string(v) != schemaVersion {
			add("schema version %q, want %q", v, schemaVersion)
		}
		entries, bodies, keys := tx.Bucket(bucketEntries), tx.Bucket(bucketBodies), tx.Bucket(bucketKeys)
		_ = entries.ForEach(func(k, v []byte) error {
			e, err := decodeEntry(string(k), v)
			if err != nil {
				add("%v", err)
				return nil
			}
			rep.Entries++
			rep.ByState[e.State]++
			if id := tx.Bucket(bucketReceipts).Get([]byte(e.LocalReceipt)); string(id) != e.ID {
				add("entry %s: local receipt %s not indexed to it", e.ID, e.LocalReceipt)
			}
			if !e.hasBody() {
				if bodies.Get(k) != nil || keys.Get(k) != nil {
					add("entry %s: purged but its data is still there", e.ID)
				}
				return nil
			}
			if _, err := openRecord(ring, e.ID, keys.Get(k), bodies.Get(k)); err != nil {
				add("entry %s (%s): %v", e.ID, e.State, err)
			}
			return nil
		})
		for _, b := range [][]byte{bucketBodies, bucketKeys} {
			_ = tx.Bucket(b).ForEach(func(k, _ []byte) error {
				if entries.Get(k) == nil {
					add("%s: %s has no entry", b, k)
				}
				return nil
			})
		}
		return nil
	})
	return rep, err
}
