package install

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"io"
	"sync"
	"unicode/utf16"
)

// part is a partition of a test image, in sectors.
type part struct {
	name        string
	first, last uint64
}

// gptImage builds a disk image of the given sectors with a GPT listing
// parts, as sfdisk would write it: protective MBR, primary header and
// entries, backup entries and header at the end. Every other byte is a
// pattern, so a copy that misplaces a block shows.
func gptImage(ss int64, sectors uint64, parts []part) []byte {
	img := make([]byte, int64(sectors)*ss)
	for i := range img {
		img[i] = byte(i*7 + i>>9)
	}
	le := binary.LittleEndian
	const n, esize = 128, 128
	entries := make([]byte, n*esize)
	for i, p := range parts {
		e := entries[i*esize:]
		copy(e[:16], []byte("0FC63DAF-8483-47")) // any non-zero type
		copy(e[16:32], []byte{byte(i + 1)})
		le.PutUint64(e[32:], p.first)
		le.PutUint64(e[40:], p.last)
		for j, c := range utf16.Encode([]rune(p.name)) {
			le.PutUint16(e[56+2*j:], c)
		}
	}
	entrySectors := uint64((n*esize + ss - 1) / ss)
	header := func(my, alt, entriesLBA uint64) []byte {
		h := make([]byte, ss)
		copy(h, "EFI PART")
		le.PutUint32(h[8:], 0x00010000)
		le.PutUint32(h[12:], 92)
		le.PutUint64(h[24:], my)
		le.PutUint64(h[32:], alt)
		le.PutUint64(h[40:], 2+entrySectors)
		le.PutUint64(h[48:], sectors-2-entrySectors)
		le.PutUint64(h[72:], entriesLBA)
		le.PutUint32(h[80:], n)
		le.PutUint32(h[84:], esize)
		le.PutUint32(h[88:], crc32.ChecksumIEEE(entries))
		le.PutUint32(h[16:], crc32.ChecksumIEEE(h[:92]))
		return h
	}
	clear(img[:ss])
	img[510], img[511] = 0x55, 0xaa
	img[446+4] = 0xee // the protective MBR's one partition: the whole disk
	le.PutUint32(img[446+8:], 1)
	le.PutUint32(img[446+12:], uint32(min(sectors-1, 0xffffffff)))
	last := sectors - 1
	copy(img[ss:], header(1, last, 2))
	copy(img[2*ss:], entries)
	copy(img[int64(last-entrySectors)*ss:], entries)
	copy(img[int64(last)*ss:], header(last, 1, last-entrySectors))
	return img
}

// testImage is a small image shaped like the real one: esp, root, data,
// prov, in 512-byte sectors.
func testImage() []byte {
	return gptImage(512, 2048+256+512+256+128+64, []part{
		{"tongban-esp", 2048, 2048 + 255},
		{"tongban-root", 2304, 2304 + 511},
		{"tongban-data", 2816, 2816 + 255},
		{"TONGBAN-PROV", 3072, 3072 + 127},
	})
}

// memDisk is a disk in memory with faults to order.
type memDisk struct {
	mu     sync.Mutex
	b      []byte
	writes int64 // bytes written so far

	failAfter int64 // once this many bytes are written, a write fails with err...
	err       error
	short     bool  // ...or takes half its bytes and says nothing
	flipAt    int64 // a read covering this offset gives it back flipped; -1 never
	syncs     int
}

func newMemDisk(size int) *memDisk { return &memDisk{b: make([]byte, size), failAfter: -1, flipAt: -1} }

func (d *memDisk) WriteAt(p []byte, off int64) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if off < 0 || off+int64(len(p)) > int64(len(d.b)) {
		return 0, io.ErrUnexpectedEOF
	}
	if d.failAfter >= 0 && d.writes+int64(len(p)) > d.failAfter {
		if d.short {
			n := copy(d.b[off:], p[:len(p)/2])
			d.writes += int64(n)
			return n, nil
		}
		return 0, d.err
	}
	copy(d.b[off:], p)
	d.writes += int64(len(p))
	return len(p), nil
}

func (d *memDisk) ReadAt(p []byte, off int64) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if off >= int64(len(d.b)) {
		return 0, io.EOF
	}
	n := copy(p, d.b[off:])
	if d.flipAt >= off && d.flipAt < off+int64(n) {
		p[d.flipAt-off] ^= 0x10
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (d *memDisk) Sync() error { d.mu.Lock(); d.syncs++; d.mu.Unlock(); return nil }
func (d *memDisk) Size() int64 { return int64(len(d.b)) }

// ext4Magic is where a fresh ext4 file system says what it is.
const ext4Magic = 1024 + 56

// fakeFormat is a fresh file system as mkfs makes one: zeros, and the
// ext4 magic in its superblock.
func fakeFormat(_ *memDisk) FormatFunc {
	return func(_ context.Context, n int64) (io.ReaderAt, error) {
		b := make([]byte, n)
		b[ext4Magic], b[ext4Magic+1] = 0x53, 0xef
		return bytes.NewReader(b), nil
	}
}
