package outbox

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Buckets. Keys are submission IDs (UUIDv7), big-endian sequence numbers,
// receipt numbers or counter names: nothing personal.
var (
	bucketInfo     = []byte("info")     // "schema" → schemaVersion
	bucketEntries  = []byte("entries")  // ID → Entry JSON
	bucketBodies   = []byte("bodies")   // ID → sealed submission (with its signature)
	bucketKeys     = []byte("keys")     // ID → wrapped data key
	bucketPending  = []byte("pending")  // seq (8 bytes BE) → ID, FIFO of pending entries
	bucketReceipts = []byte("receipts") // local receipt → ID
	bucketOfficial = []byte("official") // official receipt → ID
	bucketCounters = []byte("counters") // counter name → uint64 BE

	allBuckets = [][]byte{bucketInfo, bucketEntries, bucketBodies, bucketKeys,
		bucketPending, bucketReceipts, bucketOfficial, bucketCounters}
)

const schemaVersion = "1"

// Outbox is the durable offline queue. It is safe for concurrent use.
type Outbox struct {
	path string
	opts Options
	log  *slog.Logger

	mu sync.RWMutex // write-locked only while Compact swaps the file
	db *bolt.DB

	// useBatch commits Enqueue through bolt's DB.Batch instead of
	// DB.Update; only the benchmarks that compare the two set it.
	useBatch bool

	// epochMu keeps a record being sealed under an epoch and that epoch
	// being shredded apart: held from sealing to commit, and while
	// ShredEpochs looks for epochs nothing uses.
	epochMu sync.Mutex

	strandedMu sync.Mutex
	stranded   []Stranded // damaged files beside the queue, not yet salvaged
}

// StartReport says what Open found. When Damaged is true the caller must
// raise an alarm to staff: the old file was moved aside to MovedTo (intact,
// for a technician to recover) and the queue started empty.
type StartReport struct {
	Damaged bool
	MovedTo string
	Problem string // what was wrong, in plain words; no personal data
	Resumed int    // submissions that were being sent and are pending again
	// Unreadable counts records that were quarantined at start-up because
	// their body or key was missing or did not open.
	Unreadable int
}

// Open opens (creating if needed) the queue at path, checks it, and resumes
// submissions left in `sending` by a crash. A damaged file is moved aside,
// never deleted, and a fresh queue is opened in its place: see StartReport.
//
// An error means the queue cannot be used at all (a missing key, the file
// locked by another process, no permission, no space).
func Open(path string, opts Options) (*Outbox, StartReport, error) {
	return openWith(path, opts, checkFile)
}

// OpenReadOnly opens an existing queue file for reading only: List,
// Stats, Get and Find work, every change fails. Nothing is created, moved,
// resumed or written; a missing file, a damaged one or the kiosk holding
// it is an error in plain words. Tools (kioskctl queue list and stats)
// use it.
func OpenReadOnly(path string, key []byte) (*Outbox, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("outbox: the terminal key must be %d bytes, got %d", KeySize, len(key))
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("outbox: no queue at %s: %w", path, err)
	}
	if !info.Mode().IsRegular() || info.Size() == 0 {
		return nil, fmt.Errorf("outbox: %s is not a queue file", path)
	}
	if problem, err := validateFile(path); err != nil {
		return nil, err
	} else if problem != "" {
		return nil, fmt.Errorf("outbox: %s is damaged (%s); kioskctl queue verify says more", path, problem)
	}
	opts := Options{Key: key}.withDefaults()
	ro := boltOptions(opts)
	ro.ReadOnly = true
	db, err := bolt.Open(path, 0o600, ro)
	if err != nil {
		if problem, cerr := classifyOpenError(path, err); cerr != nil {
			return nil, cerr
		} else {
			return nil, fmt.Errorf("outbox: %s is damaged: %s", path, problem)
		}
	}
	if err := db.View(checkStructure); err != nil {
		db.Close()
		return nil, fmt.Errorf("outbox: %s is not a whole queue: %w", path, err)
	}
	q := &Outbox{path: path, opts: opts, log: opts.Logger, db: db}
	q.refreshStranded()
	return q, nil
}

// checkFunc checks an open database; openWith takes it so tests can make
// the check panic.
type checkFunc func(db *bolt.DB) error

func openWith(path string, opts Options, check checkFunc) (*Outbox, StartReport, error) {
	var report StartReport
	if len(opts.Key) != KeySize && (opts.Epochs == nil || opts.Key != nil) {
		return nil, report, fmt.Errorf("outbox: the terminal key must be %d bytes, got %d", KeySize, len(opts.Key))
	}
	opts = opts.withDefaults()
	q := &Outbox{path: path, opts: opts, log: opts.Logger}

	db, problem, err := openChecked(path, opts, check)
	if err != nil {
		return nil, report, err
	}
	if problem != "" {
		moved, err := moveAside(path, opts.Now())
		if err != nil {
			return nil, report, fmt.Errorf("outbox: %s is damaged (%s) and could not be moved aside: %w", path, problem, err)
		}
		report.Damaged, report.MovedTo, report.Problem = true, moved, problem
		q.log.Error("queue file damaged; moved aside, starting a fresh queue", "problem", problem, "moved_to", moved)
		db, problem, err = openChecked(path, opts, check)
		if err != nil {
			return nil, report, err
		}
		if problem != "" {
			return nil, report, fmt.Errorf("outbox: a fresh queue at %s is damaged too: %s", path, problem)
		}
	}
	q.db = db
	q.haveReserve() // made now if there is room; new work waits for it otherwise
	q.refreshStranded()
	if err := q.resume(&report); err != nil {
		db.Close()
		return nil, report, err
	}
	if report.Resumed > 0 || report.Unreadable > 0 {
		q.log.Info("queue resumed", "resumed", report.Resumed, "unreadable", report.Unreadable)
	}
	return q, report, nil
}

func boltOptions(opts Options) *bolt.Options {
	return &bolt.Options{
		Timeout:      opts.LockTimeout,
		FreelistType: bolt.FreelistMapType,
		MaxSize:      int(opts.QuotaBytes),
	}
}

// openChecked checks the file and opens it for writing. A damaged file
// gives a problem description and no error; an error means the file could
// not be examined. Corruption in bbolt often shows as a panic, so panics
// are recovered.
//
// The check runs on a read-only handle first: if bbolt panics half-way
// through opening, the handle it leaks holds only a shared lock on the
// damaged file, which is then moved aside, so the fresh queue and a later
// read-only Verify of the damaged file are not blocked by it.
func openChecked(path string, opts Options, check checkFunc) (db *bolt.DB, problem string, err error) {
	// A memory fault inside bbolt cannot be recovered: the file is
	// validated with plain reads before bbolt maps it.
	if problem, err := validateFile(path); problem != "" || err != nil {
		if err != nil {
			return nil, "", fmt.Errorf("outbox: reading %s: %w", path, err)
		}
		return nil, problem, nil
	}
	info, statErr := os.Stat(path)
	if statErr == nil && info.Size() > 0 {
		if problem, err := checkReadOnly(path, opts, check); problem != "" || err != nil {
			return nil, problem, err
		}
	}
	// A new file's name is durable only once its directory is fsynced:
	// bbolt syncs the file alone, so without this a power cut can take
	// the whole queue with every submission acknowledged since.
	fresh := statErr != nil || info.Size() == 0
	defer func() {
		if r := recover(); r != nil {
			if db != nil {
				closeQuietly(db)
				db = nil
			}
			problem, err = fmt.Sprintf("panic while opening: %v", r), nil
		}
	}()
	db, err = bolt.Open(path, 0o600, boltOptions(opts))
	if err != nil {
		problem, err := classifyOpenError(path, err)
		return nil, problem, err
	}
	if err := db.Update(createBuckets); err != nil {
		if isDamage(err) {
			closeQuietly(db)
			return nil, err.Error(), nil
		}
		db.Close()
		return nil, "", fmt.Errorf("outbox: preparing %s: %w", path, err)
	}
	if fresh {
		if err := syncDir(dirOf(path)); err != nil {
			db.Close()
			return nil, "", fmt.Errorf("outbox: making the new queue %s durable: %w", path, err)
		}
	}
	return db, "", nil
}

func checkReadOnly(path string, opts Options, check checkFunc) (problem string, err error) {
	var db *bolt.DB
	defer func() {
		if r := recover(); r != nil {
			if db != nil {
				closeQuietly(db)
			}
			problem, err = fmt.Sprintf("panic while checking: %v", r), nil
		}
	}()
	ro := boltOptions(opts)
	ro.ReadOnly = true
	db, err = bolt.Open(path, 0o600, ro)
	if err != nil {
		return classifyOpenError(path, err)
	}
	defer db.Close()
	if err := check(db); err != nil {
		return err.Error(), nil
	}
	return "", nil
}

func classifyOpenError(path string, err error) (problem string, _ error) {
	switch {
	case isDamage(err):
		return err.Error(), nil
	case errors.Is(err, berrors.ErrTimeout):
		return "", fmt.Errorf("outbox: %s is in use by another process (the kiosk or kioskctl): %w", path, err)
	default:
		return "", fmt.Errorf("outbox: opening %s: %w", path, err)
	}
}

// closeQuietly closes a database that may be damaged; a panic in Close is
// recovered because the file is being given up anyway.
func closeQuietly(db *bolt.DB) {
	defer func() { _ = recover() }()
	_ = db.Close()
}

// isDamage reports whether an error from bbolt says the file itself is bad,
// as opposed to the file being locked, missing permissions or space.
func isDamage(err error) bool {
	for _, e := range []error{berrors.ErrInvalid, berrors.ErrVersionMismatch, berrors.ErrChecksum, berrors.ErrInvalidMapping, errSchema} {
		if errors.Is(err, e) {
			return true
		}
	}
	// bbolt reports a file shorter than its header without a sentinel.
	msg := err.Error()
	return strings.Contains(msg, "file size too small") || strings.Contains(msg, "mmap too large")
}

var errSchema = errors.New("not a Tongban queue file")

func createBuckets(tx *bolt.Tx) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	info := tx.Bucket(bucketInfo)
	switch v := info.Get([]byte("schema")); {
	case v == nil:
		return info.Put([]byte("schema"), []byte(schemaVersion))
	case string(v) != schemaVersion:
		return fmt.Errorf("%w: schema version %q", errSchema, v)
	}
	return nil
}

// checkFile runs bbolt's page-level check and the queue's own structural
// check in one read transaction.
func checkFile(db *bolt.DB) error {
	return db.View(func(tx *bolt.Tx) error {
		// Check walks the pages in a goroutine of its own: the channel
		// must be drained, or that goroutine goes on reading the mapping
		// after the file is closed and unmapped (a fatal fault).
		var first error
		for err := range tx.Check() {
			if first == nil {
				first = fmt.Errorf("page check: %w", err)
			}
		}
		if first != nil {
			return first
		}
		return checkStructure(tx)
	})
}

// checkStructure verifies that every entry decodes and that the indexes
// point at entries in the matching state.
func checkStructure(tx *bolt.Tx) error {
	for _, name := range allBuckets {
		if tx.Bucket(name) == nil {
			return fmt.Errorf("%w: bucket %q missing", errSchema, name)
		}
	}
	entries := tx.Bucket(bucketEntries)
	err := entries.ForEach(func(k, v []byte) error {
		_, err := decodeEntry(string(k), v)
		return err
	})
	if err != nil {
		return err
	}
	return tx.Bucket(bucketPending).ForEach(func(k, v []byte) error {
		if len(k) != 8 {
			return fmt.Errorf("pending index: key of %d bytes", len(k))
		}
		raw := entries.Get(v)
		if raw == nil {
			return fmt.Errorf("pending index: %s has no entry", v)
		}
		e, err := decodeEntry(string(v), raw)
		if err != nil {
			return err
		}
		if e.State != "pending" || e.Seq != binary.BigEndian.Uint64(k) {
			return fmt.Errorf("pending index: %s is %s with seq %d", v, e.State, e.Seq)
		}
		return nil
	})
}

// moveAside renames a damaged file out of the way, keeping it intact.
func moveAside(path string, now time.Time) (string, error) {
	dst := fmt.Sprintf("%s.damaged-%s", path, now.UTC().Format("20060102T150405Z"))
	for i := 1; ; i++ {
		if _, err := os.Lstat(dst); errors.Is(err, os.ErrNotExist) {
			break
		}
		dst = fmt.Sprintf("%s.damaged-%s-%d", path, now.UTC().Format("20060102T150405Z"), i)
	}
	if err := os.Rename(path, dst); err != nil {
		return "", err
	}
	return dst, syncDir(dirOf(path))
}

// refreshStranded counts what damaged files moved aside beside the queue
// still hold; a failure only leaves the count empty (it is logged).
func (q *Outbox) refreshStranded() {
	s, err := strandedBeside(q.path)
	if err != nil {
		q.log.Warn("damaged queue files beside the queue could not be read", "err", err)
	}
	q.strandedMu.Lock()
	q.stranded = s
	q.strandedMu.Unlock()
}

// Close closes the queue file.
func (q *Outbox) Close() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.db == nil {
		return nil
	}
	err := q.db.Close()
	q.db = nil
	return err
}

// Path returns the file the queue lives in.
func (q *Outbox) Path() string { return q.path }

func seqKey(seq uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], seq)
	return k[:]
}
