package audit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Log is an open audit log. It is safe for concurrent use.
type Log struct {
	now func() time.Time

	mu   sync.Mutex
	f    *os.File
	seq  uint64 // last sequence number written
	head []byte // hash of the last entry
}

// tailWindow is how much of the file's end Open reads to find the last entry.
const tailWindow = 64 << 10

// Open opens the log at path for appending, creating it (mode 0600) if
// needed, and continues the chain from its last entry. now is the clock;
// nil means time.Now. A last line cut short by a power cut is terminated
// and left for Verify to report; the chain continues from the last whole
// entry. Open records an audit.opened entry, so restarts are visible.
func Open(path string, now func() time.Time) (*Log, error) {
	if now == nil {
		now = time.Now
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit: opening %s: %w", path, err)
	}
	l := &Log{now: now, f: f, head: zeroHash}
	torn, err := l.readTail()
	if err != nil {
		f.Close()
		return nil, err
	}
	detail := ""
	if torn {
		if _, err := f.Write([]byte("\n")); err != nil {
			f.Close()
			return nil, err
		}
		detail = "the last line was cut short (power cut?) and has been terminated"
	}
	if err := l.Append(Event{Kind: LogOpened, Actor: "system", Detail: detail}); err != nil {
		f.Close()
		return nil, err
	}
	return l, nil
}

// readTail finds the last whole entry in the file's last tailWindow bytes.
func (l *Log) readTail() (torn bool, err error) {
	info, err := l.f.Stat()
	if err != nil {
		return false, err
	}
	size := info.Size()
	if size == 0 {
		return false, nil
	}
	off := max(0, size-tailWindow)
	buf := make([]byte, size-off)
	if _, err := l.f.ReadAt(buf, off); err != nil && !errors.Is(err, io.EOF) {
		return false, fmt.Errorf("audit: reading the log's end: %w", err)
	}
	torn = buf[len(buf)-1] != '\n'
	lines := bytes.Split(bytes.TrimRight(buf, "\n"), []byte("\n"))
	if torn {
		lines = lines[:len(lines)-1]
	}
	if off > 0 && len(lines) > 0 {
		lines = lines[1:] // the first may be a partial line
	}
	for i := len(lines) - 1; i >= 0; i-- {
		if p, err := parseLine(lines[i]); err == nil {
			l.seq, l.head = p.Seq, p.hash
			return torn, nil
		}
	}
	return torn, fmt.Errorf("audit: no readable entry in the last %d bytes of the log; run `kioskctl audit verify` and move the file aside", len(buf))
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
	e := Entry{Seq: l.seq + 1, At: l.now(), Kind: ev.Kind, Actor: ev.Actor, Ref: ev.Ref, Detail: ev.Detail}
	line, hash, err := encodeLine(e, l.head)
	if err != nil {
		return err
	}
	if _, err := l.f.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("audit: writing: %w", err)
	}
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("audit: syncing: %w", err)
	}
	l.seq, l.head = e.Seq, hash
	return nil
}

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
