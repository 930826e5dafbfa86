package install

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"
	"syscall"
)

// Target is the disk the system is copied to.
type Target interface {
	io.WriterAt
	// ReadAt reads what the disk holds, not what a cache of the writes
	// remembers: the verification reads the disk.
	io.ReaderAt
	Sync() error // every write on the disk before it returns
	Size() int64
}

// Formatter makes a fresh, empty data file system of n bytes, to be
// copied into the data partition like the rest. Copy closes it when it is
// an io.Closer.
type Formatter interface {
	Fresh(ctx context.Context, n int64) (io.ReaderAt, error)
}

// FormatFunc is a Formatter from a function.
type FormatFunc func(ctx context.Context, n int64) (io.ReaderAt, error)

func (f FormatFunc) Fresh(ctx context.Context, n int64) (io.ReaderAt, error) { return f(ctx, n) }

// Stage is what the copy is doing.
type Stage int

const (
	Erasing Stage = iota
	Formatting
	Copying
	Verifying
	Done
)

func (s Stage) String() string {
	return [...]string{"erasing", "making the data partition", "copying", "verifying", "done"}[s]
}

// Progress is reported after each block.
type Progress struct {
	Stage       Stage
	Done, Total int64 // bytes of this stage
}

// Job is one copy of the image onto a disk.
type Job struct {
	Source   io.ReaderAt // the boot disk
	Layout   Layout      // ReadLayout(Source)
	Target   Target
	Format   Formatter
	Progress func(Progress) // nil: not reported
	Block    int            // bytes per read and write; DefaultBlock when 0
}

// DefaultBlock is large enough for a disk's full speed, small enough to
// report progress often.
const DefaultBlock = 4 << 20

// Result is a copy done and verified.
type Result struct {
	Copied int64   // bytes written and read back: the whole image, and the backup tables
	SHA256 string  // of the bytes written, in the order of Ranges
	Ranges []Range // where on the disk they were written
}

// Kind sorts failures by what the technician should do.
type Kind int

const (
	TooSmall   Kind = iota + 1 // the disk cannot hold the image
	ShortWrite                 // the disk took fewer bytes than given
	Mismatch                   // what the disk gave back is not what was written
	Gone                       // the disk stopped answering: removed, or failing
	SourceFail                 // the stick could not be read
	FormatFail                 // the data partition could not be made
	Cancelled
	Other
)

// Failure is a copy that did not finish: nothing is claimed done.
type Failure struct {
	Kind  Kind
	Stage Stage
	At    int64 // byte offset on the disk where it failed, when known
	Total int64 // the image's size
	Err   error
}

func (f *Failure) Unwrap() error { return f.Err }

func (f *Failure) Error() string {
	where := fmt.Sprintf("at %s of %s", HumanBytes(f.At), HumanBytes(f.Total))
	var what string
	switch f.Kind {
	case TooSmall:
		return fmt.Sprintf("the disk is too small: the system needs %s; nothing was written", HumanBytes(f.Total))
	case ShortWrite:
		what = "the disk took only part of a block (short write)"
	case Mismatch:
		what = "the disk gave back different bytes from those written"
	case Gone:
		what = "the disk stopped answering (was it removed, or is it failing?)"
	case SourceFail:
		what = "the USB stick could not be read"
	case FormatFail:
		what = "the data partition could not be made"
	case Cancelled:
		what = "stopped before the end"
	default:
		what = "it failed"
	}
	s := fmt.Sprintf("%s %s: %s", f.Stage, where, what)
	if f.Err != nil && f.Kind != Mismatch {
		s += " (" + f.Err.Error() + ")"
	}
	return s + "; the system is NOT installed: try again, or use another disk"
}

// Copy erases the target's old backup partition table, makes a fresh data
// file system, copies the image block by block with that in place of the
// stick's data partition, flushes, reads everything back from the disk and
// compares block by block. Running it again
// after a failure starts over from the first block.
func Copy(ctx context.Context, j Job) (Result, error) {
	l := j.Layout
	total := l.Bytes
	if j.Target.Size() < total {
		return Result{}, &Failure{Kind: TooSmall, Stage: Erasing, Total: total}
	}
	block := j.Block
	if block <= 0 {
		block = DefaultBlock
	}
	report := func(p Progress) {
		if j.Progress != nil {
			j.Progress(p)
		}
	}
	fail := func(k Kind, s Stage, at int64, err error) (Result, error) {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			k = Cancelled
		} else if k != SourceFail && k != Mismatch && k != ShortWrite && gone(err) {
			k = Gone
		}
		return Result{}, &Failure{Kind: k, Stage: s, At: at, Total: total, Err: err}
	}

	// The disk's partition tables: the image's, rewritten so that the
	// backup sits at the disk's end (where the old system's backup is, which
	// would otherwise contradict the new primary table).
	report(Progress{Stage: Erasing})
	var tables Tables
	relocate := false
	if hb := l.HeadBytes(); hb > 0 && hb <= l.Data.Start {
		head := make([]byte, hb)
		if _, err := j.Source.ReadAt(head, 0); err != nil {
			return fail(SourceFail, Erasing, 0, err)
		}
		tables, relocate = l.TablesFor(head, j.Target.Size())
	}
	if !relocate && j.Target.Size() > total {
		// No room for the tables past the image: clear what follows it.
		at := total
		if err := writeFull(j.Target, make([]byte, j.Target.Size()-total), at); err != nil {
			return fail(writeKind(err), Erasing, at, err)
		}
	}
	report(Progress{Stage: Erasing, Done: 1, Total: 1})

	report(Progress{Stage: Formatting, Total: l.Data.Bytes})
	fresh, err := j.Format.Fresh(ctx, l.Data.Bytes)
	if err != nil {
		return fail(FormatFail, Formatting, l.Data.Start, err)
	}
	if c, ok := fresh.(io.Closer); ok {
		defer c.Close()
	}
	report(Progress{Stage: Formatting, Done: l.Data.Bytes, Total: l.Data.Bytes})

	// What goes where: the stick's bytes but the data partition's and,
	// for a larger disk, the tables'.
	segs := []segment{}
	for _, r := range l.Copied() {
		if relocate && r.Start == 0 {
			hb := int64(len(tables.Head))
			segs = append(segs, segment{Range: Range{0, hb}, src: bytes.NewReader(tables.Head)})
			r = Range{hb, r.Bytes - hb}
		}
		segs = append(segs, segment{Range: r, src: j.Source, srcOff: r.Start})
	}
	segs = append(segs, segment{Range: l.Data, src: fresh, data: true})
	if relocate {
		segs = append(segs, segment{Range: Range{tables.TailAt, int64(len(tables.Tail))}, src: bytes.NewReader(tables.Tail)})
		total += int64(len(tables.Tail))
	}
	slices.SortFunc(segs, func(a, b segment) int { return cmp.Compare(a.Start, b.Start) })

	buf := make([]byte, block)
	sum := sha256.New()
	var sums [][sha256.Size]byte // one per block, to name where a mismatch is
	done := int64(0)
	for _, s := range segs {
		for off := s.Start; off < s.End(); off += int64(block) {
			if err := ctx.Err(); err != nil {
				return fail(Cancelled, Copying, off, err)
			}
			b := buf[:min(int64(block), s.End()-off)]
			if _, err := s.src.ReadAt(b, s.srcOff+off-s.Start); err != nil {
				if s.data {
					return fail(FormatFail, Copying, off, err)
				}
				return fail(SourceFail, Copying, off, err)
			}
			sum.Write(b)
			sums = append(sums, sha256.Sum256(b))
			if err := writeFull(j.Target, b, off); err != nil {
				return fail(writeKind(err), Copying, off, err)
			}
			done += int64(len(b))
			report(Progress{Stage: Copying, Done: done, Total: total})
		}
	}
	if err := j.Target.Sync(); err != nil {
		return fail(Other, Copying, total, err)
	}

	back := sha256.New()
	read, i := int64(0), 0
	for _, s := range segs {
		for off := s.Start; off < s.End(); off += int64(block) {
			if err := ctx.Err(); err != nil {
				return fail(Cancelled, Verifying, off, err)
			}
			b := buf[:min(int64(block), s.End()-off)]
			if _, err := j.Target.ReadAt(b, off); err != nil {
				return fail(Other, Verifying, off, err)
			}
			if h := sha256.Sum256(b); h != sums[i] {
				return fail(Mismatch, Verifying, off+firstDiff(s.src, b, s.srcOff+off-s.Start), nil)
			}
			back.Write(b)
			i++
			read += int64(len(b))
			report(Progress{Stage: Verifying, Done: read, Total: total})
		}
	}
	if !bytes.Equal(back.Sum(nil), sum.Sum(nil)) { // the blocks matched, so only a bug gets here
		return fail(Mismatch, Verifying, 0, nil)
	}
	report(Progress{Stage: Done, Done: total, Total: total})
	res := Result{Copied: read, SHA256: hexSum(sum)}
	for _, s := range segs {
		res.Ranges = append(res.Ranges, s.Range)
	}
	return res, nil
}

// segment is a range of the disk and where its bytes come from.
type segment struct {
	Range
	src    io.ReaderAt
	srcOff int64
	data   bool
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// firstDiff finds the first byte of got that differs from the source; 0
// when the source cannot be read again.
func firstDiff(src io.ReaderAt, got []byte, off int64) int64 {
	want := make([]byte, len(got))
	if _, err := src.ReadAt(want, off); err != nil {
		return 0
	}
	for i := range got {
		if got[i] != want[i] {
			return int64(i)
		}
	}
	return 0
}

// writeFull writes b at off, a write that takes fewer bytes without saying
// why being an io.ErrShortWrite.
func writeFull(w io.WriterAt, b []byte, off int64) error {
	n, err := w.WriteAt(b, off)
	if err == nil && n < len(b) {
		err = io.ErrShortWrite
	}
	return err
}

func writeKind(err error) Kind {
	if errors.Is(err, io.ErrShortWrite) {
		return ShortWrite
	}
	return Other
}

// gone tells a disk that went away (or whose controller gave up) from
// other errors.
func gone(err error) bool {
	for _, e := range []error{syscall.ENODEV, syscall.ENXIO, syscall.EIO, syscall.ENOENT, syscall.ENOMEDIUM, syscall.ESHUTDOWN} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
