package powercut

import (
	"errors"
	"io"
	"os"
)

const pageSize = 4096

// pending is what a file holds beyond its backing copy: the writes and
// size changes since its last fsync. The backing file is not touched until
// fsync applies them (or a cut drops them).
type pending struct {
	f     *os.File // a descriptor of the backing file
	base  int64    // backing size when the state began
	floor int64    // smallest size since then: backing bytes at or past it read as zero
	size  int64    // the size readers see
	pages map[int64][]byte
	// last is the most recent write, which a torn cut may keep a prefix of.
	lastOff  int64
	lastData []byte
}

func newPending(f *os.File) (*pending, error) {
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return &pending{f: f, base: info.Size(), floor: info.Size(), size: info.Size(), pages: map[int64][]byte{}}, nil
}

// fill reads the visible bytes at off into dst from the backing file, with
// zeros past the floor, ignoring dirty pages and the size.
func (s *pending) fill(dst []byte, off int64) error {
	clear(dst)
	lim := min(s.floor, s.base)
	if off >= lim {
		return nil
	}
	m := min(int64(len(dst)), lim-off)
	if _, err := s.f.ReadAt(dst[:m], off); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

func (s *pending) readAt(dst []byte, off int64) (int, error) {
	if off >= s.size {
		return 0, nil
	}
	n := min(int64(len(dst)), s.size-off)
	dst = dst[:n]
	if err := s.fill(dst, off); err != nil {
		return 0, err
	}
	for pi := off / pageSize; pi*pageSize < off+n; pi++ {
		pg, ok := s.pages[pi]
		if !ok {
			continue
		}
		ps := pi * pageSize
		lo, hi := max(off, ps), min(off+n, ps+pageSize)
		copy(dst[lo-off:hi-off], pg[lo-ps:hi-ps])
	}
	return int(n), nil
}

func (s *pending) writeAt(data []byte, off int64) error {
	end := off + int64(len(data))
	for pi := off / pageSize; pi*pageSize < end; pi++ {
		ps := pi * pageSize
		pg, ok := s.pages[pi]
		if !ok {
			pg = make([]byte, pageSize)
			if err := s.fill(pg, ps); err != nil {
				return err
			}
			if s.size < ps+pageSize { // bytes past the size read as zero
				clear(pg[max(0, s.size-ps):])
			}
			s.pages[pi] = pg
		}
		lo, hi := max(off, ps), min(end, ps+pageSize)
		copy(pg[lo-ps:hi-ps], data[lo-off:hi-off])
	}
	s.size = max(s.size, end)
	s.lastOff, s.lastData = off, append(s.lastData[:0], data...)
	return nil
}

func (s *pending) truncate(size int64) {
	if size < s.size {
		s.floor = min(s.floor, size)
		for pi, pg := range s.pages {
			ps := pi * pageSize
			switch {
			case ps >= size:
				delete(s.pages, pi)
			case ps+pageSize > size:
				clear(pg[size-ps:])
			}
		}
	}
	s.size = size
	s.lastData = nil
}

// apply writes the pending state to the backing file: what an fsync makes
// durable.
func (s *pending) apply() error {
	if lim := min(s.floor, s.base); lim < s.base {
		if err := s.f.Truncate(lim); err != nil {
			return err
		}
	}
	for pi, pg := range s.pages {
		ps := pi * pageSize
		n := min(int64(pageSize), s.size-ps)
		if n <= 0 {
			continue
		}
		if _, err := s.f.WriteAt(pg[:n], ps); err != nil {
			return err
		}
	}
	return s.f.Truncate(s.size)
}

// tear writes the first n bytes of the last write to the backing file.
func (s *pending) tear(n int) error {
	if n <= 0 || n > len(s.lastData) {
		return nil
	}
	_, err := s.f.WriteAt(s.lastData[:n], s.lastOff)
	return err
}
