package audit

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/tongban/tongban/internal/durable"
)

// Log is an open audit log. It is safe for concurrent use.
type Log struct {
	now func() time.Time
	key []byte // the audit key; nil: the old unkeyed chain (tests, tools)

	mu   sync.Mutex
	f    *os.File
	seq  uint64 // last sequence number written
	head []byte // hash of the last entry
	// lastKeyed and lastOK describe the last entry found at Open: sealed
	// with HMAC-SM3, and (if so) under this log's key.
	lastKeyed, lastOK bool
	finding           string // what Open found wrong, in plain words
	// size is the file's size after this Log's last write; a different
	// size at the next Append means another writer (kioskctl) appended, and
	// the chain is picked up from the file's end first.
	size int64
}

// KeySize is the smallest audit key Open takes: 128 bits.
const KeySize = 16

// Options are OpenWith's.
type Options struct {
	// Key is the terminal's audit key (HMAC-SM3), at least KeySize bytes;
	// nil writes the old unkeyed chain, which anyone can recompute.
	Key []byte
	// NewKey says the key was created just now (this terminal's first
	// start with keying): a log whose last entry is unsealed is an old one
	// to continue keyed. With a key that existed before, an unsealed last
	// entry means the log was rewritten by someone without the key: Open
	// records that, sealed, and Verify reports it.
	NewKey bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// The Ref of an audit.keyed entry says why the chain continues sealed.
const (
	keyedMigrated   = "migrated"    // an old unkeyed log, continued keyed
	keyedRewritten  = "rewritten"   // unsealed entries found though the key existed
	keyedAnotherKey = "another-key" // the last entry sealed under another key
)

// tailWindow is how much of the file's end Open reads first to find the
// last entry; it reads further back, doubling, as long as it finds none.
const tailWindow = 64 << 10

// Open opens the log at path for appending, creating it (mode 0600) if
// needed, and continues the chain from its last whole entry. now is the
// clock; nil means time.Now.
//
// A torn tail (a last line cut short by a power cut, or any bytes after
// the last whole entry that are no entry) is cut back to that entry; the
// bytes cut are kept beside the log in path.torn-TIME, and the repair
// itself is recorded as an audit.repaired entry, so Verify sees a whole
// chain that says what happened. Open then records an audit.opened entry,
// so restarts are visible.
func Open(path string, now func() time.Time) (*Log, error) {
	return OpenWith(path, Options{Now: now})
}

// OpenWith is Open with options: with a key, every entry written is sealed
// with HMAC-SM3 under it. A log whose last entry is of the old unkeyed
// chain (or sealed under another key) is continued, and the change is
// recorded first as an audit.keyed entry, sealed: Verify checks the old
// prefix as before and everything from that entry on under the key.
func OpenWith(path string, o Options) (*Log, error) {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	if o.Key != nil && len(o.Key) < KeySize {
		return nil, fmt.Errorf("audit: the audit key is %d bytes; want at least %d", len(o.Key), KeySize)
	}
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit: opening %s: %w", path, err)
	}
	if errors.Is(statErr, fs.ErrNotExist) {
		// A new file's name is durable only once its directory is
		// fsynced; without it a power cut can take the whole log.
		if err := syncDir(filepath.Dir(path)); err != nil {
			f.Close()
			return nil, fmt.Errorf("audit: creating %s: %w", path, err)
		}
	}
	l := &Log{now: now, key: o.Key, f: f, head: zeroHash}
	end, size, err := l.readTail()
	if err != nil {
		f.Close()
		return nil, err
	}
	l.size = size
	if end < size {
		if err := l.repair(path, end, size); err != nil {
			f.Close()
			return nil, err
		}
	}
	if l.key != nil && l.seq > 0 && !(l.lastKeyed && l.lastOK) {
		ev := Event{Kind: LogKeyed, Actor: "system", Ref: keyedMigrated,
			Detail: fmt.Sprintf("entries 1 to %d are chained without a key (SM3 only); from here on each entry is sealed with HMAC-SM3 under the terminal's audit key", l.seq)}
		switch {
		case l.lastKeyed:
			ev.Ref, ev.Detail = keyedAnotherKey, fmt.Sprintf("entry %d is not sealed with this terminal's audit key (the key was replaced, or the entry forged); from here on each entry is sealed with the current key", l.seq)
		case !o.NewKey:
			ev.Ref, ev.Detail = keyedRewritten, fmt.Sprintf("entry %d is not sealed though this terminal's audit key existed already: the log was rewritten by someone without the key", l.seq)
		}
		if ev.Ref != keyedMigrated {
			l.finding = ev.Detail
		}
		if err := l.Append(ev); err != nil {
			f.Close()
			return nil, err
		}
	}
	if err := l.Append(Event{Kind: LogOpened, Actor: "system"}); err != nil {
		f.Close()
		return nil, err
	}
	return l, nil
}

// repair keeps the torn tail [end, size) beside the log, cuts the log
// back to end and records the repair.
func (l *Log) repair(path string, end, size int64) error {
	tail := make([]byte, size-end)
	if _, err := l.f.ReadAt(tail, end); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("audit: reading the torn tail: %w", err)
	}
	kept := fmt.Sprintf("%s.torn-%s", path, l.now().UTC().Format("20060102T150405.000000000Z"))
	if err := durable.Create(kept, tail, 0o600); err != nil {
		return fmt.Errorf("audit: keeping the torn tail: %w", err)
	}
	if err := l.f.Truncate(end); err != nil {
		return fmt.Errorf("audit: cutting the torn tail: %w", err)
	}
	l.size = end
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("audit: syncing: %w", err)
	}
	return l.Append(Event{Kind: LogRepaired, Actor: "system",
		Detail: fmt.Sprintf("%d bytes after entry %d were no whole entry (a write cut short by a power cut, or garbage) and were cut; kept in %s", len(tail), l.seq, filepath.Base(kept))})
}

// readTail finds the last whole entry, reading back from the end, and
// returns the offset just after it (0 for an empty log) and the file size.
func (l *Log) readTail() (end, size int64, err error) {
	info, err := l.f.Stat()
	if err != nil {
		return 0, 0, err
	}
	size = info.Size()
	if size == 0 {
		return 0, 0, nil
	}
	for window := int64(tailWindow); ; window *= 2 {
		off := max(0, size-window)
		buf := make([]byte, size-off)
		if _, err := l.f.ReadAt(buf, off); err != nil && !errors.Is(err, io.EOF) {
			return 0, size, fmt.Errorf("audit: reading the log's end: %w", err)
		}
		// Whole lines end in '\n'; the first line of a window that does not
		// start the file may be partial, so it is not trusted.
		for nl := bytes.LastIndexByte(buf, '\n'); nl >= 0; {
			start := bytes.LastIndexByte(buf[:nl], '\n') + 1
			if start == 0 && off > 0 {
				break
			}
			if p, err := parseLine(buf[start:nl], l.key); err == nil {
				l.seq, l.head = p.Seq, p.hash
				l.lastKeyed, l.lastOK = p.keyed, p.selfOK
				return off + int64(nl) + 1, size, nil
			}
			nl = start - 1
		}
		if off == 0 {
			// No whole entry at all (the very first write was cut short):
			// all of it is the torn tail, kept aside, and the chain starts.
			return 0, size, nil
		}
	}
}

// Append writes one entry and fsyncs it before returning.
func (l *Log) Append(ev Event) error {
	if err := ev.validate(); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return errors.New("audit: log closed")
	}
	// Several processes may append (the kiosk, kioskctl): under the lock,
	// continue from whatever the file ends with now.
	unlock, err := lockFile(l.f)
	if err != nil {
		return fmt.Errorf("audit: locking the log: %w", err)
	}
	defer unlock()
	if info, err := l.f.Stat(); err != nil {
		return fmt.Errorf("audit: %w", err)
	} else if info.Size() != l.size {
		if _, _, err := l.readTail(); err != nil {
			return err
		}
	}
	e := Entry{Seq: l.seq + 1, At: l.now(), Kind: ev.Kind, Actor: ev.Actor, Ref: ev.Ref, Detail: ev.Detail}
	line, hash, err := encodeLine(e, l.head, l.key)
	if err != nil {
		return err
	}
	n, err := l.f.Write(append(line, '\n'))
	l.size += int64(n)
	if err != nil {
		return fmt.Errorf("audit: writing: %w", err)
	}
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("audit: syncing: %w", err)
	}
	l.seq, l.head = e.Seq, hash
	return nil
}

// Head is the last entry's sequence number and hash (hex): what the
// terminal sends the back office with every heartbeat and sync, which
// anchors the chain there.
func (l *Log) Head() (seq uint64, head string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seq, hex.EncodeToString(l.head)
}

// Finding is what Open found wrong with the log ("" : nothing): its last
// entry unsealed though the key existed, or sealed under another key. The
// kiosk raises an alarm with it.
func (l *Log) Finding() string { return l.finding }

// Close closes the log file.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// syncDir makes the creation of a file in dir durable.
func syncDir(dir string) error { return durable.SyncDir(dir) }
