package outbox

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/tongban/tongban/kiosk"
	bolt "go.etcd.io/bbolt"
)

// A damaged queue file is never given to bbolt again: salvage reads it
// with the validator's own page reader, which checks every page it
// follows and skips what it cannot read, so a scribbled page costs the
// records on it and nothing else.

// Stranded is what a moved-aside (damaged) queue file still holds.
type Stranded struct {
	Path string
	// Waiting counts submissions it holds that were never acknowledged
	// (pending or being sent): they must be salvaged into the live queue.
	Waiting int
	// Lost counts pages that could not be read.
	Lost int
}

// SalvageReport says what Salvage took from a damaged file.
type SalvageReport struct {
	Found     int      // submissions waiting in the file
	Imported  int      // put in the live queue, pending
	Already   int      // already in the live queue
	Unusable  int      // their data is missing or does not open with the key
	LostPages int      // pages of the file that could not be read
	Problems  []string // plain words, IDs only
	MovedTo   string   // the file, renamed once salvaged (never deleted)
}

// damagedSuffix is how moveAside names a damaged file.
const damagedSuffix = ".damaged-"

// salvagedSuffix marks a damaged file whose waiting submissions were
// salvaged; it is kept for a technician, no longer counted.
const salvagedSuffix = ".salvaged"

// StrandedFiles lists the damaged queue files moved aside beside the
// queue that were not salvaged yet, with what each still holds. The
// staff menu counts their waiting submissions with the live queue's.
func (q *Outbox) StrandedFiles() []Stranded {
	q.strandedMu.Lock()
	defer q.strandedMu.Unlock()
	return append([]Stranded(nil), q.stranded...)
}

func strandedBeside(path string) ([]Stranded, error) {
	names, err := filepath.Glob(path + damagedSuffix + "*")
	if err != nil {
		return nil, err
	}
	var out []Stranded
	for _, n := range names {
		if filepath.Ext(n) == salvagedSuffix {
			continue
		}
		recs, lost, err := readDamaged(n)
		if err != nil {
			out = append(out, Stranded{Path: n, Lost: -1})
			continue
		}
		s := Stranded{Path: n, Lost: lost}
		for _, r := range recs {
			if r.entry.State == kiosk.StatePending || r.entry.State == kiosk.StateSending {
				s.Waiting++
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// damagedRecord is one entry read from a damaged file with its data.
type damagedRecord struct {
	entry         Entry
	wrapped, body []byte
}

// readDamaged reads every entry it can from a damaged queue file, with
// the sealed data of those that still hold any. It never maps the file.
func readDamaged(path string) ([]damagedRecord, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	size := info.Size()
	metas, err := readMetas(f, size, false)
	if err != nil {
		var p fileProblem
		if errors.As(err, &p) {
			return nil, 0, fmt.Errorf("nothing can be read from %s: %s", path, p)
		}
		return nil, 0, err
	}
	sort.Slice(metas, func(i, j int) bool { return metas[i].txid > metas[j].txid })
	// The newest meta whose tree reads whole; else the newest, read in part.
	best := metas[0]
	for _, m := range metas {
		if validateTree(f, size-size%int64(m.pageSize), m) == nil {
			best = m
			break
		}
	}
	pages := uint64((size + int64(best.pageSize) - 1) / int64(best.pageSize)) // the last one maybe cut
	r := &lenient{walker: walker{r: f, ps: int64(best.pageSize), hwm: min(best.hwm, pages), seen: map[uint64]bool{}, short: true}}
	top := map[string][]byte{}
	r.each(best.root, nil, 0, func(k, v []byte, bucket bool) {
		if bucket {
			top[string(k)] = bytes.Clone(v)
		}
	})
	collect := func(name []byte) map[string][]byte {
		out := map[string][]byte{}
		if hdr, ok := top[string(name)]; ok {
			r.bucket(hdr, func(k, v []byte) { out[string(k)] = bytes.Clone(v) })
		}
		return out
	}
	entries, bodies, keys := collect(bucketEntries), collect(bucketBodies), collect(bucketKeys)
	var out []damagedRecord
	for id, raw := range entries {
		e, err := decodeEntry(id, raw)
		if err != nil {
			r.lost++
			continue
		}
		out = append(out, damagedRecord{entry: e, wrapped: keys[id], body: bodies[id]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].entry.Seq < out[j].entry.Seq })
	return out, r.lost, nil
}

// lenient walks a tree like the validator but skips what it cannot read.
type lenient struct {
	walker
	lost int
}

// bucket calls fn for each key and value of the bucket whose header (as
// stored in its parent) is hdr.
func (r *lenient) bucket(hdr []byte, fn func(k, v []byte)) {
	if len(hdr) < bucketHeader {
		r.lost++
		return
	}
	each := func(k, v []byte, bucket bool) {
		if !bucket {
			fn(k, v)
		}
	}
	if root := binary.LittleEndian.Uint64(hdr); root != 0 {
		r.each(root, nil, 0, each)
		return
	}
	r.each(0, hdr[bucketHeader:], 0, each)
}

// each walks the page id (or the inline page) and calls fn for each leaf
// element.
func (r *lenient) each(id uint64, inline []byte, depth int, fn func(k, v []byte, bucket bool)) {
	if depth > maxDepth {
		r.lost++
		return
	}
	b := inline
	if b == nil {
		var err error
		if b, err = r.load(id, flagBranch|flagLeaf); err != nil {
			r.lost++
			return
		}
	}
	le := binary.LittleEndian
	if len(b) < pageHeaderSize {
		r.lost++
		return
	}
	flags, count := le.Uint16(b[8:]), uint64(le.Uint16(b[10:]))
	n := uint64(len(b))
	if pageHeaderSize+count*elementSize > n {
		r.lost++
		return
	}
	for i := uint64(0); i < count; i++ {
		at := pageHeaderSize + i*elementSize
		e := b[at : at+elementSize]
		switch flags {
		case flagBranch:
			r.each(le.Uint64(e[8:]), nil, depth+1, fn)
		case flagLeaf:
			ef, pos, ksize, vsize := le.Uint32(e[0:]), uint64(le.Uint32(e[4:])), uint64(le.Uint32(e[8:])), uint64(le.Uint32(e[12:]))
			if at+pos+ksize+vsize > n {
				r.lost++
				continue
			}
			k, v := b[at+pos:at+pos+ksize], b[at+pos+ksize:at+pos+ksize+vsize]
			fn(k, v, ef&leafBucket != 0)
		default:
			r.lost++
			return
		}
	}
}

// Salvage puts the submissions a damaged queue file still holds that were
// never acknowledged into this queue, pending, with their original local
// receipt numbers, and renames the file with a ".salvaged" suffix (kept
// for a technician, never deleted). Submissions already in this queue are
// left as they are; records whose data does not open with this queue's
// key are reported, not imported. It can be run again on the same file.
func (q *Outbox) Salvage(ctx context.Context, path string) (SalvageReport, error) {
	var rep SalvageReport
	if abs, err := filepath.Abs(path); err == nil {
		if live, err := filepath.Abs(q.path); err == nil && abs == live {
			return rep, errors.New("outbox: that is the live queue; give the damaged file moved aside beside it")
		}
	}
	recs, lost, err := readDamaged(path)
	if err != nil {
		return rep, err
	}
	rep.LostPages = lost
	for _, r := range recs {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		e := r.entry
		if e.State != kiosk.StatePending && e.State != kiosk.StateSending {
			continue
		}
		rep.Found++
		if r.wrapped == nil || r.body == nil {
			rep.Unusable++
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s: its data is missing from the damaged file", e.ID))
			continue
		}
		s, err := openRecord(q.keys(), e.ID, r.wrapped, r.body)
		if err != nil {
			rep.Unusable++
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s: %v", e.ID, err))
			continue
		}
		if s.LocalReceipt == "" {
			s.LocalReceipt = e.LocalReceipt
		}
		already, err := q.importSalvaged(s)
		if err != nil {
			return rep, err
		}
		if already {
			rep.Already++
		} else {
			rep.Imported++
		}
	}
	defer q.refreshStranded()
	if rep.Unusable == 0 {
		dst := path + salvagedSuffix
		if err := os.Rename(path, dst); err != nil {
			return rep, err
		}
		rep.MovedTo = dst
		if err := syncDir(dirOf(dst)); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// importSalvaged stores s pending unless its ID is already here. Its local
// receipt number is indexed only if this queue has not given that number
// to another submission since (a fresh queue numbers from its own counter).
func (q *Outbox) importSalvaged(s kiosk.Submission) (already bool, err error) {
	q.epochMu.Lock()
	defer q.epochMu.Unlock()
	wrapped, body, err := sealRecord(q.keys(), s)
	if err != nil {
		return false, err
	}
	err = q.write("outbox.Salvage", func(tx *bolt.Tx) error {
		already = false
		if tx.Bucket(bucketEntries).Get([]byte(s.ID)) != nil {
			already = true
			return nil
		}
		receipts := tx.Bucket(bucketReceipts)
		prev := receipts.Get([]byte(s.LocalReceipt))
		if prev != nil {
			prev = bytes.Clone(prev)
		}
		if err := q.store(tx, s, wrapped, body, false); err != nil {
			return err
		}
		if prev != nil {
			return receipts.Put([]byte(s.LocalReceipt), prev)
		}
		return nil
	})
	return already, err
}
