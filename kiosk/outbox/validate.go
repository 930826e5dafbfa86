package outbox

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// The bbolt v1 file layout, as far as the validator needs it. bbolt maps
// the file into memory and follows page ids and element offsets without
// bounds checks: a truncated or scribbled file makes it touch memory past
// the end of the file (SIGBUS) or outside the mapping (SIGSEGV), which no
// recover() catches. validateFile reads the file with ordinary reads and
// checks every page id and offset bbolt would follow, before bbolt ever
// maps it. Integers are little-endian: kiosks are amd64 or arm64.
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	pageHeaderSize = 16 // id u64, flags u16, count u16, overflow u32
	elementSize    = 16 // branch: pos, ksize u32, pgid u64; leaf: flags, pos, ksize, vsize u32
	bucketHeader   = 16 // root pgid u64, sequence u64
	metaSize       = 64 // magic, version, page size, flags u32; root bucket; freelist, pgid, txid, checksum u64

	flagBranch   = 0x01
	flagLeaf     = 0x02
	flagMeta     = 0x04
	flagFreelist = 0x10
	leafBucket   = 0x01

	noFreelist = ^uint64(0)
	// maxDepth bounds nested buckets and tree height in a queue file.
	maxDepth = 64
)

// boltMeta is a decoded meta page.
type boltMeta struct {
	pageSize uint32
	root     uint64
	freelist uint64
	hwm      uint64 // the high-water mark: one past the highest page id
	txid     uint64
}

// decodeMeta decodes the meta held in the page at b (header included);
// an error says why it is not a valid meta page.
func decodeMeta(b []byte) (boltMeta, error) {
	if len(b) < pageHeaderSize+metaSize {
		return boltMeta{}, errors.New("meta page cut short")
	}
	m := b[pageHeaderSize : pageHeaderSize+metaSize]
	le := binary.LittleEndian
	switch {
	case le.Uint32(m[0:]) != boltMagic:
		return boltMeta{}, errors.New("meta page: not a bbolt file (magic)")
	case le.Uint32(m[4:]) != boltVersion:
		return boltMeta{}, errors.New("meta page: unknown bbolt version")
	}
	h := fnv.New64a()
	h.Write(m[:56])
	if h.Sum64() != le.Uint64(m[56:]) {
		return boltMeta{}, errors.New("meta page: checksum mismatch")
	}
	meta := boltMeta{pageSize: le.Uint32(m[8:]), root: le.Uint64(m[16:]), freelist: le.Uint64(m[32:]), hwm: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}
	if ps := meta.pageSize; ps < 1024 || ps > 1<<16 || ps&(ps-1) != 0 {
		return boltMeta{}, fmt.Errorf("meta page: page size %d", ps)
	}
	return meta, nil
}

// fileProblem is a plain description of what is wrong with a queue file.
type fileProblem string

func (p fileProblem) Error() string { return string(p) }

// validateFile checks the queue file at path without mapping it. It
// returns "" for a file bbolt can open and walk safely (or an empty or
// missing one, which bbolt initialises), else what is wrong; an error
// means the file could not be read at all.
func validateFile(path string) (problem string, err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", err
	}
	if info.Size() == 0 {
		return "", nil
	}
	if err := validateReader(f, info.Size()); err != nil {
		var p fileProblem
		if errors.As(err, &p) {
			return string(p), nil
		}
		return "", err
	}
	return "", nil
}

// validateReader is validateFile on any reader of size bytes (the fuzz
// target feeds it byte slices).
func validateReader(r io.ReaderAt, size int64) error {
	metas, err := readMetas(r, size, true)
	if err != nil {
		return err
	}
	// bbolt uses the valid meta with the higher transaction id.
	m := metas[0]
	if len(metas) == 2 && metas[1].txid > m.txid {
		m = metas[1]
	}
	return validateTree(r, size, m)
}

// readMetas returns the valid meta pages (one or two), as bbolt finds
// them: the first at offset 0, the second one page further. Strict, a
// file that is not a whole number of pages is a problem.
func readMetas(r io.ReaderAt, size int64, strict bool) ([]boltMeta, error) {
	if size < 2*1024 {
		return nil, fileProblem(fmt.Sprintf("the file is %d bytes, shorter than two meta pages (truncated)", size))
	}
	buf := make([]byte, pageHeaderSize+metaSize)
	read := func(off int64) (boltMeta, error) {
		if _, err := r.ReadAt(buf, off); err != nil && !errors.Is(err, io.EOF) {
			return boltMeta{}, err
		}
		return decodeMeta(buf)
	}
	m0, err0 := read(0)
	var out []boltMeta
	if err0 == nil {
		out = append(out, m0)
		if m1, err := read(int64(m0.pageSize)); err == nil && m1.pageSize == m0.pageSize {
			out = append(out, m1)
		}
	} else {
		// As bbolt does: look for the second meta at each possible page size.
		for i := 0; i <= 6; i++ {
			pos := int64(1024) << i
			if pos+int64(len(buf)) > size {
				break
			}
			if m1, err := read(pos); err == nil && int64(m1.pageSize) == pos {
				out = append(out, m1)
				break
			}
		}
	}
	if len(out) == 0 {
		return nil, fileProblem("neither meta page is valid: " + err0.Error())
	}
	ps := int64(out[0].pageSize)
	if strict && size%ps != 0 {
		return nil, fileProblem(fmt.Sprintf("the file is %d bytes, not a whole number of %d-byte pages (truncated)", size, ps))
	}
	return out, nil
}

// validateTree walks every page the meta m leads to.
func validateTree(r io.ReaderAt, size int64, m boltMeta) error {
	ps := int64(m.pageSize)
	pages := uint64(size / ps)
	if m.hwm < 3 || m.hwm > pages {
		return fileProblem(fmt.Sprintf("the file holds %d pages but its meta page counts %d (truncated)", pages, m.hwm))
	}
	v := &walker{r: r, ps: ps, hwm: m.hwm, seen: map[uint64]bool{}}
	if m.freelist != noFreelist {
		if err := v.freelist(m.freelist); err != nil {
			return err
		}
	}
	return v.page(m.root, 0)
}

type walker struct {
	r    io.ReaderAt
	ps   int64
	hwm  uint64
	seen map[uint64]bool
	// short reads a page the file ends inside as if zeros followed
	// (salvage of a cut file); the validator never does.
	short bool
}

func (v *walker) readAt(b []byte, off int64) error {
	n, err := v.r.ReadAt(b, off)
	if err != nil && errors.Is(err, io.EOF) && v.short && n > 0 {
		clear(b[n:])
		return nil
	}
	return err
}

func (v *walker) bad(format string, args ...any) error {
	return fileProblem(fmt.Sprintf(format, args...))
}

// load reads page id with its overflow pages, checking the header.
func (v *walker) load(id uint64, want uint16) ([]byte, error) {
	if id < 2 || id >= v.hwm {
		return nil, v.bad("page %d is outside the file's %d pages", id, v.hwm)
	}
	if v.seen[id] {
		return nil, v.bad("page %d is reached twice", id)
	}
	v.seen[id] = true
	hdr := make([]byte, pageHeaderSize)
	if err := v.readAt(hdr, int64(id)*v.ps); err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	if got := le.Uint64(hdr); got != id {
		return nil, v.bad("page %d says it is page %d", id, got)
	}
	flags, overflow := le.Uint16(hdr[8:]), uint64(le.Uint32(hdr[12:]))
	if flags&want == 0 || flags&^(flagBranch|flagLeaf|flagFreelist) != 0 || (want != flagFreelist && flags != flagBranch && flags != flagLeaf) {
		return nil, v.bad("page %d has type %#x", id, flags)
	}
	if id+overflow >= v.hwm {
		return nil, v.bad("page %d runs past the end of the file", id)
	}
	for o := uint64(1); o <= overflow; o++ {
		if v.seen[id+o] {
			return nil, v.bad("page %d overlaps page %d", id, id+o)
		}
		v.seen[id+o] = true
	}
	b := make([]byte, int64(overflow+1)*v.ps)
	if err := v.readAt(b, int64(id)*v.ps); err != nil {
		return nil, err
	}
	return b, nil
}

func (v *walker) freelist(id uint64) error {
	b, err := v.load(id, flagFreelist)
	if err != nil {
		return err
	}
	if binary.LittleEndian.Uint16(b[8:]) != flagFreelist {
		return v.bad("freelist page %d has the wrong type", id)
	}
	count, start := uint64(binary.LittleEndian.Uint16(b[10:])), uint64(pageHeaderSize)
	if count == 0xFFFF {
		count, start = binary.LittleEndian.Uint64(b[pageHeaderSize:]), pageHeaderSize+8
	}
	if count > uint64(len(b)) || start+count*8 > uint64(len(b)) {
		return v.bad("freelist page %d lists more ids than it holds", id)
	}
	for i := uint64(0); i < count; i++ {
		if f := binary.LittleEndian.Uint64(b[start+i*8:]); f < 2 || f >= v.hwm {
			return v.bad("freelist page %d lists page %d, outside the file", id, f)
		}
	}
	return nil
}

// page checks a tree page (branch or leaf) and what it leads to.
func (v *walker) page(id uint64, depth int) error {
	if depth > maxDepth {
		return v.bad("the tree is more than %d levels deep", maxDepth)
	}
	b, err := v.load(id, flagBranch|flagLeaf)
	if err != nil {
		return err
	}
	return v.nodes(b, id, depth)
}

// nodes checks the elements of the page (or inline bucket page) b.
func (v *walker) nodes(b []byte, id uint64, depth int) error {
	le := binary.LittleEndian
	flags, count := le.Uint16(b[8:]), uint64(le.Uint16(b[10:]))
	n := uint64(len(b))
	if pageHeaderSize+count*elementSize > n {
		return v.bad("page %d holds more elements than fit", id)
	}
	for i := uint64(0); i < count; i++ {
		at := pageHeaderSize + i*elementSize
		e := b[at : at+elementSize]
		switch flags {
		case flagBranch:
			pos, ksize, child := uint64(le.Uint32(e[0:])), uint64(le.Uint32(e[4:])), le.Uint64(e[8:])
			if at+pos+ksize > n {
				return v.bad("page %d: a key runs past the page", id)
			}
			if err := v.page(child, depth+1); err != nil {
				return err
			}
		case flagLeaf:
			ef, pos, ksize, vsize := le.Uint32(e[0:]), uint64(le.Uint32(e[4:])), uint64(le.Uint32(e[8:])), uint64(le.Uint32(e[12:]))
			if at+pos+ksize+vsize > n {
				return v.bad("page %d: a value runs past the page", id)
			}
			if ef&leafBucket == 0 {
				continue
			}
			val := b[at+pos+ksize : at+pos+ksize+vsize]
			if len(val) < bucketHeader {
				return v.bad("page %d: a bucket header is cut short", id)
			}
			root := le.Uint64(val)
			if root != 0 {
				if err := v.page(root, depth+1); err != nil {
					return err
				}
				continue
			}
			inline := val[bucketHeader:]
			if len(inline) < pageHeaderSize || le.Uint16(inline[8:]) != flagLeaf {
				return v.bad("page %d: an inline bucket is damaged", id)
			}
			if depth+1 > maxDepth {
				return v.bad("buckets nested more than %d deep", maxDepth)
			}
			if err := v.nodes(inline, id, depth+1); err != nil {
				return err
			}
		default:
			return v.bad("page %d has type %#x", id, flags)
		}
	}
	return nil
}
